import type { WindowEvaluation } from './evaluate.js';
import type { MsRange } from './ranges.js';

const iso = (ms: number): string => new Date(ms).toISOString();
export const isoPairs = (r: readonly MsRange[]): [string, string][] => r.map(([f, t]) => [iso(f), iso(t)]);

/**
 * The JSON object `vigil sla compute --json` prints (DESIGN.md §7; field names are a contract),
 * plus what is needed to recompute it: the window, every exclusion with its reason, the unknown
 * intervals and the late announcements that counted as unplanned.
 */
export function figuresJson(ev: WindowEvaluation) {
  const f = ev.figures;
  return {
    from: iso(ev.fromMs),
    to: iso(ev.toMs),
    eligibleSeconds: f.eligibleSeconds,
    upSeconds: f.upSeconds,
    downSeconds: f.downSeconds,
    unknownSeconds: f.unknownSeconds,
    excludedSeconds: f.excludedSeconds,
    availability: f.availability,
    coverage: f.coverage,
    serviceHoursAvailability: f.serviceHoursAvailability,
    serviceHoursSeconds: f.serviceHoursSeconds,
    avgResponseMs: f.avgResponseMs,
    p50Ms: f.p50Ms,
    p95Ms: f.p95Ms,
    p99Ms: f.p99Ms,
    latencySamples: f.latencySamples,
    shareOverTarget: f.shareOverTarget,
    loopDelayExcluded: f.loopDelayExcluded,
    availabilityMet: f.availabilityMet,
    latencyMet: f.latencyMet,
    budgetRemainingSeconds: f.budgetRemainingSeconds,
    downIntervals: isoPairs(f.down),
    unknownIntervals: isoPairs(f.unknown),
    exclusions: ev.plan.exclusions.map((e) => ({
      from: iso(e.from),
      to: iso(e.to),
      kind: e.kind,
      reason: e.reason,
    })),
    unplannedAnnouncements: ev.plan.late.map((p) => ({
      id: p.id,
      start: iso(p.start),
      end: iso(p.end),
      announcedAt: iso(p.announcedAt),
      reason: p.reason,
      noticeSeconds: p.noticeMs / 1000,
      note: `announced ${(p.noticeMs / 3_600_000).toFixed(2)} h before its start, under the required ${p.requiredNoticeMs / 3_600_000} h: counted as unplanned`,
    })),
  };
}

export type FiguresJson = ReturnType<typeof figuresJson>;
