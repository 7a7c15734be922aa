import { randomUUID } from 'node:crypto';
import { VigilError } from '../core/index.js';
import type { AggGroup } from './dispatcher.js';
import { buildMessage } from './messages.js';
import type { Integration, NotificationMessage } from './notify/index.js';
import { newRow } from './queue-rows.js';
import type { AlertingDb, NotificationRow } from './repo.js';

/**
 * An `ack` message to each integration paged for the group (its receiver and the escalation tiers
 * reached) that understands acknowledgements: PagerDuty (acknowledge event), Opsgenie
 * (acknowledge by alias) and webhooks.
 */
export function ackRows(
  g: AggGroup,
  integrations: ReadonlyMap<string, Integration[]>,
  externalURL: string,
  now: number,
): NotificationRow[] {
  const receivers = [
    g.route.opts.receiver,
    ...g.route.opts.escalation.slice(0, g.level).map((t) => t.receiver),
  ];
  const out: NotificationRow[] = [];
  for (const r of new Set(receivers)) {
    for (const i of integrations.get(r) ?? []) {
      if (!['pagerduty', 'opsgenie', 'webhook'].includes(i.notifier.kind)) continue;
      const intent = {
        kind: 'notify' as const,
        group: g,
        integration: i,
        firing: [...g.alerts.values()],
        resolved: [],
        at: now,
      };
      const msg: NotificationMessage = {
        ...buildMessage(intent, randomUUID(), externalURL, undefined),
        kind: 'ack',
        ackedBy: g.ackedBy,
      };
      out.push(newRow(msg, i.key, now));
    }
  }
  return out;
}

export async function supersede(db: AlertingDb, ids: string[]): Promise<void> {
  // A newer state of a group makes an older one still waiting for a retry obsolete: it stays in
  // the log, marked superseded; the new row carries the current state.
  for (let i = 0; i < ids.length; i += 200) {
    await db
      .updateTable('alerting_notifications')
      .set({ status: 'superseded' })
      .where('notification_id', 'in', ids.slice(i, i + 200))
      .execute();
  }
}

/** A group id, or the id of one of its notifications, to the group id. */
export async function resolveGroupId(db: AlertingDb, id: string): Promise<string> {
  const g = await db
    .selectFrom('alerting_groups')
    .select('group_id')
    .where('group_id', '=', id)
    .executeTakeFirst();
  if (g) return g.group_id;
  const n = await db
    .selectFrom('alerting_notifications')
    .select('group_id')
    .where('notification_id', '=', id)
    .executeTakeFirst();
  if (n) return n.group_id;
  throw new VigilError('ALR_NOT_FOUND', `no alert group or notification with id "${id}"`);
}

/** Writes an acknowledgement; the router (this or another process) applies it on its next round. */
export async function recordAck(
  db: AlertingDb,
  groupId: string,
  by: string,
  via: string,
  now: number,
): Promise<void> {
  const g = await db
    .selectFrom('alerting_groups')
    .select(['group_key', 'acked_at'])
    .where('group_id', '=', groupId)
    .executeTakeFirst();
  if (!g) throw new VigilError('ALR_NOT_FOUND', `no alert group with id "${groupId}"`);
  await db
    .insertInto('alerting_acks')
    .values({ group_id: groupId, group_key: g.group_key, acked_at: now, acked_by: by, via })
    .execute();
}
