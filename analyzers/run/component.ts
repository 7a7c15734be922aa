import type { Kysely } from 'kysely';
import { Counter, Gauge } from 'prom-client';
import {
  createScheduler,
  type Alert,
  type AlertSink,
  type AnalysisDb,
  type Clock,
  type Component,
  type FindingSink,
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
}

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
  let deadManFiring: Alert | undefined;
  const tailPaths = o.config.tail.paths ?? [
    ...o.config.suricata.eve,
    ...o.config.zeek.paths.filter((p) => /notice/.test(p)),
  ];
  const tail = new AlertTail({
    paths: tailPaths,
    minSeverity: o.config.tail.min_severity,
    suppressSids: o.config.tail.suppress_sids,
    sink: o.alerts,
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
      scheduler.addInterval('analysis-dead-man', 60_000, async () => {
        const alert = await checkDeadMan({
          db: o.db,
          analyzer,
          schedule: o.config.schedule,
          timezone: tz,
          graceMs: o.config.grace,
          nowMs: o.clock.now(),
          sinceMs: startedAt,
        });
        if (alert) {
          deadManFiring = alert;
          await o.alerts([alert]);
        } else if (deadManFiring) {
          await o.alerts([{ ...deadManFiring, endsAt: new Date(o.clock.now()).toISOString() }]);
          deadManFiring = undefined;
        }
      });
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
      scheduler.start();
    },
    async stop(deadlineMs: number) {
      await scheduler.stop(deadlineMs);
    },
  };
}
