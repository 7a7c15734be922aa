import { Counter, Gauge } from 'prom-client';
import {
  FiringAlerts,
  type Alert,
  type AlertSink,
  type Clock,
  type Component,
  type Logger,
  type Registry,
  type Store,
} from '../core/index.js';
import {
  LONGEST_BURN_WINDOW_MS,
  burnRateAlerts,
  lastDownEnd,
  latencyAlert,
  outageAlert,
  type DesiredAlert,
} from './alert-rules.js';
import { intervalResolver } from './intervals.js';
import { listPlannedDowntimes } from './store.js';
import { querySlaSamples } from './sample-query.js';
import type { SlaService } from './services.js';
import type { NamedTimeIntervalSpec } from '../core/index.js';
import type { MsRange } from './ranges.js';

export interface SlaEvaluatorOptions {
  services: readonly SlaService[];
  timeIntervals: readonly NamedTimeIntervalSpec[];
  store: Store;
  log: Logger;
  metrics: Registry;
  clock: Clock;
  sink: AlertSink;
  /** How often outage and latency are checked; default half the shortest probe interval, at most 5 s. */
  tickMs?: number;
  /** How often burn rates (3-day lookback) are checked; default 60 s. */
  burnEveryMs?: number;
  /** How often a firing alert is sent again, with endsAt 4 of these ahead (default 60 s, as Prometheus). */
  resendMs?: number;
}

export interface SlaEvaluator extends Component {
  /** One evaluation at `nowMs`; returns the Alerts sent (new, resolved and re-sent). */
  evaluateOnce(nowMs: number): Promise<Alert[]>;
  firing(): Alert[];
}

/**
 * The SLA evaluator of `vigil start`: reads recent probe results from the store and raises,
 * resolves and mutes outage, latency and burn-rate alerts (DESIGN.md §5).
 */
export function createSlaEvaluator(o: SlaEvaluatorOptions): SlaEvaluator {
  const log = o.log.child({ component: 'sla-evaluator' });
  // One firing set for both cadences: the fast evaluation (every tick) also re-sends the slow
  // (burn-rate) alerts when due, so every firing SLA alert stays alive at the router.
  const alerts = new FiringAlerts({ sink: o.sink, clock: o.clock, resendMs: o.resendMs, log });
  const minInterval = Math.min(...o.services.map((s) => s.probeIntervalMs), 10_000);
  const tickMs = o.tickMs ?? Math.max(250, Math.min(5000, minInterval / 2));
  const burnEveryMs = o.burnEveryMs ?? 60_000;
  const resolvers = new Map(o.services.map((s) => [s.id, intervalResolver(o.timeIntervals, s.timezone)]));
  const evaluations = new Counter({
    name: 'vigil_sla_evaluations_total',
    help: 'SLA evaluator runs',
    registers: [o.metrics],
  });
  const firingGauge = new Gauge({
    name: 'vigil_sla_alerts_firing',
    help: 'SLA alerts firing now',
    registers: [o.metrics],
  });
  let lastBurn = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  async function context(svc: SlaService, nowMs: number, lookbackMs: number) {
    const results = await querySlaSamples(o.store.db, {
      targetIds: svc.targetIds,
      fromMs: nowMs - lookbackMs,
      toMs: nowMs + 1,
    });
    const planned = await listPlannedDowntimes(o.store.db, {
      serviceIds: [svc.id],
      fromMs: nowMs - lookbackMs,
      toMs: nowMs + 1,
    });
    const resolve = resolvers.get(svc.id)!;
    const excluded: MsRange[] = planned
      .filter((p) => Date.parse(p.start) - Date.parse(p.announcedAt) >= svc.policy.planned_notice)
      .map((p) => [Date.parse(p.start), Date.parse(p.end)] as const);
    for (const name of svc.policy.maintenance) excluded.push(...resolve(name, nowMs - lookbackMs, nowMs + 1));
    // Any announced downtime mutes pages, even one announced late (it still counts as unplanned).
    let mutedBy: string | undefined;
    for (const name of svc.policy.maintenance)
      if (resolve(name, nowMs, nowMs + 1).length > 0) mutedBy ??= `maintenance:${name}`;
    for (const p of planned)
      if (Date.parse(p.start) <= nowMs && nowMs < Date.parse(p.end)) mutedBy ??= `planned_downtime:${p.id}`;
    return { samples: results, excluded, mutedBy };
  }

  async function evaluateOnce(nowMs: number): Promise<Alert[]> {
    const doBurn = nowMs - lastBurn >= burnEveryMs;
    const desiredFast: DesiredAlert[] = [];
    const desiredSlow: DesiredAlert[] = [];
    const ends = new Map<string, number | undefined>();
    for (const svc of o.services) {
      const stale = svc.policy.staleness ?? 2 * svc.probeIntervalMs;
      const shortLookback = Math.max(svc.policy.latency_alert_span, 10 * stale);
      const c = await context(svc, nowMs, doBurn ? LONGEST_BURN_WINDOW_MS : shortLookback);
      const out = outageAlert(svc, c.samples, nowMs, c.mutedBy);
      if (out) desiredFast.push(out);
      ends.set(svc.id, lastDownEnd(svc, c.samples, nowMs));
      const lat = latencyAlert(svc, c.samples, nowMs, c.mutedBy);
      if (lat) desiredFast.push(lat);
      if (doBurn) desiredSlow.push(...burnRateAlerts(svc, c.samples, nowMs, c.excluded, c.mutedBy));
    }
    const sent: Alert[] = [];
    if (doBurn) {
      sent.push(...(await alerts.replace('burn', desiredSlow.map(toAlert), nowMs)));
      lastBurn = nowMs;
    }
    sent.push(
      ...(await alerts.replace('fast', desiredFast.map(toAlert), nowMs, (a) =>
        a.labels.alertname === 'SlaServiceDown' ? ends.get(a.labels.service ?? '') : undefined,
      )),
    );
    evaluations.inc();
    firingGauge.set(alerts.firing().length);
    if (sent.length > 0)
      log.debug(
        { alerts: sent.map((a) => ({ labels: a.labels, startsAt: a.startsAt, endsAt: a.endsAt })) },
        'sla alerts sent',
      );
    return sent;
  }

  function toAlert(d: DesiredAlert): Alert {
    return { labels: d.labels, annotations: d.annotations, startsAt: new Date(d.startsAt).toISOString() };
  }

  let busy = false;
  // A slow store must not pile up evaluations: a tick that finds one running is skipped.
  const tick = (): void => {
    if (busy) return;
    busy = true;
    running = evaluateOnce(o.clock.now())
      .catch((err: unknown) => log.error({ err }, 'sla evaluation failed'))
      .finally(() => {
        busy = false;
      });
  };

  return {
    name: 'sla-evaluator',
    evaluateOnce,
    firing: () => alerts.firing(),
    async start() {
      timer = setInterval(tick, tickMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
