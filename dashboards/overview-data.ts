import { inScope, type Alert, type Clock, type NamedTimeIntervalSpec, type Store } from '../core/index.js';
import { buildTimeline, querySlaSamples, servicesMonthFigures, type SlaService } from '../sla/index.js';

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
 * What the overview page shows: state now, month-to-date figures (from the running aggregates), open alerts.
 * With `customerId` (a customer-scoped caller) only that customer's services, and only alerts
 * labelled with one of its services or with the customer itself.
 */
export async function overviewData(o: OverviewOptions, customerId?: string): Promise<OverviewData> {
  const now = o.clock.now();
  const services: ServiceOverview[] = [];
  const visible = o.services.filter((s) => inScope(customerId, s.customer));
  // Month to date for all visible services at once, from the running aggregates.
  const mtd = new Map(
    (
      await servicesMonthFigures({
        store: o.store,
        services: visible,
        timeIntervals: o.timeIntervals,
        nowMs: now,
      })
    ).map((m) => [m.serviceId, m]),
  );
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
    const { month, figures: f } = mtd.get(svc.id)!;
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
