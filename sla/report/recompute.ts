import type { SlaReport } from './build-report.js';
import { mergeMs, subtractMs, totalMsOf, type MsRange } from '../ranges.js';

const pairs = (list: readonly (readonly [string, string])[]): MsRange[] =>
  list.map(([f, t]) => [Date.parse(f), Date.parse(t)] as const);

/**
 * Recomputes a report's headline figures from its own intervals alone (window, exclusions, down
 * and unknown intervals, per-day latency sums), so anyone can check a report without vigil's store.
 */
export function recomputeReport(
  r: Pick<
    SlaReport,
    'from' | 'to' | 'exclusions' | 'downIntervals' | 'unknownIntervals' | 'daily' | 'policy'
  >,
) {
  const window: MsRange[] = [[Date.parse(r.from), Date.parse(r.to)]];
  const excluded = mergeMs(r.exclusions.map((e) => [Date.parse(e.from), Date.parse(e.to)] as const));
  const eligible = subtractMs(window, excluded);
  const eligibleMs = totalMsOf(eligible);
  const downMs = totalMsOf(pairs(r.downIntervals));
  const unknownMs = totalMsOf(pairs(r.unknownIntervals));
  const upMs = eligibleMs - downMs - unknownMs;
  const measured = upMs + downMs;
  let latSum = 0;
  let latN = 0;
  for (const d of r.daily) {
    latSum += (d.avgResponseMs ?? 0) * d.latencySamples;
    latN += d.latencySamples;
  }
  return {
    eligibleSeconds: eligibleMs / 1000,
    excludedSeconds: totalMsOf(excluded) / 1000,
    upSeconds: upMs / 1000,
    downSeconds: downMs / 1000,
    unknownSeconds: unknownMs / 1000,
    availability: measured === 0 ? null : upMs / measured,
    coverage: eligibleMs === 0 ? null : measured / eligibleMs,
    budgetRemainingSeconds: Math.round((1 - r.policy.availability) * measured - downMs) / 1000,
    latencySamples: latN,
    avgResponseMs: latN === 0 ? null : latSum / latN,
  };
}
