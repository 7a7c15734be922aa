import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PlannedDowntime } from '../types.js';

export interface PlannedDowntimesTable {
  id: string;
  service_id: string;
  start_at: number;
  end_at: number;
  announced_at: number;
  reason: string;
}

export interface PlannedDowntimesDb {
  planned_downtimes: PlannedDowntimesTable;
}

function fromRow(r: PlannedDowntimesTable): PlannedDowntime {
  return {
    id: r.id,
    serviceId: r.service_id,
    start: new Date(Number(r.start_at)).toISOString(),
    end: new Date(Number(r.end_at)).toISOString(),
    announcedAt: new Date(Number(r.announced_at)).toISOString(),
    reason: r.reason,
  };
}

/**
 * Records a planned downtime (S8). `announcedAt` is vigil's clock at the time of recording, never
 * the caller's word, so the 12 h notice rule cannot be gamed.
 */
export async function insertPlannedDowntime(
  db: Kysely<PlannedDowntimesDb>,
  pd: { serviceId: string; start: string; end: string; reason: string },
  nowMs: number,
): Promise<PlannedDowntime> {
  const row: PlannedDowntimesTable = {
    id: randomUUID(),
    service_id: pd.serviceId,
    start_at: Date.parse(pd.start),
    end_at: Date.parse(pd.end),
    announced_at: nowMs,
    reason: pd.reason,
  };
  await db.insertInto('planned_downtimes').values(row).execute();
  return fromRow(row);
}

/** Planned downtimes of the given services that overlap [fromMs, toMs), earliest first. */
export async function listPlannedDowntimes(
  db: Kysely<PlannedDowntimesDb>,
  q: { serviceIds?: string[]; fromMs: number; toMs: number },
): Promise<PlannedDowntime[]> {
  let query = db
    .selectFrom('planned_downtimes')
    .selectAll()
    .where('end_at', '>', q.fromMs)
    .where('start_at', '<', q.toMs);
  if (q.serviceIds) {
    if (q.serviceIds.length === 0) return [];
    query = query.where('service_id', 'in', q.serviceIds);
  }
  const rows = await query.orderBy('start_at').orderBy('id').execute();
  return rows.map(fromRow);
}
