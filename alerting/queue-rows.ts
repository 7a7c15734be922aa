import { randomUUID } from 'node:crypto';
import type { NotificationRow } from './repo.js';
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

/**
 * The message a queue row was made from, while that row object lives: the send path takes it from
 * here instead of parsing the stored payload again. A WeakMap, not a field, because the row object
 * is what gets inserted (an extra field would be an extra column); a row read back from the store
 * (after a restart) is not here and is parsed.
 */
const messages = new WeakMap<NotificationRow, NotificationMessage>();

/** The message of a queue row: the one it was built from, else its parsed payload. */
export function messageOf(row: NotificationRow): NotificationMessage {
  return messages.get(row) ?? (JSON.parse(row.payload) as NotificationMessage);
}

/** A queue row for a message to one integration. */
export function newRow(msg: NotificationMessage, integration: string, now: number): NotificationRow {
  const row: NotificationRow = {
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
  messages.set(row, msg);
  return row;
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
