import { pruneProbeResults, queryProbeResults, type ProbeResult } from '../../core/index.js';
import {
  ProbeAlerts,
  ProbeRunner,
  agentRoutes,
  probesSectionSchema,
  resolveProbes,
  servicesSchema,
  type LocationsConfig,
  type ProbesSettings,
  type ServicesConfig,
} from '../../probes/index.js';
import type { DomainWiring, WireContext } from './types.js';
import { backupGlob, backupPlan } from '../backup-plan.js';

/**
 * vigil's own backups, watched by the backup probe like any customer's (issue 16): on a SQLite
 * store with backups enabled, a probe of the backup folder that pages when the newest verified
 * version is older than `backup.max_age` (a missed night). One version suffices: a fresh install
 * must not page for a week until seven exist; retention keeps `backup.keep`.
 */
export function selfBackupService(ctx: WireContext): ServicesConfig {
  const plan = backupPlan(ctx.config, ctx.dataDir);
  if (!plan.cfg.enabled || !plan.storeFile) return [];
  return servicesSchema.parse([
    {
      id: 'vigil-backups',
      name: "vigil's own backups",
      customer: 'vigil',
      probes: [
        {
          type: 'backup',
          id: 'vigil-backup',
          interval: '15m',
          path: backupGlob(plan),
          max_age: `${Math.round(plan.cfg.max_age / 1000)}s`,
          min_versions: 1,
          sla: false,
          alert: true,
        },
      ],
    },
  ]);
}

/**
 * Wires the probes domain into `vigil start`: a component that probes every target assigned to
 * this instance's location (`probes.location`, default "local") and hands the results to
 * `ctx.sinks.probeResults`, plus the agents' HTTP routes. Samples of alerting probes (tls and
 * backup by default), from here or an agent, raise and resolve alerts on `ctx.sinks.alerts`.
 */
export async function wireProbes(ctx: WireContext): Promise<DomainWiring> {
  const settings = (ctx.config.probes as ProbesSettings | undefined) ?? probesSectionSchema.parse({});
  const services = [
    ...((ctx.config.services as ServicesConfig | undefined) ?? []),
    ...selfBackupService(ctx),
  ];
  const locations = (ctx.config.locations as LocationsConfig | undefined) ?? [];
  const probes = resolveProbes(services, settings.location);
  const alerting = probes.filter((p) => p.alert);
  const lookbackMs = 2 * Math.max(0, ...alerting.map((p) => p.intervalMs));
  const alerts = new ProbeAlerts({
    probes,
    sink: ctx.sinks.alerts,
    clock: ctx.clock,
    log: ctx.log,
    latest: (targetIds) => {
      const now = ctx.clock.now();
      return queryProbeResults(ctx.store.db, { targetIds, fromMs: now - lookbackMs, toMs: now + 1 });
    },
  });
  const sink = async (results: ProbeResult[]): Promise<void> => {
    await ctx.sinks.probeResults(results);
    await alerts.observe(results);
  };
  const runner = new ProbeRunner({
    probes,
    settings,
    log: ctx.log,
    metrics: ctx.metrics,
    sink,
    prune: (beforeMs) => pruneProbeResults(ctx.store.db, beforeMs),
  });
  const http = agentRoutes({ locations, probes, sink, log: ctx.log });
  return { components: alerting.length > 0 ? [alerts, runner] : [runner], http };
}
