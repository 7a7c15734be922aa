import { existsSync, readFileSync } from 'node:fs';
import {
  LeaderElection,
  registerClusterMetrics,
  assertPrimary,
  auditKeyPath,
  createMetricsRegistry,
  parsePublicKeys,
  errorMessage,
  firingAlertsStore,
  insertNewProbeResults,
  upsertRollups,
  openStore,
  systemClock,
  type Alert,
  type Clock,
  type Component,
  type Logger,
  type Store,
  type ProbeResultsDb,
  type ProbeRollupsDb,
} from '../core/index.js';
import type { Kysely } from 'kysely';
import { createServer, mayCall, parseListen, type Readiness, type RoutePermission } from '../server/index.js';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { overviewPlugin, uiPlugin } from '../dashboards/index.js';
import { slaServicesFrom, timeIntervalsFrom } from '../sla/index.js';
import { domainWirings } from './domains.js';
import { OpenAlerts } from './open-alerts.js';
import { findingAlertSink } from './finding-alerts.js';
import { storeUrlOf } from './paths.js';
import { demoTarget, type DemoConfig } from './demo-target.js';
import type { AlertRouterPort, LoadedConfig, Sinks, WireContext } from './wire/types.js';
import { keyFilePath, openAuth, serverAuthFrom } from './auth.js';
import { wireAudit, wireTls } from './wire/security.js';
import { backupComponent, backupPlan } from './backup-plan.js';
import { INSTANCE_ID, configHashOf } from './instance.js';
import { incidentFeeds } from './wire/incidents.js';

/** A running vigil: every component started, the HTTP server listening. */
export interface Runtime {
  readonly config: LoadedConfig;
  readonly store: Store;
  readonly server: FastifyInstance & { permissions: RoutePermission[] };
  readonly address: string;
  /** Stops taking work, lets components finish or checkpoint, closes the server; the store stays open when `keepStore`. */
  stop(deadlineMs: number, opts?: { keepStore?: boolean }): Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  log: Logger;
  /** Reuse an open store (on reload). */
  store?: Store;
  /** The clock every component reads (tests move it; default the system clock). */
  clock?: Clock;
}

/**
 * Starts vigil from a validated config: opens the store, wires every domain, starts their
 * components and the HTTP server. If anything fails to start, what was started is stopped again.
 */
export async function startRuntime(config: LoadedConfig, opts: StartOptions): Promise<Runtime> {
  const log = opts.log;
  const clock = opts.clock ?? systemClock;
  const metrics = createMetricsRegistry({ defaults: true });
  const storeUrl = storeUrlOf(config);
  const store =
    opts.store ??
    (await openStore(storeUrl, { baseDir: opts.dataDir, log: log.child({ component: 'store' }) }));
  if (!opts.store)
    await assertPrimary(store).catch(async (err: unknown) => {
      await store.close();
      throw err;
    });
  const started: Component[] = [];
  let alertTarget: (alerts: Alert[]) => Promise<void> = async (alerts) => {
    log.warn({ count: alerts.length }, 'alerts raised but no alert routing is configured');
  };
  const openAlerts = new OpenAlerts(() => clock.now());
  const routedAlerts = async (alerts: Alert[]): Promise<void> => {
    openAlerts.observe(alerts);
    await alertTarget(alerts);
  };
  // Outage alerts and security findings also open incidents (issue 12), when configured.
  const incidents = incidentFeeds(config, store, clock, log.child({ component: 'incidents' }));
  const alertSink = incidents ? incidents.alerts(routedAlerts) : routedAlerts;
  // Findings of scheduled analysis runs and scans page through the router like any alert.
  const findingAlerts = findingAlertSink({
    alerts: alertSink,
    clock,
    log: log.child({ component: 'finding-alerts' }),
    store: firingAlertsStore(store.db, 'findings'),
  });
  const sinks: Sinks = {
    alerts: alertSink,
    // Raw samples and their per-minute rollups in one transaction, each new sample rolled up
    // exactly once (a re-sent agent batch is neither stored nor counted twice).
    probeResults: async (results) => {
      await store.db.transaction().execute(async (trx) => {
        const fresh = await insertNewProbeResults(trx as Kysely<ProbeResultsDb>, results);
        if (fresh.length > 0) await upsertRollups(trx as Kysely<ProbeRollupsDb>, fresh);
      });
    },
    findings: incidents ? incidents.findings(findingAlerts.sink) : findingAlerts.sink,
  };
  const leader = new LeaderElection({
    store,
    instanceId: INSTANCE_ID,
    clock,
    log: log.child({ component: 'leader-election' }),
    configHash: configHashOf(config),
  });
  registerClusterMetrics(metrics, leader);
  const ctx: WireContext = { log, metrics, store, clock, dataDir: opts.dataDir, config, sinks, leader };
  try {
    // The audit log starts first and stops last, so it records every request the server answers.
    const audit = wireAudit(ctx, opts.store !== undefined);
    const auth = openAuth(config, store, opts.dataDir, clock);
    if (auth.keyCreated)
      log.info({ file: keyFilePath(config, opts.dataDir) }, 'created the key file for secrets at rest');
    const adminPassword = await auth.service.ensureAdmin();
    if (adminPassword) announceAdmin(adminPassword, log);
    const { components, plugins, router } = await wireDomains(ctx, openAlerts);
    // The lease is read before anything else starts; /readyz stays false until it was (issue 16).
    components.unshift(leader, audit, findingAlerts.firing);
    const backup = backupComponent(backupPlan(config, opts.dataDir, storeUrl), {
      log,
      metrics,
      timezone: config.timezone as string | undefined,
    });
    if (backup) components.push(backup);
    if (router) alertTarget = (alerts) => router.ingest(alerts);
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
      auth: serverAuthFrom(config, auth.service, clock, sinks.alerts, log.child({ component: 'auth' })),
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

/**
 * Wires every domain (without starting anything) and adds the overview page: the HTTP plugins
 * exactly as `vigil start` registers them, also used by `vigil rbac matrix`.
 */
export async function wireDomains(
  ctx: WireContext,
  openAlerts: OpenAlerts,
): Promise<{ components: Component[]; plugins: FastifyPluginAsync[]; router?: AlertRouterPort }> {
  const components: Component[] = [];
  const plugins: FastifyPluginAsync[] = [];
  let router: AlertRouterPort | undefined;
  const demo = ctx.config.demo as DemoConfig | undefined;
  if (demo) components.push(demoTarget(demo, ctx.log.child({ component: 'demo' })));
  for (const d of domainWirings) {
    const w = await d.wire({ ...ctx, log: ctx.log.child({ component: d.name }) });
    components.push(...w.components);
    if (w.http) plugins.push(w.http);
    if (w.alertRouter) router = w.alertRouter;
  }
  // What the router holds as firing, so `/` never lists an alert the router resolved (nor misses
  // one it still pages for); without a router, what passed through the alert sink.
  const firing = router?.firing?.bind(router);
  const overview = {
    store: ctx.store,
    services: slaServicesFrom(ctx.config),
    timeIntervals: timeIntervalsFrom(ctx.config),
    clock: ctx.clock,
    listOpenAlerts: () => (firing ? firing() : openAlerts.list()),
  };
  plugins.push(overviewPlugin(overview));
  const customers = (ctx.config.customers ?? []) as ReadonlyArray<{
    id: string;
    name?: string;
    status_page?: { access: 'public' | 'signed_link' | 'coordinator'; link_secret?: { reveal(): string } };
  }>;
  plugins.push(
    uiPlugin({
      clock: ctx.clock,
      timeZone: (ctx.config.timezone as string | undefined) ?? 'UTC',
      // The auth hook's own decision, so a page never offers what the route would refuse.
      may: (req, permission) => mayCall(req.principal, req.authSession?.state, permission),
      session: (req) => req.authSession,
      overview,
      customerNames: new Map(customers.map((c) => [c.id, c.name ?? c.id])),
      // The instance's own checkpoint key, as `vigil audit verify` uses it.
      auditKeys: () => {
        const file = auditKeyPath(ctx.dataDir);
        return existsSync(file) ? parsePublicKeys(readFileSync(file, 'utf8'), file) : [];
      },
      statusPages: new Map(
        customers.flatMap((c) =>
          c.status_page
            ? [
                [
                  c.id,
                  {
                    access: c.status_page.access,
                    ...(c.status_page.link_secret ? { linkSecret: c.status_page.link_secret.reveal() } : {}),
                  },
                ] as const,
              ]
            : [],
        ),
      ),
    }),
  );
  return { components, plugins, ...(router ? { router } : {}) };
}

/**
 * The first start's administrator password, shown once on stderr (not in the log: it is a
 * secret); it must be changed at the first sign-in.
 */
function announceAdmin(password: string, log: Logger): void {
  log.warn('created the first user "admin"; its one-time password was printed on stderr, once');
  process.stderr.write(
    `\nvigil: created user "admin" with the one-time password below. It is shown only now;\n` +
      `sign in, enrol TOTP and choose a new password. (Lost it? vigil user reset admin)\n${password}\n\n`,
  );
}
