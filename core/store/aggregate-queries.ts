import type { Kysely } from 'kysely';
import type { ProbeRollupsDb } from './probe-rollups.js';
import { decodeHist } from './rollup-hist.js';
import { decodeRuns, type MinuteRuns, type ProbeAggregatesDb } from './probe-aggregates.js';

/** A day aggregate as read back: minute runs decoded, histogram parsed. */
export interface DayAggregate {
  targetId: string;
  location: string;
  dayAt: number;
  up: MinuteRuns;
  down: MinuteRuns;
  latSum: number;
  latCount: number;
  flagged: number;
  hist: Map<number, number>;
}

/** The latency part of an hour aggregate or a minute rollup (`at` is the period's start). */
export interface LatencyRow {
  targetId: string;
  location: string;
  at: number;
  /** Which table the row came from: an hour aggregate or a minute rollup. */
  period: 'hour' | 'minute';
  latSum: number;
  latCount: number;
  flagged: number;
  hist: Map<number, number>;
}

/** Day aggregates of the targets for UTC days that start in [fromMs, toMs): one query. */
export async function queryDayAggregates(
  db: Kysely<ProbeAggregatesDb & ProbeRollupsDb>,
  q: { targetIds: readonly string[]; fromMs: number; toMs: number },
): Promise<DayAggregate[]> {
  if (q.targetIds.length === 0 || q.toMs <= q.fromMs) return [];
  const rows = await db
    .selectFrom('probe_day_aggregates')
    .selectAll()
    .where('target_id', 'in', [...q.targetIds])
    .where('day_at', '>=', q.fromMs)
    .where('day_at', '<', q.toMs)
    .execute();
  return rows.map((r) => ({
    targetId: r.target_id,
    location: r.location,
    dayAt: Number(r.day_at),
    up: decodeRuns(r.up),
    down: decodeRuns(r.down),
    latSum: r.lat_sum,
    latCount: r.lat_count,
    flagged: r.flagged_count,
    hist: decodeHist(r.hist),
  }));
}

type Ranges = readonly (readonly [number, number])[];

/**
 * Latency of the targets in the given hour ranges (hour aggregates) and minute ranges (minute
 * rollups), for many services at once: one query per range, each a primary-key range scan
 * (target × location × time), never a scan of a target's whole history.
 */
export async function queryLatencyIn(
  db: Kysely<ProbeAggregatesDb & ProbeRollupsDb>,
  q: { targetIds: readonly string[]; locations: readonly string[]; hours: Ranges; minutes: Ranges },
): Promise<LatencyRow[]> {
  if (q.targetIds.length === 0 || q.locations.length === 0) return [];
  const targets = [...q.targetIds];
  const locations = [...q.locations];
  const out: LatencyRow[] = [];
  for (const [f, t] of q.hours) {
    const rows = await db
      .selectFrom('probe_hour_aggregates')
      .select(['target_id', 'location', 'hour_at as at', 'lat_sum', 'lat_count', 'flagged_count', 'hist'])
      .where('target_id', 'in', targets)
      .where('location', 'in', locations)
      .where('hour_at', '>=', f)
      .where('hour_at', '<', t)
      .execute();
    for (const r of rows) out.push(toLatency(r, 'hour'));
  }
  for (const [f, t] of q.minutes) {
    const rows = await db
      .selectFrom('probe_rollups')
      .select(['target_id', 'location', 'minute_at as at', 'lat_sum', 'lat_count', 'flagged_count', 'hist'])
      .where('target_id', 'in', targets)
      .where('location', 'in', locations)
      .where('minute_at', '>=', f)
      .where('minute_at', '<', t)
      .execute();
    for (const r of rows) out.push(toLatency(r, 'minute'));
  }
  return out;
}

function toLatency(
  r: {
    target_id: string;
    location: string;
    at: number;
    lat_sum: number;
    lat_count: number;
    flagged_count: number;
    hist: string;
  },
  period: 'hour' | 'minute',
): LatencyRow {
  return {
    targetId: r.target_id,
    location: r.location,
    at: Number(r.at),
    period,
    latSum: r.lat_sum,
    latCount: r.lat_count,
    flagged: r.flagged_count,
    hist: decodeHist(r.hist),
  };
}
