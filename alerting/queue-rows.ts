import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AlertingDb, NotificationRow } from './repo.js';
import type { Integration, NotificationMessage, NotifyResult } from './notify/index.js';
import { hashKey } from './notify/index.js';

/** One finished attempt, as the delivery queue records it. */
export interface Outcome {
  row: NotificationRow;
  result: NotifyResult;
  started: number;
  now: number;
  attempts: number;
  giveUp: boolean;
  backoff: number;
}

/** A queue row for a message to one integration. */
export function newRow(msg: NotificationMessage, integration: string, now: number): NotificationRow {
  return {
    notification_id: msg.id,
    kind: msg.kind,
    group_key: msg.groupKey,
    group_id: msg.groupId,
    receiver: msg.receiver,
    integration,
    dedup_key: hashKey(msg.groupKey),
    payload: JSON.stringify(msg),
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
    sent_at: null,
    last_error: null,
  };
}

/**
 * Writes a batch of finished attempts inside the caller's transaction: one insert for the attempt
 * rows, one update for every notification that was sent, one update per failure.
 */
export async function writeOutcomes(db: AlertingDb, batch: Outcome[]): Promise<void> {
  const outcome = (r: NotifyResult) => (r.ok ? 'ok' : r.retryable ? 'retryable_error' : 'error');
  await db
    .insertInto('alerting_attempts')
    .values(
      batch.map((o) => ({
        notification_id: o.row.notification_id,
        started_at: o.started,
        finished_at: o.now,
        outcome: outcome(o.result),
        reason: o.result.ok ? null : o.result.reason,
      })),
    )
    .execute();
  const ok = batch.filter((o) => o.result.ok);
  if (ok.length > 0) {
    await db
      .updateTable('alerting_notifications')
      .set({
        status: 'sent',
        attempts: sql<number>`attempts + 1`,
        sent_at: ok[ok.length - 1]!.now,
        last_error: null,
        in_flight_since: null,
      })
      .where(
        'notification_id',
        'in',
        ok.map((o) => o.row.notification_id),
      )
      .execute();
  }
  for (const o of batch) {
    if (o.result.ok) continue;
    await db
      .updateTable('alerting_notifications')
      .set({
        status: o.giveUp ? 'failed' : 'pending',
        attempts: o.attempts,
        next_attempt_at: o.giveUp ? o.row.next_attempt_at : o.now + o.backoff,
        last_error: o.result.reason,
        in_flight_since: null,
      })
      .where('notification_id', '=', o.row.notification_id)
      .execute();
  }
}

/**
 * The "notifications failing" alert (firing, or resolved when the integration recovers) as queue
 * rows for each integration of the fallback receiver, sent straight there, not through the
 * routes, so a broken receiver cannot hide its own alarm.
 */
export function failingRows(
  fallback: Integration[],
  row: NotificationRow,
  failing: boolean,
  result: NotifyResult,
  now: number,
): NotificationRow[] {
  const who = `${row.receiver}/${row.integration}`;
  const labels = {
    alertname: 'VigilNotificationsFailing',
    receiver: row.receiver,
    integration: row.integration,
  };
  const groupKey = `{}/vigil:${JSON.stringify(labels)}`;
  const status = failing ? 'firing' : 'resolved';
  const alert = {
    status,
    labels,
    annotations: {
      summary: `notifications to ${who} are failing: ${result.ok ? 'recovered' : result.reason}`,
    },
    startsAt: new Date(now).toISOString(),
    endsAt: failing ? '0001-01-01T00:00:00Z' : new Date(now).toISOString(),
    generatorURL: '',
    fingerprint: hashKey(groupKey).slice(0, 16),
  } as const;
  return fallback
    .filter((f) => f.receiver !== row.receiver)
    .map((f) => {
      const msg: NotificationMessage = {
        id: randomUUID(),
        kind: 'failing',
        receiver: f.receiver,
        groupKey,
        groupId: hashKey(groupKey).slice(0, 16),
        status,
        groupLabels: labels,
        commonLabels: labels,
        commonAnnotations: alert.annotations,
        alerts: [alert],
        externalURL: '',
      };
      return newRow(msg, f.key, now);
    });
}
