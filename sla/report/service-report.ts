import type { Store } from '../../core/index.js';
import { querySlaSamples } from '../sample-query.js';
import { intervalResolver, monthRange } from '../intervals.js';
import { listIncidents, listPlannedDowntimes } from '../store.js';
import { buildReport, type SlaReport } from './build-report.js';
import type { SlaService } from '../services.js';
import type { NamedTimeIntervalSpec } from '../../core/index.js';

/**
 * The month report of one service from the store (`vigil sla report`, the report endpoint). A
 * month still running is reported up to `nowMs`.
 */
export async function serviceMonthReport(args: {
  store: Store;
  service: SlaService;
  timeIntervals: readonly NamedTimeIntervalSpec[];
  month: string;
  nowMs: number;
}): Promise<SlaReport> {
  const { service: svc } = args;
  const [fromMs, monthEnd] = monthRange(args.month, svc.timezone);
  const toMs = Math.max(fromMs, Math.min(monthEnd, args.nowMs));
  const stale = svc.policy.staleness ?? 2 * svc.probeIntervalMs;
  const samples = await querySlaSamples(args.store.db, {
    targetIds: svc.targetIds,
    fromMs: fromMs - stale,
    toMs,
  });
  const planned = await listPlannedDowntimes(args.store.db, { serviceIds: [svc.id], fromMs, toMs });
  const incidents = await listIncidents(args.store.db, {
    serviceId: svc.id,
    kind: 'availability',
    fromMs,
    toMs,
  });
  return buildReport({
    serviceId: svc.id,
    customer: svc.customer,
    policy: svc.policy,
    timezone: svc.timezone,
    resolve: intervalResolver(args.timeIntervals, svc.timezone),
    probeIntervalMs: svc.probeIntervalMs,
    samples,
    planned: planned.map((p) => ({
      id: p.id,
      start: Date.parse(p.start),
      end: Date.parse(p.end),
      announcedAt: Date.parse(p.announcedAt),
      reason: p.reason,
    })),
    incidents,
    period: args.month,
    fromMs,
    toMs,
  });
}
