import {
  inScope,
  zonedParts,
  type Alert,
  type Clock,
  type NamedTimeIntervalSpec,
  type Store,
} from '../core/index.js';
import {
  buildTimeline,
  computeFromMinuteCounts,
  intervalResolver,
  listPlannedDowntimes,
  monthRange,
  planExclusions,
  queryMinuteCounts,
  querySlaSamples,
  type SlaService,
} from '../sla/index.js';

export interface OverviewOptions {
  store: Store;
  services: readonly SlaService[];
  timeIntervals: readonly NamedTimeIntervalSpec[];
  clock: Clock;
  /** Lists the alerts open now (the alerting domain's, or the SLA evaluator's). */
  listOpenAlerts: () => Promise<Alert[]> | Alert[];
}

export interface ServiceOverview {
  id: string;
  customer: string;
  state: 'up' | 'down' | 'unknown';
  month: string;
  availability: number | null;
  objective: number;
  availabilityMet: boolean;
  avgResponseMs: number | null;
  targetMs: number;
  coverage: number | null;
}

export interface OverviewData {
  generatedAt: string;
  services: ServiceOverview[];
  alerts: Alert[];
}

/**
 * What the overview page shows: state now, month-to-date figures (from rollups), open alerts.
 * With `customerId` (a customer-scoped caller) only that customer's services, and only alerts
 * labelled with one of its services or with the customer itself.
 */
export async function overviewData(o: OverviewOptions, customerId?: string): Promise<OverviewData> {
  const now = o.clock.now();
  const services: ServiceOverview[] = [];
  const visible = o.services.filter((s) => inScope(customerId, s.customer));
  for (const svc of visible) {
    const stale = svc.policy.staleness ?? 2 * svc.probeIntervalMs;
    const recent = await querySlaSamples(o.store.db, {
      targetIds: svc.targetIds,
      fromMs: now - 2 * stale,
      toMs: now + 1,
    });
    const opts: { stalenessMs: number; quorum?: number } = { stalenessMs: stale };
    if (svc.policy.quorum !== undefined) opts.quorum = svc.policy.quorum;
    const tl = buildTimeline(recent, opts);
    const at = (list: [number, number][] | readonly (readonly [number, number])[]) =>
      list.some(([f, t]) => f <= now && now < t);
    const state = at(tl.down) ? 'down' : at(tl.up) ? 'up' : 'unknown';
    const p = zonedParts(now, svc.timezone);
    const month = `${p.year}-${String(p.month).padStart(2, '0')}`;
    const [fromMs] = monthRange(month, svc.timezone);
    const planned = await listPlannedDowntimes(o.store.db, { serviceIds: [svc.id], fromMs, toMs: now });
    const plan = planExclusions({
      maintenance: svc.policy.maintenance,
      plannedNoticeMs: svc.policy.planned_notice,
      planned: planned.map((d) => ({
        id: d.id,
        start: Date.parse(d.start),
        end: Date.parse(d.end),
        announcedAt: Date.parse(d.announcedAt),
        reason: d.reason,
      })),
      resolve: intervalResolver(o.timeIntervals, svc.timezone),
      fromMs,
      toMs: now,
    });
    const args: Parameters<typeof computeFromMinuteCounts>[0] = {
      minutes: await queryMinuteCounts(o.store.db, { targetIds: svc.targetIds, fromMs, toMs: now }),
      fromMs,
      toMs: now,
      exclusions: plan.exclusions,
      availabilityObjective: svc.policy.availability,
      averageMs: svc.policy.latency.average_ms,
    };
    if (svc.policy.quorum !== undefined) args.quorum = svc.policy.quorum;
    const f = computeFromMinuteCounts(args).figures;
    services.push({
      id: svc.id,
      customer: svc.customer,
      state,
      month,
      availability: f.availability,
      objective: svc.policy.availability,
      availabilityMet: f.availabilityMet,
      avgResponseMs: f.avgResponseMs,
      targetMs: svc.policy.latency.average_ms,
      coverage: f.coverage,
    });
  }
  let alerts = await o.listOpenAlerts();
  if (customerId !== undefined) {
    const own = new Set(visible.map((s) => s.id));
    alerts = alerts.filter((a) => a.labels.customer === customerId || own.has(a.labels.service ?? ''));
  }
  return { generatedAt: new Date(now).toISOString(), services, alerts };
}
