import { sql, type Kysely } from 'kysely';
import type { ProbeRollupsDb } from './store.js';
import type { MinuteCounts } from './rollup-compute.js';

/**
 * Per-minute voter counts summed in the database: one row per minute instead of one per
 * (target, location, minute), and no histogram decoding. Enough for availability and the latency
 * average (the overview page, many services at once); percentiles need `queryRollups`.
 */
export async function queryMinuteCounts(
  db: Kysely<ProbeRollupsDb>,
  q: { targetIds: string[]; fromMs: number; toMs: number },
): Promise<MinuteCounts[]> {
  if (q.targetIds.length === 0) return [];
  const rows = await db
    .selectFrom('probe_rollups')
    .select([
      'minute_at',
      sql<number>`sum(case when fail_count > ok_count then 1 else 0 end)`.as('down'),
      sql<number>`sum(case when fail_count > ok_count then 0 else 1 end)`.as('up'),
      sql<number>`sum(lat_sum)`.as('lat_sum'),
      sql<number>`sum(lat_count)`.as('lat_count'),
      sql<number>`sum(flagged_count)`.as('flagged'),
    ])
    .where('target_id', 'in', q.targetIds)
    .where('minute_at', '>=', Math.floor(q.fromMs / 60_000) * 60_000)
    .where('minute_at', '<', q.toMs)
    .groupBy('minute_at')
    .orderBy('minute_at')
    .execute();
  return rows.map((r) => ({
    minuteAt: Number(r.minute_at),
    up: Number(r.up),
    down: Number(r.down),
    latSum: Number(r.lat_sum),
    latCount: Number(r.lat_count),
    flagged: Number(r.flagged),
  }));
}
