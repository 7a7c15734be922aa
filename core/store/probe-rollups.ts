import type { Kysely } from 'kysely';
import type { ProbeResult } from '../types.js';
import { decodeHist, encodeHist } from './rollup-hist.js';
import { applyMinuteChanges, type MinuteChange, type ProbeAggregatesDb } from './probe-aggregates.js';

/**
 * Per-minute, per-location rollups of probe results, for month queries over many services
 * without reading every sample. Availability: sample counts and the last sample's state per
 * minute. Latency: sum and count of successful, unflagged samples, plus a fixed log-bucket
 * histogram (8 buckets per doubling, about 9 % relative width) for percentiles.
 */
export interface ProbeRollupsTable {
  target_id: string;
  location: string;
  minute_at: number;
  ok_count: number;
  fail_count: number;
  flagged_count: number;
  lat_sum: number;
  lat_count: number;
  /** Sparse histogram "bucket:count,bucket:count". */
  hist: string;
  last_at: number;
  last_ok: number;
}

export interface ProbeRollupsDb {
  probe_rollups: ProbeRollupsTable;
}

export interface ProbeRollup {
  targetId: string;
  location: string;
  minuteAt: number;
  okCount: number;
  failCount: number;
  flaggedCount: number;
  latSum: number;
  latCount: number;
  hist: Map<number, number>;
  lastAt: number;
  lastOk: boolean;
}

export { decodeHist, encodeHist } from './rollup-hist.js';

export const ROLLUP_BUCKETS_PER_DOUBLING = 8;
export const ROLLUP_MAX_BUCKET = 255;

/** The histogram bucket of a latency: floor(8 · log2(ms)), 0 for anything under 1 ms. */
export function latencyBucket(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.min(ROLLUP_MAX_BUCKET, Math.floor(Math.log2(ms) * ROLLUP_BUCKETS_PER_DOUBLING));
}

/** A bucket's representative value: its geometric middle. */
export function bucketValue(bucket: number): number {
  return 2 ** ((bucket + 0.5) / ROLLUP_BUCKETS_PER_DOUBLING);
}

function toRollup(r: ProbeRollupsTable): ProbeRollup {
  return {
    targetId: r.target_id,
    location: r.location,
    minuteAt: Number(r.minute_at),
    okCount: r.ok_count,
    failCount: r.fail_count,
    flaggedCount: r.flagged_count,
    latSum: r.lat_sum,
    latCount: r.lat_count,
    hist: decodeHist(r.hist),
    lastAt: Number(r.last_at),
    lastOk: r.last_ok === 1,
  };
}

function addResult(r: ProbeRollup, p: ProbeResult, at: number): void {
  if (p.ok) r.okCount++;
  else r.failCount++;
  if (p.ok && p.loopDelayFlagged) r.flaggedCount++;
  if (p.ok && !p.loopDelayFlagged) {
    r.latSum += p.totalMs;
    r.latCount++;
    const b = latencyBucket(p.totalMs);
    r.hist.set(b, (r.hist.get(b) ?? 0) + 1);
  }
  if (at >= r.lastAt) {
    r.lastAt = at;
    r.lastOk = p.ok;
  }
}

const emptyRollup = (targetId: string, location: string, minuteAt: number): ProbeRollup => ({
  targetId,
  location,
  minuteAt,
  okCount: 0,
  failCount: 0,
  flaggedCount: 0,
  latSum: 0,
  latCount: 0,
  hist: new Map(),
  lastAt: -Infinity,
  lastOk: true,
});

/**
 * Folds results into their minute rollups (read-modify-write in one transaction). Call it once
 * per result: the store's probe_results insert is idempotent, this is not, so the caller passes
 * only newly inserted results.
 */
export async function upsertRollups(
  db: Kysely<ProbeRollupsDb>,
  results: readonly ProbeResult[],
): Promise<number> {
  const groups = new Map<string, { key: [string, string, number]; items: [ProbeResult, number][] }>();
  for (const p of results) {
    const at = Date.parse(p.startedAt);
    const minute = Math.floor(at / 60_000) * 60_000;
    const k = `${p.targetId}\u0000${p.location}\u0000${minute}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { key: [p.targetId, p.location, minute], items: [] }));
    g.items.push([p, at]);
  }
  // Inside a caller's transaction (the results sink stores samples and rollups together) run in
  // it; otherwise open one, so a minute's read-modify-write is atomic.
  const inTx = async (tx: Kysely<ProbeRollupsDb>): Promise<void> => {
    const changes: MinuteChange[] = [];
    for (const { key, items } of groups.values()) {
      const [targetId, location, minuteAt] = key;
      const row = await tx
        .selectFrom('probe_rollups')
        .selectAll()
        .where('target_id', '=', targetId)
        .where('location', '=', location)
        .where('minute_at', '=', minuteAt)
        .executeTakeFirst();
      const r: ProbeRollup = row ? toRollup(row) : emptyRollup(targetId, location, minuteAt);
      for (const [p, at] of items) addResult(r, p, at);
      // What these results added, for the day and hour aggregates (kept in this transaction).
      const d = emptyRollup(targetId, location, minuteAt);
      for (const [p, at] of items) addResult(d, p, at);
      changes.push({
        targetId,
        location,
        minuteAt,
        state: r.failCount > r.okCount ? 'down' : 'up',
        delta: { latSum: d.latSum, latCount: d.latCount, flagged: d.flaggedCount, hist: d.hist },
      });
      const values = {
        ok_count: r.okCount,
        fail_count: r.failCount,
        flagged_count: r.flaggedCount,
        lat_sum: r.latSum,
        lat_count: r.latCount,
        hist: encodeHist(r.hist),
        last_at: r.lastAt,
        last_ok: r.lastOk ? 1 : 0,
      };
      if (row) {
        await tx
          .updateTable('probe_rollups')
          .set(values)
          .where('target_id', '=', targetId)
          .where('location', '=', location)
          .where('minute_at', '=', minuteAt)
          .execute();
      } else {
        await tx
          .insertInto('probe_rollups')
          .values({ target_id: targetId, location, minute_at: minuteAt, ...values })
          .execute();
      }
    }
    await applyMinuteChanges(tx as unknown as Kysely<ProbeAggregatesDb>, changes);
  };
  if (db.isTransaction) await inTx(db);
  else await db.transaction().execute(inTx);
  return groups.size;
}

/** Rollups of the given targets for minutes in [fromMs, toMs), oldest first. */
export async function queryRollups(
  db: Kysely<ProbeRollupsDb>,
  q: { targetIds: string[]; fromMs: number; toMs: number },
): Promise<ProbeRollup[]> {
  if (q.targetIds.length === 0) return [];
  const rows = await db
    .selectFrom('probe_rollups')
    .selectAll()
    .where('target_id', 'in', q.targetIds)
    .where('minute_at', '>=', Math.floor(q.fromMs / 60_000) * 60_000)
    .where('minute_at', '<', q.toMs)
    .orderBy('minute_at')
    .orderBy('target_id')
    .orderBy('location')
    .execute();
  return rows.map(toRollup);
}
