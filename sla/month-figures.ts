import { zonedParts, type NamedTimeIntervalSpec, type Store } from '../core/index.js';
import { computeFromAggregates, type AggregateRequest } from './aggregate-compute.js';
import { planExclusions, type IntervalResolver } from './exclusions.js';
import { intervalResolver, monthRange } from './intervals.js';
import { listPlannedDowntimes } from './store.js';
import type { RollupFigures } from './rollup-compute.js';
import type { SlaService } from './services.js';

/** One service's month figures from the running aggregates. */
export interface ServiceMonthFigures {
  serviceId: string;
  /** "YYYY-MM" in the service's time zone. */
  month: string;
  fromMs: number;
  /** The month's end, or `nowMs` while the month is running. */
  toMs: number;
  figures: RollupFigures;
}

function memoized(resolve: IntervalResolver): IntervalResolver {
  const cache = new Map<string, ReturnType<IntervalResolver>>();
  return (name, fromMs, toMs) => {
    const k = `${name}\u0000${fromMs}\u0000${toMs}`;
    let r = cache.get(k);
    if (!r) cache.set(k, (r = resolve(name, fromMs, toMs)));
    return r;
  };
}

/** "YYYY-MM" of an instant in a time zone. */
export function monthOf(ms: number, tz: string): string {
  const p = zonedParts(ms, tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}`;
}

/**
 * Month figures of many services at once (the overview's month to date, the month report for all
 * services): maintenance and planned downtime as in DESIGN.md §5, then `computeFromAggregates`
 * with one query per table for all of them. Without `month`, each service's current month in its
 * own time zone, up to `nowMs`.
 */
export async function servicesMonthFigures(args: {
  store: Store;
  services: readonly SlaService[];
  timeIntervals: readonly NamedTimeIntervalSpec[];
  nowMs: number;
  month?: string;
}): Promise<ServiceMonthFigures[]> {
  const windows = args.services.map((svc) => {
    const month = args.month ?? monthOf(args.nowMs, svc.timezone);
    const [fromMs, end] = monthRange(month, svc.timezone);
    return { svc, month, fromMs, toMs: Math.max(fromMs, Math.min(end, args.nowMs)) };
  });
  if (windows.length === 0) return [];
  const planned = await listPlannedDowntimes(args.store.db, {
    serviceIds: windows.map((w) => w.svc.id),
    fromMs: Math.min(...windows.map((w) => w.fromMs)),
    toMs: Math.max(...windows.map((w) => w.toMs)),
  });
  const resolvers = new Map<string, ReturnType<typeof intervalResolver>>();
  const requests = windows.map(({ svc, fromMs, toMs }): AggregateRequest => {
    // Services sharing a time zone share the compiled intervals and, per window, their ranges.
    let resolve = resolvers.get(svc.timezone);
    if (!resolve)
      resolvers.set(svc.timezone, (resolve = memoized(intervalResolver(args.timeIntervals, svc.timezone))));
    const plan = planExclusions({
      maintenance: svc.policy.maintenance,
      plannedNoticeMs: svc.policy.planned_notice,
      planned: planned
        .filter((d) => d.serviceId === svc.id)
        .map((d) => ({
          id: d.id,
          start: Date.parse(d.start),
          end: Date.parse(d.end),
          announcedAt: Date.parse(d.announcedAt),
          reason: d.reason,
        })),
      resolve,
      fromMs,
      toMs,
    });
    const r: AggregateRequest = {
      targetIds: svc.targetIds,
      fromMs,
      toMs,
      exclusions: plan.exclusions,
      availabilityObjective: svc.policy.availability,
      averageMs: svc.policy.latency.average_ms,
    };
    if (svc.policy.quorum !== undefined) r.quorum = svc.policy.quorum;
    return r;
  });
  const figures = await computeFromAggregates(args.store.db, requests);
  return windows.map((w, i) => ({
    serviceId: w.svc.id,
    month: w.month,
    fromMs: w.fromMs,
    toMs: w.toMs,
    figures: figures[i]!,
  }));
}
