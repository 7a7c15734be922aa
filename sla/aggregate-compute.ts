import type { Kysely } from 'kysely';
import {
  DAY_MS,
  HOUR_MS,
  addHist,
  queryDayAggregates,
  queryLatencyIn,
  type DayAggregate,
  type LatencyRow,
  type ProbeAggregatesDb,
  type ProbeRollupsDb,
  ROLLUP_MAX_BUCKET,
} from '../core/index.js';
import { intersectMs, mergeMs, subtractMs, totalMsOf, type MsRange } from './ranges.js';
import { verdict } from './timeline.js';
import { bucketPercentile, emptyFigures, type RollupFigures, type RollupWindow } from './rollup-compute.js';

const MINUTE = 60_000;
const floorTo = (t: number, p: number): number => Math.floor(t / p) * p;
const ceilTo = (t: number, p: number): number => Math.ceil(t / p) * p;

/** One service's figures to compute: its targets and window (see `computeFromAggregates`). */
export interface AggregateRequest extends RollupWindow {
  targetIds: readonly string[];
}

interface Plan {
  req: AggregateRequest;
  targets: Set<string>;
  /** Minutes with eligible time (whole minutes), the latency's scope. */
  latencyMinutes: MsRange[];
  /** UTC days touching `latencyMinutes`. */
  days: Set<number>;
  /** Those days less `latencyMinutes`: subtracted, as whole hours and leftover minutes. */
  hours: MsRange[];
  minutes: MsRange[];
  excluded: MsRange[];
  eligible: MsRange[];
}

function plan(req: AggregateRequest): Plan {
  const window: MsRange[] = req.toMs > req.fromMs ? [[req.fromMs, req.toMs]] : [];
  const excluded = intersectMs(mergeMs(req.exclusions.map((e) => [e.from, e.to] as const)), window);
  const eligible = subtractMs(window, excluded);
  const latencyMinutes = mergeMs(eligible.map(([f, t]) => [floorTo(f, MINUTE), ceilTo(t, MINUTE)] as const));
  const days = new Set<number>();
  for (const [f, t] of latencyMinutes) for (let d = floorTo(f, DAY_MS); d < t; d += DAY_MS) days.add(d);
  const whole = mergeMs([...days].map((d) => [d, d + DAY_MS] as const));
  const rest = subtractMs(whole, latencyMinutes);
  const hours: MsRange[] = [];
  const minutes: MsRange[] = [];
  for (const [f, t] of rest) {
    const hf = ceilTo(f, HOUR_MS);
    const ht = floorTo(t, HOUR_MS);
    if (hf >= ht) {
      minutes.push([f, t]);
      continue;
    }
    if (f < hf) minutes.push([f, hf]);
    hours.push([hf, ht]);
    if (ht < t) minutes.push([ht, t]);
  }
  return { req, targets: new Set(req.targetIds), latencyMinutes, days, hours, minutes, excluded, eligible };
}

const inRanges = (at: number, ranges: readonly MsRange[]): boolean =>
  ranges.some(([f, t]) => f <= at && at < t);

/**
 * Month-to-date (or whole-month) figures of many services from the day and hour aggregates:
 * the same numbers as `computeFromRollups` over the minute rollups (same minute rule, same quorum,
 * same exclusions; the latency average to float rounding), but from ~31 rows per location and
 * month instead of ~44,640, and with one query per table for all services together.
 */
export async function computeFromAggregates(
  db: Kysely<ProbeAggregatesDb & ProbeRollupsDb>,
  requests: readonly AggregateRequest[],
): Promise<RollupFigures[]> {
  const plans = requests.map(plan);
  const live = plans.filter((p) => p.req.toMs > p.req.fromMs);
  if (live.length === 0) return plans.map((p) => emptyFigures(p.req));
  const targetIds = [...new Set(live.flatMap((p) => [...p.targets]))];
  const fromDay = Math.min(...live.map((p) => floorTo(p.req.fromMs, DAY_MS)));
  const toDay = Math.max(...live.map((p) => ceilTo(p.req.toMs, MINUTE)));
  const dayRows = await queryDayAggregates(db, { targetIds, fromMs: fromDay, toMs: toDay });
  // Latency to subtract exists only where a location has a day row.
  const latRows = await queryLatencyIn(db, {
    targetIds,
    locations: [...new Set(dayRows.map((d) => d.location))],
    hours: mergeMs(live.flatMap((p) => p.hours)),
    minutes: mergeMs(live.flatMap((p) => p.minutes)),
  });
  const dayByTarget = groupBy(dayRows);
  const latByTarget = groupBy(latRows);
  return plans.map((p) => {
    if (p.req.toMs <= p.req.fromMs) return emptyFigures(p.req);
    const days = [...p.targets].flatMap((t) => dayByTarget.get(t) ?? []);
    const lats = [...p.targets].flatMap((t) => latByTarget.get(t) ?? []);
    return figuresOf(p, days, lats);
  });
}

function groupBy<T extends { targetId: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.targetId);
    if (list) list.push(r);
    else out.set(r.targetId, [r]);
  }
  return out;
}

function figuresOf(p: Plan, days: readonly DayAggregate[], lats: readonly LatencyRow[]): RollupFigures {
  const { req } = p;
  const lo = floorTo(req.fromMs, MINUTE);
  const hi = ceilTo(req.toMs, MINUTE);
  // Each location's up and down minutes become +1/−1 events; the quorum rule applies per segment.
  const events: [number, number, number][] = [];
  let sum = 0;
  let count = 0;
  let flagged = 0;
  const hist = new Map<number, number>();
  for (const d of days) {
    for (const [runs, isUp] of [
      [d.up, true],
      [d.down, false],
    ] as const) {
      for (const [f, t] of runs) {
        const from = Math.max(lo, d.dayAt + f * MINUTE);
        const to = Math.min(hi, d.dayAt + t * MINUTE);
        if (from >= to) continue;
        events.push([from, isUp ? 1 : 0, isUp ? 0 : 1], [to, isUp ? -1 : 0, isUp ? 0 : -1]);
      }
    }
    if (!p.days.has(d.dayAt)) continue;
    sum += d.latSum;
    count += d.latCount;
    flagged += d.flagged;
    addHist(hist, d.hist);
  }
  for (const l of lats) {
    if (!inRanges(l.at, l.period === 'hour' ? p.hours : p.minutes)) continue;
    if (!p.days.has(floorTo(l.at, DAY_MS))) continue;
    sum -= l.latSum;
    count -= l.latCount;
    flagged -= l.flagged;
    addHist(hist, l.hist, -1);
  }
  events.sort((a, b) => a[0] - b[0]);
  const upV: [number, number][] = [];
  const downV: [number, number][] = [];
  let nUp = 0;
  let nDown = 0;
  for (let i = 0; i < events.length;) {
    const at = events[i]![0];
    while (i < events.length && events[i]![0] === at) {
      nUp += events[i]![1];
      nDown += events[i]![2];
      i++;
    }
    const next = events[i]?.[0];
    if (next === undefined) break;
    const v = verdict(nUp, nDown, req.quorum);
    const list = v === 'up' ? upV : v === 'down' ? downV : undefined;
    if (!list) continue;
    const last = list[list.length - 1];
    if (last && last[1] === at) last[1] = next;
    else list.push([at, next]);
  }
  const upMs = totalMsOf(intersectMs(upV, p.eligible));
  const down = intersectMs(downV, p.eligible).map(([f, t]) => [f, t] as MsRange);
  const downMs = totalMsOf(down);
  const eligibleMs = totalMsOf(p.eligible);
  const measured = upMs + downMs;
  const budgetMs = Math.round((1 - req.availabilityObjective) * measured - downMs);
  const avg = count === 0 ? null : sum / count;
  const counts = new Float64Array(ROLLUP_MAX_BUCKET + 1);
  for (const [b, c] of hist) counts[b] = c;
  return {
    eligibleSeconds: eligibleMs / 1000,
    upSeconds: upMs / 1000,
    downSeconds: downMs / 1000,
    unknownSeconds: (eligibleMs - measured) / 1000,
    excludedSeconds: totalMsOf(p.excluded) / 1000,
    availability: measured === 0 ? null : upMs / measured,
    coverage: eligibleMs === 0 ? null : measured / eligibleMs,
    availabilityMet: budgetMs >= 0,
    budgetRemainingSeconds: budgetMs / 1000,
    down: down as [number, number][],
    avgResponseMs: avg,
    p50Ms: bucketPercentile(counts, count, 50),
    p95Ms: bucketPercentile(counts, count, 95),
    p99Ms: bucketPercentile(counts, count, 99),
    latencySamples: count,
    loopDelayExcluded: flagged,
    latencyMet: avg === null || avg <= req.averageMs,
    approximate: true,
  };
}
