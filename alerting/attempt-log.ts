import { sql } from 'kysely';
import type { AlertingDb } from './repo.js';
import type { NotifyResult } from './notify/index.js';
import type { Outcome } from './queue-rows.js';

/**
 * The attempt log's write side. An attempt is a row in `alerting_attempts` from the moment it
 * starts (outcome `in_flight`, no end): written before the send, so a crash mid-send leaves an
 * open attempt that the next start closes as `interrupted`; the outcome then fills in that same
 * row. The notification row, which carries the whole payload, is written once per attempt (when
 * it finishes), not also to mark it in flight: rewriting those wide rows was the largest store
 * cost on the send path (bench/alerting/RESULTS.md).
 */
export const IN_FLIGHT = 'in_flight';

const CHUNK = 200;

/** Opens one attempt per notification, all starting at `at` (one multi-row insert). */
export async function openAttempts(db: AlertingDb, ids: string[], at: number): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    await db
      .insertInto('alerting_attempts')
      .values(
        ids.slice(i, i + CHUNK).map((id) => ({
          notification_id: id,
          started_at: at,
          finished_at: null,
          outcome: IN_FLIGHT,
          reason: null,
        })),
      )
      .execute();
  }
}

const outcomeOf = (r: NotifyResult) => (r.ok ? 'ok' : r.retryable ? 'retryable_error' : 'error');

/**
 * Closes the open attempts of a batch and updates their notifications, inside the caller's
 * transaction. Successes finishing in the same millisecond share one statement per table (the
 * common case under load: many responses read in one turn of the event loop); failures, rare,
 * take one statement each.
 */
export async function closeAttempts(db: AlertingDb, batch: Outcome[]): Promise<void> {
  const okAt = new Map<number, string[]>();
  for (const o of batch) {
    if (!o.result.ok) continue;
    const ids = okAt.get(o.now);
    if (ids) ids.push(o.row.notification_id);
    else okAt.set(o.now, [o.row.notification_id]);
  }
  for (const [at, ids] of okAt) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      await db
        .updateTable('alerting_attempts')
        .set({ outcome: 'ok', finished_at: at })
        .where('notification_id', 'in', part)
        .where('outcome', '=', IN_FLIGHT)
        .execute();
      await db
        .updateTable('alerting_notifications')
        .set({ status: 'sent', attempts: sql<number>`attempts + 1`, sent_at: at, last_error: null })
        .where('notification_id', 'in', part)
        .execute();
    }
  }
  for (const o of batch) {
    if (o.result.ok) continue;
    await db
      .updateTable('alerting_attempts')
      .set({ outcome: outcomeOf(o.result), finished_at: o.now, reason: o.result.reason })
      .where('notification_id', '=', o.row.notification_id)
      .where('outcome', '=', IN_FLIGHT)
      .execute();
    await db
      .updateTable('alerting_notifications')
      .set({
        status: o.giveUp ? 'failed' : 'pending',
        attempts: o.attempts,
        next_attempt_at: o.giveUp ? o.row.next_attempt_at : o.now + o.backoff,
        last_error: o.result.reason,
      })
      .where('notification_id', '=', o.row.notification_id)
      .execute();
  }
}

/**
 * After a restart: attempts of still-pending notifications that never finished were cut short by
 * the crash; they are closed as `interrupted` (the row is sent again with the same notification
 * id). Also closes attempts marked the older way, by `in_flight_since` on the notification row.
 * Returns how many were closed.
 */
export async function closeInterrupted(
  db: AlertingDb,
  pending: { notification_id: string; in_flight_since?: number | null }[],
  now: number,
): Promise<number> {
  const reason = 'vigil stopped during the attempt';
  let closed = 0;
  const ids = pending.map((r) => r.notification_id);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const res = await db
      .updateTable('alerting_attempts')
      .set({ outcome: 'interrupted', finished_at: now, reason })
      .where('notification_id', 'in', ids.slice(i, i + CHUNK))
      .where('outcome', '=', IN_FLIGHT)
      .executeTakeFirst();
    closed += Number(res.numUpdatedRows);
  }
  const legacy = pending.filter((r) => r.in_flight_since !== null && r.in_flight_since !== undefined);
  if (legacy.length > 0) {
    await db
      .insertInto('alerting_attempts')
      .values(
        legacy.map((r) => ({
          notification_id: r.notification_id,
          started_at: Number(r.in_flight_since),
          finished_at: now,
          outcome: 'interrupted',
          reason,
        })),
      )
      .execute();
    for (let i = 0; i < legacy.length; i += CHUNK)
      await db
        .updateTable('alerting_notifications')
        .set({ in_flight_since: null })
        .where(
          'notification_id',
          'in',
          legacy.slice(i, i + CHUNK).map((r) => r.notification_id),
        )
        .execute();
  }
  return closed + legacy.length;
}
