import type { Kysely } from 'kysely';
import { decodeHist, encodeHist } from './rollup-hist.js';
import type { ProbeRollupsDb } from './probe-rollups.js';

/**
 * Running aggregates of the per-minute rollups, per (target, location) and UTC day or hour, so a
 * month of one location is ~31 day rows instead of ~44,640 minute rows. A day row keeps which
 * minutes were up and which down (run-length encoded, minute offsets in the day) and the latency
 * sums and histogram of the day; an hour row keeps the latency sums and histogram of the hour, so
 * time left out of a figure (maintenance, the part of a UTC day outside a local month) can be
 * subtracted without reading its minutes. Both are updated in the rollups' transaction.
 */
export interface ProbeDayAggregatesTable {
  target_id: string;
  location: string;
  day_at: number;
  /** Minutes whose rollup says up, "from-to" offsets (to exclusive) in the day, comma-separated. */
  up: string;
  down: string;
  lat_sum: number;
  lat_count: number;
  flagged_count: number;
  hist: string;
}

export interface ProbeHourAggregatesTable {
  target_id: string;
  location: string;
  hour_at: number;
  lat_sum: number;
  lat_count: number;
  flagged_count: number;
  hist: string;
}

export interface ProbeAggregatesDb {
  probe_day_aggregates: ProbeDayAggregatesTable;
  probe_hour_aggregates: ProbeHourAggregatesTable;
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
const MINUTE = 60_000;

/** Latency contribution of some samples: the additive part of a rollup. */
export interface LatencyDelta {
  latSum: number;
  latCount: number;
  flagged: number;
  hist: Map<number, number>;
}

/** One minute's new state after its rollup changed, with the latency the change added. */
export interface MinuteChange {
  targetId: string;
  location: string;
  minuteAt: number;
  state: 'up' | 'down';
  delta: LatencyDelta;
}

/** Run-length encoded minute sets: sorted, disjoint, non-adjacent [from, to) offsets. */
export type MinuteRuns = [number, number][];

export function decodeRuns(s: string): MinuteRuns {
  if (s === '') return [];
  return s.split(',').map((p) => {
    const [f, t] = p.split('-');
    return [Number(f), Number(t)];
  });
}

export const encodeRuns = (r: MinuteRuns): string => r.map(([f, t]) => `${f}-${t}`).join(',');

/** Adds (on) or removes (off) minute `i` in place, keeping the runs merged. */
export function setMinute(runs: MinuteRuns, i: number, on: boolean): void {
  let k = 0;
  while (k < runs.length && runs[k]![1] <= i) k++;
  const cur = runs[k];
  const inside = cur !== undefined && cur[0] <= i;
  if (on === inside) return;
  if (!on) {
    const [f, t] = cur!;
    const parts: MinuteRuns = [];
    if (f < i) parts.push([f, i]);
    if (i + 1 < t) parts.push([i + 1, t]);
    runs.splice(k, 1, ...parts);
    return;
  }
  const prev = runs[k - 1];
  const joinPrev = prev !== undefined && prev[1] === i;
  const joinNext = cur !== undefined && cur[0] === i + 1;
  if (joinPrev && joinNext) runs.splice(k - 1, 2, [prev[0], cur[1]]);
  else if (joinPrev) prev[1] = i + 1;
  else if (joinNext) cur[0] = i;
  else runs.splice(k, 0, [i, i + 1]);
}

export function addHist(into: Map<number, number>, from: Map<number, number>, sign = 1): void {
  for (const [b, c] of from) into.set(b, (into.get(b) ?? 0) + sign * c);
}

interface Acc {
  key: [string, string, number];
  latency: LatencyDelta;
  minutes: [number, 'up' | 'down'][];
}

function group(changes: readonly MinuteChange[], period: number): Map<string, Acc> {
  const out = new Map<string, Acc>();
  for (const c of changes) {
    const at = Math.floor(c.minuteAt / period) * period;
    const k = `${c.targetId}\u0000${c.location}\u0000${at}`;
    let a = out.get(k);
    if (!a) {
      a = {
        key: [c.targetId, c.location, at],
        latency: { latSum: 0, latCount: 0, flagged: 0, hist: new Map() },
        minutes: [],
      };
      out.set(k, a);
    }
    a.latency.latSum += c.delta.latSum;
    a.latency.latCount += c.delta.latCount;
    a.latency.flagged += c.delta.flagged;
    addHist(a.latency.hist, c.delta.hist);
    a.minutes.push([(c.minuteAt - at) / MINUTE, c.state]);
  }
  return out;
}

/**
 * Folds minute changes into the day and hour aggregates (read-modify-write; call inside the
 * transaction that wrote the rollups, so aggregates and rollups never disagree).
 */
export async function applyMinuteChanges(
  tx: Kysely<ProbeAggregatesDb>,
  changes: readonly MinuteChange[],
): Promise<void> {
  for (const { key, latency: d, minutes } of group(changes, DAY_MS).values()) {
    const [targetId, location, dayAt] = key;
    const row = await tx
      .selectFrom('probe_day_aggregates')
      .selectAll()
      .where('target_id', '=', targetId)
      .where('location', '=', location)
      .where('day_at', '=', dayAt)
      .executeTakeFirst();
    const up = decodeRuns(row?.up ?? '');
    const down = decodeRuns(row?.down ?? '');
    for (const [i, state] of minutes) {
      setMinute(up, i, state === 'up');
      setMinute(down, i, state === 'down');
    }
    const hist = decodeHist(row?.hist ?? '');
    addHist(hist, d.hist);
    const values = {
      up: encodeRuns(up),
      down: encodeRuns(down),
      lat_sum: (row?.lat_sum ?? 0) + d.latSum,
      lat_count: (row?.lat_count ?? 0) + d.latCount,
      flagged_count: (row?.flagged_count ?? 0) + d.flagged,
      hist: encodeHist(hist),
    };
    if (row)
      await tx
        .updateTable('probe_day_aggregates')
        .set(values)
        .where('target_id', '=', targetId)
        .where('location', '=', location)
        .where('day_at', '=', dayAt)
        .execute();
    else
      await tx
        .insertInto('probe_day_aggregates')
        .values({ target_id: targetId, location, day_at: dayAt, ...values })
        .execute();
  }
  for (const { key, latency: d } of group(changes, HOUR_MS).values()) {
    if (d.latCount === 0 && d.flagged === 0) continue;
    const [targetId, location, hourAt] = key;
    const row = await tx
      .selectFrom('probe_hour_aggregates')
      .selectAll()
      .where('target_id', '=', targetId)
      .where('location', '=', location)
      .where('hour_at', '=', hourAt)
      .executeTakeFirst();
    const hist = decodeHist(row?.hist ?? '');
    addHist(hist, d.hist);
    const values = {
      lat_sum: (row?.lat_sum ?? 0) + d.latSum,
      lat_count: (row?.lat_count ?? 0) + d.latCount,
      flagged_count: (row?.flagged_count ?? 0) + d.flagged,
      hist: encodeHist(hist),
    };
    if (row)
      await tx
        .updateTable('probe_hour_aggregates')
        .set(values)
        .where('target_id', '=', targetId)
        .where('location', '=', location)
        .where('hour_at', '=', hourAt)
        .execute();
    else
      await tx
        .insertInto('probe_hour_aggregates')
        .values({ target_id: targetId, location, hour_at: hourAt, ...values })
        .execute();
  }
}

/** Recomputes every aggregate from the stored minute rollups (the migration that adds them). */
export async function rebuildPeriodAggregates(db: Kysely<ProbeAggregatesDb & ProbeRollupsDb>): Promise<void> {
  await db.deleteFrom('probe_day_aggregates').execute();
  await db.deleteFrom('probe_hour_aggregates').execute();
  const targets = await db.selectFrom('probe_rollups').select('target_id').distinct().execute();
  for (const { target_id } of targets) {
    const rows = await db
      .selectFrom('probe_rollups')
      .selectAll()
      .where('target_id', '=', target_id)
      .execute();
    await applyMinuteChanges(
      db as unknown as Kysely<ProbeAggregatesDb>,
      rows.map((r) => ({
        targetId: r.target_id,
        location: r.location,
        minuteAt: Number(r.minute_at),
        state: r.fail_count > r.ok_count ? 'down' : 'up',
        delta: {
          latSum: r.lat_sum,
          latCount: r.lat_count,
          flagged: r.flagged_count,
          hist: decodeHist(r.hist),
        },
      })),
    );
  }
}
