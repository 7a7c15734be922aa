import {
  createMetricsRegistry,
  errorMessage,
  insertNewProbeResults,
  upsertRollups,
  openStore,
  systemClock,
  type Alert,
  type Component,
  type Logger,
  type Store,
  type ProbeResultsDb,
  type ProbeRollupsDb,
} from '../core/index.js';
import type { Kysely } from 'kysely';
import { createServer, parseListen, type Readiness } from '../server/index.js';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { overviewPlugin } from '../dashboards/index.js';
import { slaServicesFrom, timeIntervalsFrom } from '../sla/index.js';
import { domainWirings } from './domains.js';
import { OpenAlerts } from './open-alerts.js';
import { demoTarget, type DemoConfig } from './demo-target.js';
import type { LoadedConfig, Sinks, WireContext } from './wire/types.js';
import { wireAudit, wireTls } from './wire/security.js';

/** A running vigil: every component started, the HTTP server listening. */
export interface Runtime {
  readonly config: LoadedConfig;
  readonly store: Store;
  readonly server: FastifyInstance;
  readonly address: string;
  /** Stops taking work, lets components finish or checkpoint, closes the server; the store stays open when `keepStore`. */
  stop(deadlineMs: number, opts?: { keepStore?: boolean }): Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  log: Logger;
  /** Reuse an open store (on reload). */
  store?: Store;
}

/**
 * Starts vigil from a validated config: opens the store, wires every domain, starts their
 * components and the HTTP server. If anything fails to start, what was started is stopped again.
 */
export async function startRuntime(config: LoadedConfig, opts: StartOptions): Promise<Runtime> {
  const log = opts.log;
  const metrics = createMetricsRegistry({ defaults: true });
  const storeUrl = (config.store as { url?: string } | undefined)?.url ?? 'sqlite:vigil.db';
  const store =
    opts.store ??
    (await openStore(storeUrl, { baseDir: opts.dataDir, log: log.child({ component: 'store' }) }));
  const started: Component[] = [];
  let alertTarget: (alerts: Alert[]) => Promise<void> = async (alerts) => {
    log.warn({ count: alerts.length }, 'alerts raised but no alert routing is configured');
  };
  const openAlerts = new OpenAlerts(() => Date.now());
  const sinks: Sinks = {
    alerts: async (alerts) => {
      openAlerts.observe(alerts);
      await alertTarget(alerts);
    },
    // Raw samples and their per-minute rollups in one transaction, each new sample rolled up
    // exactly once (a re-sent agent batch is neither stored nor counted twice).
    probeResults: async (results) => {
      await store.db.transaction().execute(async (trx) => {
        const fresh = await insertNewProbeResults(trx as Kysely<ProbeResultsDb>, results);
        if (fresh.length > 0) await upsertRollups(trx as Kysely<ProbeRollupsDb>, fresh);
      });
    },
    findings: async () => undefined,
  };
  const ctx: WireContext = { log, metrics, store, clock: systemClock, dataDir: opts.dataDir, config, sinks };
  try {
    // The audit log starts first and stops last, so it records every request the server answers.
    const audit = wireAudit(ctx, opts.store !== undefined);
    const components: Component[] = [audit];
    const plugins: FastifyPluginAsync[] = [];
    const demo = config.demo as DemoConfig | undefined;
    if (demo) components.push(demoTarget(demo, log.child({ component: 'demo' })));
    for (const d of domainWirings) {
      const w = await d.wire({ ...ctx, log: log.child({ component: d.name }) });
      components.push(...w.components);
      if (w.http) plugins.push(w.http);
      const ingest = (w as { ingest?: (a: Alert[]) => Promise<void> }).ingest;
      if (ingest) alertTarget = ingest;
    }
    for (const c of components) {
      await c.start();
      started.push(c);
    }
    const readiness = async (): Promise<Readiness> => {
      const reasons: string[] = [];
      try {
        await store.db.selectFrom('kysely_migration').select('name').limit(1).execute();
      } catch (err) {
        reasons.push(`store: ${errorMessage(err)}`);
      }
      for (const c of started) if (c.ready && !c.ready()) reasons.push(`${c.name}: not ready`);
      return { ok: reasons.length === 0, reasons };
    };
    plugins.push(
      overviewPlugin({
        store,
        services: slaServicesFrom(config),
        timeIntervals: timeIntervalsFrom(config),
        clock: systemClock,
        listOpenAlerts: () => openAlerts.list(),
      }),
    );
    const listen = (config.server as { listen?: string } | undefined)?.listen ?? '127.0.0.1:8080';
    const { host, port } = parseListen(listen);
    const tls = wireTls(config, opts.dataDir, host, log);
    const server = await createServer({
      log,
      metrics,
      readiness,
      plugins,
      tls,
      audit: (e) => audit.append(e),
    });
    const address = await server.listen({ host, port });
    log.info({ address, store: store.displayUrl }, 'vigil started');
    return {
      config,
      store,
      server,
      address,
      async stop(deadlineMs, stopOpts) {
        const until = Date.now() + deadlineMs;
        await server.close();
        await stopAll(started, until, log);
        if (!stopOpts?.keepStore) await store.close();
      },
    };
  } catch (err) {
    await stopAll(started, Date.now() + 5000, log);
    if (!opts.store) await store.close();
    throw err;
  }
}

async function stopAll(components: Component[], until: number, log: Logger): Promise<void> {
  for (const c of [...components].reverse()) {
    try {
      await c.stop(Math.max(0, until - Date.now()));
    } catch (err) {
      log.error({ component: c.name, err: errorMessage(err) }, 'component did not stop cleanly');
    }
  }
}
