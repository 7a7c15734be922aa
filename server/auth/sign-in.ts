import type { Principal } from '../../core/index.js';
import type { Accounts } from './accounts.js';
import { num, numOrNull, type AuthTables } from './db.js';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { spendRecoveryCode, spendTotp } from './totp.js';
import type { SecretBox } from '../../core/index.js';
import type { SessionState } from './sessions.js';

export interface LockoutPolicy {
  /** PCI DSS 4.0.1 8.3.4: lock after not more than 10 invalid attempts ... */
  maxFailures: number;
  /** ... for at least 30 minutes. */
  lockoutMs: number;
}

export type SignInResult =
  | { ok: true; user: AuthTables['auth_users']; state: SessionState }
  | { ok: false; lockedNow?: { user: string; until: number } };

/**
 * Checks a name, password and (once enrolled) a TOTP or recovery code. Every refusal looks the
 * same to the caller, and argon2 runs on every attempt (against a dummy hash for an unknown or
 * disabled name, and also while locked), so neither the answer nor its timing tells whether a
 * name exists, is locked or only had the code wrong.
 */
export async function signIn(
  a: Accounts,
  box: SecretBox,
  policy: LockoutPolicy,
  input: { username: string; password: string; totp?: string | undefined },
  now: number,
): Promise<SignInResult> {
  const user = typeof input.username === 'string' ? await a.find(input.username) : undefined;
  const passwordOk = await verifyPassword(
    user?.password_hash ?? (await dummyHash(a.argon2)),
    String(input.password ?? ''),
  );
  if (!user || user.disabled === 1) return { ok: false };
  const lockedUntil = numOrNull(user.locked_until);
  if (lockedUntil !== null && lockedUntil > now) return { ok: false };
  if (lockedUntil !== null) {
    // The lock ran out: start counting afresh.
    await a.db
      .updateTable('auth_users')
      .set({ locked_until: null, failed_count: 0 })
      .where('id', '=', user.id)
      .execute();
  }
  const enrolled = Number(user.totp_enrolled) === 1;
  let secondOk = true;
  if (passwordOk && enrolled) {
    const code = String(input.totp ?? '').trim();
    secondOk = /^\d{6}$/.test(code)
      ? await spendTotp(a.db, box, user, code, now)
      : code !== '' && (await spendRecoveryCode(a.db, user.id, code, now));
  }
  if (!passwordOk || !secondOk) return fail(a, policy, user, now);

  const set: Partial<AuthTables['auth_users']> = { failed_count: 0, locked_until: null, last_login_at: now };
  if (needsRehash(user.password_hash, a.argon2))
    set.password_hash = await hashPassword(String(input.password), a.argon2);
  await a.db.updateTable('auth_users').set(set).where('id', '=', user.id).execute();
  const state: SessionState = !enrolled
    ? 'enrol'
    : Number(user.password_one_time) === 1
      ? 'password'
      : 'full';
  return { ok: true, user, state };
}

async function fail(
  a: Accounts,
  policy: LockoutPolicy,
  user: AuthTables['auth_users'],
  now: number,
): Promise<SignInResult> {
  // One atomic increment, so parallel guesses are all counted.
  await a.db
    .updateTable('auth_users')
    .set((eb) => ({ failed_count: eb('failed_count', '+', 1) }))
    .where('id', '=', user.id)
    .execute();
  const row = await a.db
    .selectFrom('auth_users')
    .select(['failed_count', 'locked_until'])
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow();
  if (num(row.failed_count) >= policy.maxFailures && row.locked_until === null) {
    const until = now + policy.lockoutMs;
    const r = await a.db
      .updateTable('auth_users')
      .set({ locked_until: until, failed_count: 0 })
      .where('id', '=', user.id)
      .where('locked_until', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) return { ok: false, lockedNow: { user: user.name, until } };
  }
  return { ok: false };
}

/** The principal of a signed-in user in a session of the given state. */
export async function userPrincipal(
  a: Accounts,
  user: { id: string; name: string },
  state: SessionState,
  now: number,
): Promise<Principal> {
  if (state === 'enrol')
    return { kind: 'user', name: user.name, id: user.id, roles: [], permissions: ['session:enrol'] };
  if (state === 'password')
    return { kind: 'user', name: user.name, id: user.id, roles: [], permissions: ['session:password'] };
  const grants = await a.activeGrants(user.id, now);
  const roles = grants.map((g) => g.role);
  const permissions = [...new Set(grants.flatMap((g) => a.roles.get(g.role)?.permissions ?? []))];
  const customerId = grants.find((g) => g.customerId)?.customerId ?? undefined;
  return {
    kind: 'user',
    name: user.name,
    id: user.id,
    roles,
    permissions,
    ...(customerId ? { customerId } : {}),
  };
}
