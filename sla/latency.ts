import type { MsRange } from './ranges.js';
import type { SlaSample } from './timeline.js';

export interface LatencyTargets {
  averageMs: number;
  p95Ms?: number;
  p99Ms?: number;
}

export interface LatencyFigures {
  avgResponseMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  latencySamples: number;
  /** Share of counted samples whose totalMs is over the average target (0..1), null without samples. */
  shareOverTarget: number | null;
  /** Samples left out because the probing process's event loop was delayed (DESIGN.md §5, S1). */
  loopDelayExcluded: number;
  latencyMet: boolean;
}

/** Nearest-rank percentile of an ascending array (the smallest value with at least p% at or below it). */
export function nearestRank(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/**
 * Latency over successful samples whose start lies in eligible time, leaving out samples the
 * probe flagged for its own event-loop delay (DESIGN.md §5, S1).
 */
export function latencyFigures(
  samples: readonly SlaSample[],
  eligible: readonly MsRange[],
  targets: LatencyTargets,
): LatencyFigures {
  const candidates = samples.filter((s) => s.ok).sort((a, b) => a.ts - b.ts);
  const values: number[] = [];
  let flagged = 0;
  let j = 0;
  for (const s of candidates) {
    while (j < eligible.length && eligible[j]![1] <= s.ts) j++;
    const r = eligible[j];
    if (!r || s.ts < r[0]) continue;
    if (s.loopDelayFlagged) flagged++;
    else values.push(s.totalMs);
  }
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  let over = 0;
  for (const v of sorted) {
    sum += v;
    if (v > targets.averageMs) over++;
  }
  const n = sorted.length;
  const avg = n === 0 ? null : sum / n;
  const p95 = nearestRank(sorted, 95);
  const p99 = nearestRank(sorted, 99);
  const met =
    (avg === null || avg <= targets.averageMs) &&
    (targets.p95Ms === undefined || p95 === null || p95 <= targets.p95Ms) &&
    (targets.p99Ms === undefined || p99 === null || p99 <= targets.p99Ms);
  return {
    avgResponseMs: avg,
    p50Ms: nearestRank(sorted, 50),
    p95Ms: p95,
    p99Ms: p99,
    latencySamples: n,
    shareOverTarget: n === 0 ? null : over / n,
    loopDelayExcluded: flagged,
    latencyMet: met,
  };
}
