import type { Kysely } from 'kysely';
import { Counter, Gauge } from 'prom-client';
import {
  FiringAlerts,
  createScheduler,
  type AlertSink,
  type AnalysisDb,
  type Clock,
  type Component,
  type FindingSink,
  type FiringAlertsStore,
  type Logger,
  type Registry,
} from '../../core/index.js';
import { AssetMap, type CustomerNetworks } from '../assets.js';
import type { AnalyzersConfig } from '../config.js';
import { checkDeadMan } from './dead-man.js';
import { runAnalysis } from './runner.js';
import { AlertTail } from './tail.js';

export interface AnalyzersComponentOptions {
  config: AnalyzersConfig;
  customers: CustomerNetworks[];
  db: Kysely<AnalysisDb>;
  log: Logger;
  metrics: Registry;
  clock: Clock;
  alerts: AlertSink;
  findings: FindingSink;
  analyzer?: string;
  /** How often firing alerts are re-sent (default 60 s). */
  resendMs?: number;
  /** Keeps the firing alerts (held IDS alerts, dead-man) over a restart. */
  firingStore?: FiringAlertsStore;
  /** Among several instances on one store, scheduled runs happen on the leader only (issue 16). */
  leader?: { isLeader(): boolean };
}

/**
 * An IDS alert is an event, not a state: it fires for this long after it was last seen (again
 * and again while the same alert keeps coming), then resolves explicitly. Five minutes is
 * Alertmanager's default `resolve_timeout`, what such alerts got before, now said by the source.
 */
export const IDS_ALERT_HOLD_MS = 300_000;

/**
 * The analyzers' part of `vigil start`: scheduled analysis runs (cron, ≥ 4 a day), the dead-man
 * check every minute (a run overdue by its grace raises `VigilAnalysisRunMissed`), and the alert
 * tail (Suricata alerts and Zeek notices to the alert sink within one poll interval).
 */
export function analyzersComponent(o: AnalyzersComponentOptions): Component {
  const analyzer = o.analyzer ?? 'ids';
  const log = o.log.child({ component: 'analyzers' });
  const tz = o.config.timezone;
  const scheduler = createScheduler({ log, metrics: o.metrics, clock: o.clock });
  const runs = new Counter({
    name: 'vigil_analysis_runs_total',
    help: 'Analysis runs by analyzer and status',
    labelNames: ['analyzer', 'status'],
    registers: [o.metrics],
  });
  const lastOk = new Gauge({
    name: 'vigil_analysis_last_finished_timestamp_seconds',
    help: 'End of the last finished analysis run',
    labelNames: ['analyzer'],
    registers: [o.metrics],
  });
  const tailAlerts = new Counter({
    name: 'vigil_ids_tail_alerts_total',
    help: 'IDS alerts sent at once by the alert tail',
    registers: [o.metrics],
  });
  const assets = new AssetMap(o.customers);
  const startedAt = o.clock.now();
  // Dead-man and tail alerts stay alive at the router while they fire (re-sent, endsAt ahead).
  const firing = new FiringAlerts({
    sink: o.alerts,
    clock: o.clock,
    resendMs: o.resendMs,
    log,
    name: 'analyzers-alerts',
    ...(o.firingStore ? { store: o.firingStore } : {}),
  });
  const tailPaths = o.config.tail.paths ?? [
    ...o.config.suricata.eve,
    ...o.config.zeek.paths.filter((p) => /notice/.test(p)),
  ];
  const tail = new AlertTail({
    paths: tailPaths,
    minSeverity: o.config.tail.min_severity,
    suppressSids: o.config.tail.suppress_sids,
    sink: async (alerts) => {
      await firing.fire(alerts, { scope: 'tail', untilMs: o.clock.now() + IDS_ALERT_HOLD_MS });
    },
    customerOf: assets.customerOf,
    db: o.db,
    analyzer: `${analyzer}-tail`,
    log,
  });
  return {
    name: 'analyzers',
    async start() {
      scheduler.addCron(
        `analysis-${analyzer}`,
        o.config.schedule,
        async ({ scheduledFor }) => {
          if (o.leader && !o.leader.isLeader()) return; // the leader runs it, once
          try {
            const res = await runAnalysis({
              db: o.db,
              analyzer,
              config: o.config,
              customers: o.customers,
              scheduledFor,
              log,
              now: () => o.clock.now(),
            });
            runs.inc({ analyzer, status: res.run.status });
            lastOk.set({ analyzer }, o.clock.now() / 1000);
            if (res.newFindings.length > 0) await o.findings(res.newFindings);
          } catch (err) {
            runs.inc({ analyzer, status: 'failed' });
            throw err;
          }
        },
        { timezone: tz },
      );
      scheduler.addInterval(
        'analysis-dead-man',
        60_000,
        async () => {
          const alert = await checkDeadMan({
            db: o.db,
            analyzer,
            schedule: o.config.schedule,
            timezone: tz,
            graceMs: o.config.grace,
            nowMs: o.clock.now(),
            sinceMs: startedAt,
          });
          await firing.replace('dead-man', alert ? [alert] : []);
        },
        { runAtStart: true },
      );
      if (o.config.tail.enabled && tailPaths.length > 0) {
        scheduler.addInterval(
          'ids-alert-tail',
          o.config.tail.interval,
          async () => {
            tailAlerts.inc(await tail.poll());
          },
          { runAtStart: true },
        );
      }
      await firing.start();
      scheduler.start();
    },
    async stop(deadlineMs: number) {
      await firing.stop();
      await scheduler.stop(deadlineMs);
    },
  };
}
