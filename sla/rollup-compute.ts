import { verdict } from './timeline.js';
import { intersectMs, mergeMs, type MsRange } from './ranges.js';
import { ROLLUP_MAX_BUCKET, bucketValue, type ProbeRollup } from './store.js';
import type { Exclusion } from './compute.js';

const MINUTE = 60_000;

/** Month figures from rollups: availability to the minute, latency average exact, percentiles to a bucket. */
export interface RollupFigures {
  eligibleSeconds: number;
  upSeconds: number;
  downSeconds: number;
  unknownSeconds: number;
  excludedSeconds: number;
  availability: number | null;
  coverage: number | null;
  availabilityMet: boolean;
  budgetRemainingSeconds: number;
  down: MsRange[];
  avgResponseMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  latencySamples: number;
  loopDelayExcluded: number;
  latencyMet: boolean;
  approximate: true;
}

/** The p-th percentile (nearest rank) of a bucket histogram, as the bucket's value. */
export function bucketPercentile(counts: Float64Array, total: number, p: number): number | null {
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (let b = 0; b < counts.length; b++) {
    seen += counts[b]!;
    if (seen >= rank) return bucketValue(b);
  }
  return null;
}

/**
 * SLA figures from per-minute rollups (overview page, many services at once). A location's minute
 * is down when most of its samples failed, up otherwise, unknown without samples; the quorum rule
 * of DESIGN.md §5 (`verdict`) is applied per minute. This equals `computeSla` over one sample per
 * location and minute with a 60 s staleness, but runs over typed arrays indexed by minute, so a
 * month costs O(rollups + minutes). Month reports use the raw results (exact to the ms).
 */
export function computeFromRollups(args: RollupWindow & { rollups: readonly ProbeRollup[] }): RollupFigures {
  // One MinuteCounts per rollup: computeFromMinuteCounts sums entries of the same minute.
  const minutes: MinuteCounts[] = args.rollups.map((r) => ({
    minuteAt: r.minuteAt,
    up: r.failCount > r.okCount || r.okCount + r.failCount === 0 ? 0 : 1,
    down: r.failCount > r.okCount ? 1 : 0,
    latSum: r.latSum,
    latCount: r.latCount,
    flagged: r.flaggedCount,
  }));
  const f = computeFromMinuteCounts({ ...args, minutes });
  // Percentiles over the rollups whose minute has eligible time, as the average.
  const counts = new Float64Array(ROLLUP_MAX_BUCKET + 1);
  let n = 0;
  for (const r of args.rollups) {
    if (!f.eligibleMinute(r.minuteAt)) continue;
    n += r.latCount;
    for (const [b, c] of r.hist) counts[b] = counts[b]! + c;
  }
  return {
    ...f.figures,
    p50Ms: bucketPercentile(counts, n, 50),
    p95Ms: bucketPercentile(counts, n, 95),
    p99Ms: bucketPercentile(counts, n, 99),
  };
}

/** Per minute: how many (target, location) voters said up and down, and the latency sums. */
export interface MinuteCounts {
  minuteAt: number;
  up: number;
  down: number;
  latSum: number;
  latCount: number;
  flagged: number;
}

export interface RollupWindow {
  fromMs: number;
  toMs: number;
  quorum?: number;
  exclusions: readonly Exclusion[];
  availabilityObjective: number;
  averageMs: number;
}

/**
 * The same figures from per-minute voter counts (e.g. summed in SQL by `queryMinuteCounts`),
 * without percentiles. Returns also which minutes had eligible time.
 */
export function computeFromMinuteCounts(args: RollupWindow & { minutes: readonly MinuteCounts[] }): {
  figures: RollupFigures;
  eligibleMinute: (minuteAt: number) => boolean;
} {
  const { fromMs, toMs } = args;
  const base = Math.floor(fromMs / MINUTE) * MINUTE;
  const n = toMs > fromMs ? Math.ceil((toMs - base) / MINUTE) : 0;
  const up = new Uint16Array(n);
  const dn = new Uint16Array(n);
  // Eligible ms of each minute: the window's part of it, less excluded time.
  const elig = new Float64Array(n);
  for (let i = 0; i < n; i++)
    elig[i] = Math.min(toMs, base + (i + 1) * MINUTE) - Math.max(fromMs, base + i * MINUTE);
  const window: MsRange[] = n > 0 ? [[fromMs, toMs]] : [];
  const excluded = intersectMs(mergeMs(args.exclusions.map((e) => [e.from, e.to] as const)), window);
  let excludedMs = 0;
  for (const [f, t] of excluded) {
    excludedMs += t - f;
    for (let i = Math.floor((f - base) / MINUTE); i < n && base + i * MINUTE < t; i++) {
      elig[i] = elig[i]! - (Math.min(t, base + (i + 1) * MINUTE) - Math.max(f, base + i * MINUTE));
    }
  }
  let sum = 0;
  let count = 0;
  let flagged = 0;
  for (const m of args.minutes) {
    const i = (m.minuteAt - base) / MINUTE;
    if (i < 0 || i >= n) continue;
    up[i] = up[i]! + m.up;
    dn[i] = dn[i]! + m.down;
    if (elig[i]! <= 0) continue;
    sum += m.latSum;
    count += m.latCount;
    flagged += m.flagged;
  }
  let upMs = 0;
  let downMs = 0;
  let eligibleMs = 0;
  const down: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const e = elig[i]!;
    eligibleMs += e;
    if (e <= 0) continue;
    const v = verdict(up[i]!, dn[i]!, args.quorum);
    if (v === 'up') upMs += e;
    else if (v === 'down') {
      downMs += e;
      // The down time inside this minute's eligible parts.
      const f = Math.max(fromMs, base + i * MINUTE);
      const t = Math.min(toMs, base + (i + 1) * MINUTE);
      for (const part of excluded.length > 0 ? subtractParts(f, t, excluded) : [[f, t] as [number, number]]) {
        const last = down[down.length - 1];
        if (last && last[1] === part[0]) last[1] = part[1];
        else down.push([part[0], part[1]]);
      }
    }
  }
  const measured = upMs + downMs;
  const budgetMs = Math.round((1 - args.availabilityObjective) * measured - downMs);
  const avg = count === 0 ? null : sum / count;
  return {
    figures: {
      eligibleSeconds: eligibleMs / 1000,
      upSeconds: upMs / 1000,
      downSeconds: downMs / 1000,
      unknownSeconds: (eligibleMs - measured) / 1000,
      excludedSeconds: excludedMs / 1000,
      availability: measured === 0 ? null : upMs / measured,
      coverage: eligibleMs === 0 ? null : measured / eligibleMs,
      availabilityMet: budgetMs >= 0,
      budgetRemainingSeconds: budgetMs / 1000,
      down,
      avgResponseMs: avg,
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
      latencySamples: count,
      loopDelayExcluded: flagged,
      latencyMet: avg === null || avg <= args.averageMs,
      approximate: true,
    },
    eligibleMinute: (minuteAt) => {
      const i = (minuteAt - base) / MINUTE;
      return i >= 0 && i < n && elig[i]! > 0;
    },
  };
}

function subtractParts(f: number, t: number, excluded: readonly MsRange[]): [number, number][] {
  const out: [number, number][] = [];
  let cur = f;
  for (const [ef, et] of excluded) {
    if (et <= cur) continue;
    if (ef >= t) break;
    if (ef > cur) out.push([cur, ef]);
    cur = Math.max(cur, et);
    if (cur >= t) break;
  }
  if (cur < t) out.push([cur, t]);
  return out;
}

/** The figures of an empty window (nothing eligible, nothing measured). */
export function emptyFigures(w: RollupWindow): RollupFigures {
  return computeFromRollups({ ...w, toMs: w.fromMs, rollups: [] });
}
