import type { Kysely, Transaction } from 'kysely';
import type { RouterAlert } from './alert-model.js';
import type { AggGroup, NflogEntry } from './dispatcher.js';
import type { Silence } from './silences.js';

/** Row typings of the alerting tables (core/store/migrations/0300_alerting_router.ts). */
export interface AlertingTables {
  alerting_alerts: {
    fingerprint: string;
    labels: string;
    annotations: string;
    starts_at: number;
    ends_at: number;
    updated_at: number;
    generator_url: string;
    timeout: number;
  };
  alerting_silences: {
    id: string;
    matchers: string;
    starts_at: number;
    ends_at: number;
    updated_at: number;
    created_by: string;
    comment: string;
  };
  alerting_nflog: { group_key: string; integration: string; firing: string; resolved: string; at: number };
  alerting_groups: {
    group_key: string;
    group_id: string;
    receiver: string;
    labels: string;
    paged_at: number | null;
    acked_at: number | null;
    acked_by: string | null;
    level: number;
    updated_at: number;
  };
  alerting_notifications: NotificationRow;
  alerting_attempts: {
    id?: number;
    notification_id: string;
    started_at: number;
    finished_at: number | null;
    outcome: string;
    reason: string | null;
  };
  alerting_acks: {
    id?: number;
    group_id: string;
    group_key: string;
    acked_at: number;
    acked_by: string;
    via: string;
  };
}

export type NotificationStatus = 'pending' | 'sent' | 'failed' | 'superseded';

export interface NotificationRow {
  id?: number;
  notification_id: string;
  kind: string;
  group_key: string;
  group_id: string;
  receiver: string;
  integration: string;
  dedup_key: string;
  payload: string;
  status: NotificationStatus;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  sent_at: number | null;
  last_error: string | null;
  in_flight_since?: number | null;
}

export type AlertingDb = Kysely<AlertingTables>;
type Db = AlertingDb | Transaction<AlertingTables>;

export function alertRow(a: RouterAlert): AlertingTables['alerting_alerts'] {
  return {
    fingerprint: a.fingerprint,
    labels: JSON.stringify(a.labels),
    annotations: JSON.stringify(a.annotations),
    starts_at: a.startsAt,
    ends_at: a.endsAt,
    updated_at: a.updatedAt,
    generator_url: a.generatorURL,
    timeout: a.timeout ? 1 : 0,
  };
}

export function rowAlert(r: AlertingTables['alerting_alerts']): RouterAlert {
  return {
    fingerprint: r.fingerprint,
    labels: JSON.parse(r.labels) as Record<string, string>,
    annotations: JSON.parse(r.annotations) as Record<string, string>,
    startsAt: Number(r.starts_at),
    endsAt: Number(r.ends_at),
    updatedAt: Number(r.updated_at),
    generatorURL: r.generator_url,
    timeout: Number(r.timeout) === 1,
  };
}

const CHUNK = 200;

/** Upserts alerts in chunks (both engines accept ON CONFLICT ... DO UPDATE). */
export async function saveAlerts(db: Db, alerts: RouterAlert[]): Promise<void> {
  for (let i = 0; i < alerts.length; i += CHUNK) {
    const rows = alerts.slice(i, i + CHUNK).map(alertRow);
    await db
      .insertInto('alerting_alerts')
      .values(rows)
      .onConflict((oc) =>
        oc.column('fingerprint').doUpdateSet((eb) => ({
          labels: eb.ref('excluded.labels'),
          annotations: eb.ref('excluded.annotations'),
          starts_at: eb.ref('excluded.starts_at'),
          ends_at: eb.ref('excluded.ends_at'),
          updated_at: eb.ref('excluded.updated_at'),
          generator_url: eb.ref('excluded.generator_url'),
          timeout: eb.ref('excluded.timeout'),
        })),
      )
      .execute();
  }
}

export function silenceRow(s: Silence): AlertingTables['alerting_silences'] {
  return {
    id: s.id,
    matchers: JSON.stringify(s.matchers),
    starts_at: s.startsAt,
    ends_at: s.endsAt,
    updated_at: s.updatedAt,
    created_by: s.createdBy,
    comment: s.comment,
  };
}

export async function saveSilences(db: Db, list: Silence[]): Promise<void> {
  for (const s of list) {
    const row = silenceRow(s);
    await db
      .insertInto('alerting_silences')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...row }))
      .execute();
  }
}

export async function loadSilences(db: Db): Promise<Silence[]> {
  const rows = await db.selectFrom('alerting_silences').selectAll().execute();
  return rows.map((r) => ({
    id: r.id,
    matchers: JSON.parse(r.matchers) as Silence['matchers'],
    startsAt: Number(r.starts_at),
    endsAt: Number(r.ends_at),
    updatedAt: Number(r.updated_at),
    createdBy: r.created_by,
    comment: r.comment,
  }));
}

/** Persists what a dispatcher round changed: nflog entries, group state, removed groups and alerts. */
export async function saveRound(
  db: Db,
  round: { nflog: NflogEntry[]; touched: AggGroup[]; removed: string[]; alertsRemoved: string[] },
  now: number,
): Promise<void> {
  const nflogRows = round.nflog.map((e) => ({
    group_key: e.groupKey,
    integration: e.integration,
    firing: JSON.stringify(e.firing),
    resolved: JSON.stringify(e.resolved),
    at: e.at,
  }));
  for (let i = 0; i < nflogRows.length; i += CHUNK) {
    await db
      .insertInto('alerting_nflog')
      .values(nflogRows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns(['group_key', 'integration']).doUpdateSet((eb) => ({
          firing: eb.ref('excluded.firing'),
          resolved: eb.ref('excluded.resolved'),
          at: eb.ref('excluded.at'),
        })),
      )
      .execute();
  }
  if (round.removed.length > 0) {
    await db.deleteFrom('alerting_groups').where('group_key', 'in', round.removed).execute();
    await db.deleteFrom('alerting_nflog').where('group_key', 'in', round.removed).execute();
  }
  const groupRows = round.touched.map((g) => ({
    group_key: g.key,
    group_id: g.id,
    receiver: g.route.opts.receiver,
    labels: JSON.stringify(g.labels),
    paged_at: g.pagedAt ?? null,
    acked_at: g.ackedAt ?? null,
    acked_by: g.ackedBy ?? null,
    level: g.level,
    updated_at: now,
  }));
  for (let i = 0; i < groupRows.length; i += CHUNK) {
    await db
      .insertInto('alerting_groups')
      .values(groupRows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.column('group_key').doUpdateSet((eb) => ({
          paged_at: eb.ref('excluded.paged_at'),
          acked_at: eb.ref('excluded.acked_at'),
          acked_by: eb.ref('excluded.acked_by'),
          level: eb.ref('excluded.level'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  for (let i = 0; i < round.alertsRemoved.length; i += CHUNK) {
    await db
      .deleteFrom('alerting_alerts')
      .where('fingerprint', 'in', round.alertsRemoved.slice(i, i + CHUNK))
      .execute();
  }
}

export async function insertNotifications(db: Db, rows: NotificationRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .insertInto('alerting_notifications')
      .values(rows.slice(i, i + CHUNK))
      .execute();
}
