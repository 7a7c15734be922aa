import { calendarDayRanges, type Incident } from '../../core/index.js';
import { evaluateWindow } from '../evaluate.js';
import { figuresJson } from '../figures-json.js';
import { incidentAvailability } from '../incident-availability.js';
import type { SlaPolicy } from '../config.js';
import type { IntervalResolver, PlannedWindow } from '../exclusions.js';
import type { SlaSample } from '../timeline.js';

export interface ReportInput {
  serviceId: string;
  customer: string;
  policy: SlaPolicy;
  timezone: string;
  resolve: IntervalResolver;
  probeIntervalMs: number;
  /** Samples sorted by ts, from at least one staleness span before fromMs. */
  samples: readonly SlaSample[];
  planned: readonly PlannedWindow[];
  incidents: readonly Incident[];
  /** A label for the period, e.g. "2026-03". */
  period: string;
  fromMs: number;
  toMs: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** First index with ts ≥ t in samples sorted by ts. */
function lowerBound(s: readonly SlaSample[], t: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s[mid]!.ts < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The SLA report of one service and period: the headline figures of DESIGN.md §7, everything
 * needed to recompute them (every down and unknown interval, every exclusion with its reason),
 * per-day figures for the charts, the budget burn-down and incident-measured availability (S9).
 */
export function buildReport(input: ReportInput) {
  const base = {
    policy: input.policy,
    resolve: input.resolve,
    probeIntervalMs: input.probeIntervalMs,
    planned: input.planned,
  };
  const whole = evaluateWindow({ ...base, samples: input.samples, fromMs: input.fromMs, toMs: input.toMs });
  const stale = input.policy.staleness ?? 2 * input.probeIntervalMs;
  const budgetTotal = (1 - input.policy.availability) * (whole.figures.upSeconds + whole.figures.downSeconds);
  let cumulativeDown = 0;
  const daily = calendarDayRanges(input.fromMs, input.toMs, input.timezone).map(([f, t]) => {
    const slice = input.samples.slice(lowerBound(input.samples, f - stale), lowerBound(input.samples, t));
    const d = evaluateWindow({ ...base, samples: slice, fromMs: f, toMs: t }).figures;
    cumulativeDown += d.downSeconds;
    return {
      date: new Intl.DateTimeFormat('en-CA', { timeZone: input.timezone }).format(f),
      from: iso(f),
      to: iso(t),
      eligibleSeconds: d.eligibleSeconds,
      upSeconds: d.upSeconds,
      downSeconds: d.downSeconds,
      unknownSeconds: d.unknownSeconds,
      availability: d.availability,
      avgResponseMs: d.avgResponseMs,
      p50Ms: d.p50Ms,
      p95Ms: d.p95Ms,
      p99Ms: d.p99Ms,
      latencySamples: d.latencySamples,
      budgetRemainingSeconds: budgetTotal - cumulativeDown,
    };
  });
  const excluded = whole.plan.exclusions.map((e) => [e.from, e.to] as const);
  return {
    kind: 'vigil.sla.report' as const,
    version: 1,
    service: input.serviceId,
    customer: input.customer,
    period: input.period,
    timezone: input.timezone,
    policy: {
      id: input.policy.id,
      availability: input.policy.availability,
      latency: input.policy.latency,
      maintenance: input.policy.maintenance,
      serviceHours: input.policy.service_hours ?? null,
      plannedNoticeSeconds: input.policy.planned_notice / 1000,
      quorum: input.policy.quorum ?? null,
      stalenessSeconds: stale / 1000,
      probeIntervalSeconds: input.probeIntervalMs / 1000,
    },
    ...figuresJson(whole),
    budgetTotalSeconds: budgetTotal,
    incidentMeasured: incidentAvailability(input.incidents, input.fromMs, input.toMs, excluded),
    daily,
  };
}

export type SlaReport = ReturnType<typeof buildReport>;
