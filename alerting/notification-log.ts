import type { AlertingDb, AlertingTables } from './repo.js';
import type { NotificationMessage } from './notify/index.js';

/** One notification with every attempt: the evidence for time-to-page and time-to-acknowledge. */
export interface NotificationLogEntry {
  notificationId: string;
  kind: string;
  groupId: string;
  groupKey: string;
  receiver: string;
  integration: string;
  status: string;
  createdAt: string;
  sentAt: string | null;
  /** Earliest startsAt among the alerts in the notification. */
  alertsStartedAt: string | null;
  /** sentAt − alertsStartedAt: how long from the problem to the page. */
  timeToPageMs: number | null;
  attempts: { startedAt: string; finishedAt: string | null; outcome: string; reason: string | null }[];
  acknowledgement: { at: string; by: string; via: string; timeToAckMs: number | null } | null;
}

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString();

/** The notification log, oldest first, optionally for one group or a time range (created_at). */
export async function notificationLog(
  db: AlertingDb,
  filter: { groupId?: string | undefined; fromMs?: number | undefined; toMs?: number | undefined } = {},
): Promise<NotificationLogEntry[]> {
  let q = db.selectFrom('alerting_notifications').selectAll().orderBy('id');
  if (filter.groupId) q = q.where('group_id', '=', filter.groupId);
  if (filter.fromMs !== undefined) q = q.where('created_at', '>=', filter.fromMs);
  if (filter.toMs !== undefined) q = q.where('created_at', '<', filter.toMs);
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.notification_id);
  const attempts: AlertingTables['alerting_attempts'][] = [];
  for (let i = 0; i < ids.length; i += 500) {
    attempts.push(
      ...(await db
        .selectFrom('alerting_attempts')
        .selectAll()
        .where('notification_id', 'in', ids.slice(i, i + 500))
        .orderBy('id')
        .execute()),
    );
  }
  const groupIds = [...new Set(rows.map((r) => r.group_id))];
  const acks: AlertingTables['alerting_acks'][] = [];
  for (let i = 0; i < groupIds.length; i += 500) {
    acks.push(
      ...(await db
        .selectFrom('alerting_acks')
        .selectAll()
        .where('group_id', 'in', groupIds.slice(i, i + 500))
        .orderBy('id')
        .execute()),
    );
  }
  return rows.map((r) => {
    const msg = JSON.parse(r.payload) as NotificationMessage;
    const starts = msg.alerts.map((a) => Date.parse(a.startsAt)).filter(Number.isFinite);
    const startedAt = starts.length > 0 ? Math.min(...starts) : null;
    const sentAt = r.sent_at === null ? null : Number(r.sent_at);
    const ack = acks.find((a) => a.group_id === r.group_id && Number(a.acked_at) >= Number(r.created_at));
    return {
      notificationId: r.notification_id,
      kind: r.kind,
      groupId: r.group_id,
      groupKey: r.group_key,
      receiver: r.receiver,
      integration: r.integration,
      status: r.status,
      createdAt: iso(r.created_at)!,
      sentAt: iso(sentAt),
      alertsStartedAt: iso(startedAt),
      timeToPageMs: sentAt !== null && startedAt !== null ? sentAt - startedAt : null,
      attempts: attempts
        .filter((a) => a.notification_id === r.notification_id)
        .map((a) => ({
          startedAt: iso(a.started_at)!,
          finishedAt: iso(a.finished_at),
          outcome: a.outcome,
          reason: a.reason,
        })),
      acknowledgement: ack
        ? {
            at: iso(ack.acked_at)!,
            by: ack.acked_by,
            via: ack.via,
            timeToAckMs: sentAt !== null ? Number(ack.acked_at) - sentAt : null,
          }
        : null,
    };
  });
}
