import type { Kysely } from 'kysely';
import type { ProbeErrorKind, ProbeResult } from '../types.js';

export interface ProbeResultsTable {
  id?: number;
  target_id: string;
  location: string;
  started_at: number;
  ok: number;
  status: number | null;
  error_kind: string | null;
  error_message: string | null;
  total_ms: number;
  resolve_ms: number;
  connect_ms: number;
  tls_ms: number;
  processing_ms: number;
  transfer_ms: number;
  loop_delay_ms: number;
  loop_flagged: number;
  tls_json: string | null;
}

export interface ProbeResultsDb {
  probe_results: ProbeResultsTable;
}

function toRow(r: ProbeResult): ProbeResultsTable {
  return {
    target_id: r.targetId,
    location: r.location,
    started_at: Date.parse(r.startedAt),
    ok: r.ok ? 1 : 0,
    status: r.status ?? null,
    error_kind: r.error?.kind ?? null,
    error_message: r.error?.message ?? null,
    total_ms: r.totalMs,
    resolve_ms: r.phases.resolve,
    connect_ms: r.phases.connect,
    tls_ms: r.phases.tls,
    processing_ms: r.phases.processing,
    transfer_ms: r.phases.transfer,
    loop_delay_ms: r.loopDelayMs,
    loop_flagged: r.loopDelayFlagged ? 1 : 0,
    tls_json: r.tls ? JSON.stringify(r.tls) : null,
  };
}

function fromRow(row: ProbeResultsTable): ProbeResult {
  const out: ProbeResult = {
    targetId: row.target_id,
    location: row.location,
    startedAt: new Date(Number(row.started_at)).toISOString(),
    ok: row.ok === 1,
    totalMs: row.total_ms,
    phases: {
      resolve: row.resolve_ms,
      connect: row.connect_ms,
      tls: row.tls_ms,
      processing: row.processing_ms,
      transfer: row.transfer_ms,
    },
    loopDelayMs: row.loop_delay_ms,
  };
  if (row.status !== null) out.status = row.status;
  if (row.error_kind !== null)
    out.error = { kind: row.error_kind as ProbeErrorKind, message: row.error_message ?? '' };
  if (row.loop_flagged === 1) out.loopDelayFlagged = true;
  if (row.tls_json !== null) out.tls = JSON.parse(row.tls_json) as ProbeResult['tls'];
  return out;
}

/**
 * Inserts results; a result already stored (same target, location and start) is skipped, so a
 * re-sent batch never doubles. Returns how many rows were new.
 */
export async function insertProbeResults(
  db: Kysely<ProbeResultsDb>,
  results: ProbeResult[],
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < results.length; i += 500) {
    const rows = results.slice(i, i + 500).map(toRow);
    const res = await db
      .insertInto('probe_results')
      .values(rows)
      .onConflict((oc) => oc.columns(['target_id', 'location', 'started_at']).doNothing())
      .executeTakeFirst();
    inserted += Number(res.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

/**
 * Inserts results and returns those that were new (a duplicate of a stored sample is skipped),
 * so derived data such as per-minute rollups is fed each sample exactly once. Uses RETURNING,
 * which both SQLite (>= 3.35) and PostgreSQL support.
 */
export async function insertNewProbeResults(
  db: Kysely<ProbeResultsDb>,
  results: readonly ProbeResult[],
): Promise<ProbeResult[]> {
  const fresh: ProbeResult[] = [];
  for (let i = 0; i < results.length; i += 500) {
    const batch = results.slice(i, i + 500);
    const rows = await db
      .insertInto('probe_results')
      .values(batch.map(toRow))
      .onConflict((oc) => oc.columns(['target_id', 'location', 'started_at']).doNothing())
      .returning(['target_id', 'location', 'started_at'])
      .execute();
    const isNew = new Set(rows.map((r) => `${r.target_id}\u0000${r.location}\u0000${Number(r.started_at)}`));
    for (const r of batch) {
      if (isNew.has(`${r.targetId}\u0000${r.location}\u0000${Date.parse(r.startedAt)}`)) fresh.push(r);
    }
  }
  return fresh;
}

/** Results for the given targets with startedAt in [from, to), oldest first. */
export async function queryProbeResults(
  db: Kysely<ProbeResultsDb>,
  q: { targetIds: string[]; fromMs: number; toMs: number; location?: string },
): Promise<ProbeResult[]> {
  if (q.targetIds.length === 0) return [];
  let query = db
    .selectFrom('probe_results')
    .selectAll()
    .where('target_id', 'in', q.targetIds)
    .where('started_at', '>=', q.fromMs)
    .where('started_at', '<', q.toMs);
  if (q.location) query = query.where('location', '=', q.location);
  const rows = await query.orderBy('started_at').orderBy('location').execute();
  return rows.map(fromRow);
}

/** Deletes results older than the cutoff; returns how many went. */
export async function pruneProbeResults(db: Kysely<ProbeResultsDb>, beforeMs: number): Promise<number> {
  const res = await db.deleteFrom('probe_results').where('started_at', '<', beforeMs).executeTakeFirst();
  return Number(res.numDeletedRows);
}
