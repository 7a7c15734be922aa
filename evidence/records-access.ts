import type { AnyDb } from './records-ops.js';
import type { Period } from './types.js';

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Users with their grants, MFA enrolment, last sign-in and lockout, as of the period end. Only
 * these columns are read: password hashes, TOTP secrets and recovery codes never leave the store.
 */
export async function userRecords(db: AnyDb, p: Period): Promise<Row[]> {
  const users = await db
    .selectFrom('auth_users')
    .select([
      'id',
      'name',
      'disabled',
      'totp_enrolled',
      'failed_count',
      'locked_until',
      'created_at',
      'last_login_at',
    ])
    .where('created_at', '<', p.to)
    .orderBy('name')
    .execute();
  const grants = await db
    .selectFrom('auth_grants')
    .select(['user_id', 'role', 'customer_id', 'reason', 'granted_by', 'granted_at', 'until', 'revoked_at'])
    .where('granted_at', '<', p.to)
    .orderBy('user_id')
    .orderBy('granted_at')
    .orderBy('role')
    .execute();
  return users.map((u) => ({
    id: u.id,
    name: u.name,
    disabled: Number(u.disabled) === 1,
    mfaEnrolled: Number(u.totp_enrolled) === 1,
    failedSignIns: num(u.failed_count),
    lockedUntil: num(u.locked_until),
    createdAt: num(u.created_at),
    lastSignInAt: num(u.last_login_at),
    grants: grants
      .filter((g) => g.user_id === u.id)
      .map((g) => ({
        role: g.role,
        customerId: g.customer_id ?? null,
        reason: g.reason,
        grantedBy: g.granted_by,
        grantedAt: num(g.granted_at),
        until: num(g.until),
        revokedAt: num(g.revoked_at),
      })),
  }));
}

/** API tokens (names, scopes, lifetimes; never the token or its hash). */
export async function tokenRecords(db: AnyDb, p: Period): Promise<Row[]> {
  const rows = await db
    .selectFrom('auth_tokens')
    .select([
      'id',
      'name',
      'scopes',
      'customer_id',
      'created_by',
      'created_at',
      'expires_at',
      'last_used_at',
      'revoked_at',
    ])
    .where('created_at', '<', p.to)
    .orderBy('name')
    .execute();
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    scopes: String(t.scopes),
    customerId: t.customer_id ?? null,
    createdBy: t.created_by,
    createdAt: num(t.created_at),
    expiresAt: num(t.expires_at),
    lastUsedAt: num(t.last_used_at),
    revokedAt: num(t.revoked_at),
  }));
}

/** Notifications created in the period: time to page (created → sent) and to acknowledge. */
export async function notificationRecords(db: AnyDb, p: Period): Promise<Row[]> {
  const rows = await db
    .selectFrom('alerting_notifications')
    .select([
      'notification_id',
      'kind',
      'group_id',
      'receiver',
      'integration',
      'status',
      'attempts',
      'created_at',
      'sent_at',
    ])
    .where('created_at', '>=', p.from)
    .where('created_at', '<', p.to)
    .orderBy('created_at')
    .orderBy('notification_id')
    .execute();
  const acks = await db
    .selectFrom('alerting_acks')
    .select(['group_id', 'acked_at', 'acked_by', 'via'])
    .where('acked_at', '>=', p.from)
    .orderBy('acked_at')
    .execute();
  return rows.map((n) => {
    const created = Number(n.created_at);
    const ack = acks.find((a) => a.group_id === n.group_id && Number(a.acked_at) >= created);
    const sent = num(n.sent_at);
    return {
      notificationId: n.notification_id,
      kind: n.kind,
      groupId: n.group_id,
      receiver: n.receiver,
      integration: n.integration,
      status: n.status,
      attempts: num(n.attempts),
      createdAt: created,
      sentAt: sent,
      timeToPageMs: sent === null ? null : sent - created,
      ackedAt: ack ? Number(ack.acked_at) : null,
      ackedBy: ack ? ack.acked_by : null,
      timeToAckMs: ack ? Number(ack.acked_at) - created : null,
    };
  });
}

/** The scanner's recorded state (signature-set fingerprint and update times), if any. */
export async function signatureStateRecords(db: AnyDb): Promise<Row[]> {
  const rows = await db
    .selectFrom('scanner_state')
    .select(['key', 'value', 'updated_at'])
    .orderBy('key')
    .execute();
  return rows.map((r) => ({ key: r.key, value: r.value, updatedAt: num(r.updated_at) }));
}
