import { computeSla, type Exclusion, type SlaFigures } from './compute.js';
import { bucketValue, type ProbeRollup } from './store.js';
import type { SlaSample } from './timeline.js';

export interface RollupFigures extends Omit<SlaFigures, 'p50Ms' | 'p95Ms' | 'p99Ms'> {
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Minute rollups are approximate: availability to the minute, percentiles to a bucket (~9 %). */
  approximate: true;
}

function histPercentile(hist: Map<number, number>, total: number, p: number): number | null {
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const b of [...hist.keys()].sort((a, c) => a - c)) {
    seen += hist.get(b)!;
    if (seen >= rank) return bucketValue(b);
  }
  return null;
}

/**
 * SLA figures from per-minute rollups (overview page, many services at once): each location's
 * minute is down when most of its samples failed, and the quorum is applied per minute; latency
 * average is exact (sum / count), percentiles come from the log-bucket histogram. Month reports
 * use the raw results instead (`computeSla`), which are exact to the millisecond.
 */
export function computeFromRollups(args: {
  rollups: readonly ProbeRollup[];
  fromMs: number;
  toMs: number;
  quorum?: number;
  exclusions: readonly Exclusion[];
  availabilityObjective: number;
  averageMs: number;
}): RollupFigures {
  const samples: SlaSample[] = args.rollups.map((r) => ({
    ts: r.minuteAt,
    ok: r.failCount <= r.okCount,
    totalMs: 0,
    location: r.location,
  }));
  const input: Parameters<typeof computeSla>[0] = {
    samples,
    fromMs: args.fromMs,
    toMs: args.toMs,
    stalenessMs: 60_000,
    exclusions: args.exclusions,
    availabilityObjective: args.availabilityObjective,
    latency: { averageMs: args.averageMs },
  };
  if (args.quorum !== undefined) input.quorum = args.quorum;
  const f = computeSla(input);
  const hist = new Map<number, number>();
  let sum = 0;
  let n = 0;
  let flagged = 0;
  for (const r of args.rollups) {
    if (r.minuteAt < args.fromMs || r.minuteAt >= args.toMs) continue;
    if (args.exclusions.some((e) => r.minuteAt >= e.from && r.minuteAt < e.to)) continue;
    sum += r.latSum;
    n += r.latCount;
    flagged += r.flaggedCount;
    for (const [b, c] of r.hist) hist.set(b, (hist.get(b) ?? 0) + c);
  }
  const avg = n === 0 ? null : sum / n;
  return {
    ...f,
    avgResponseMs: avg,
    p50Ms: histPercentile(hist, n, 50),
    p95Ms: histPercentile(hist, n, 95),
    p99Ms: histPercentile(hist, n, 99),
    latencySamples: n,
    loopDelayExcluded: flagged,
    shareOverTarget: null,
    latencyMet: avg === null || avg <= args.averageMs,
    approximate: true,
  };
}
