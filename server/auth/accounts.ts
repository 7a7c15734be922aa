import { randomBytes, randomUUID } from 'node:crypto';
import { VigilError } from '../../core/index.js';
import type { AuthDb } from './db.js';
import { num, numOrNull } from './db.js';
import { hashPassword, type Argon2Params } from './passwords.js';
import type { RoleRegistry } from './roles.js';

/** A role grant: who may do what, for which customer, why, since and until when (MKBackup 24.8c). */
export interface Grant {
  role: string;
  customerId: string | null;
  reason: string;
  grantedBy: string;
  grantedAt: number;
  until: number;
}

export interface UserSummary {
  id: string;
  name: string;
  disabled: boolean;
  enrolled: boolean;
  oneTimePassword: boolean;
  lockedUntil: number | null;
  createdAt: number;
  lastLoginAt: number | null;
  grants: Grant[];
}

const NAME = /^[a-z][a-z0-9._-]{1,62}$/;
/** Default lifetime of a grant when none is given: 180 days, the PCI DSS 7.2.4 review cycle. */
export const DEFAULT_GRANT_MS = 180 * 86_400_000;

/** A one-time password: 20 base32-ish characters (100 bits), easy to type once. */
export function oneTimePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

export interface GrantInput {
  role: string;
  customerId?: string | undefined;
  reason: string;
  until: number;
  grantedBy: string;
}

/** Users and their grants in the store. */
export class Accounts {
  constructor(
    readonly db: AuthDb,
    readonly roles: RoleRegistry,
    readonly argon2: Argon2Params,
  ) {}

  /** Creates a user with a one-time password (returned, never stored in clear) and a first grant. */
  async add(name: string, grant: GrantInput, now: number): Promise<{ id: string; password: string }> {
    if (!NAME.test(name))
      throw new VigilError(
        'AUTH_USER',
        `user name "${name}" must be 2–63 of a-z 0-9 . _ - starting with a letter`,
      );
    this.checkGrant(grant, now);
    if (await this.find(name)) throw new VigilError('AUTH_USER', `user "${name}" exists already`);
    const password = oneTimePassword();
    const id = randomUUID();
    const password_hash = await hashPassword(password, this.argon2);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('auth_users')
        .values({
          id,
          name,
          password_hash,
          password_one_time: 1,
          disabled: 0,
          totp_enrolled: 0,
          failed_count: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await trx
        .insertInto('auth_grants')
        .values(grantRow(id, grant, now))
        .execute();
    });
    return { id, password };
  }

  async find(name: string) {
    return this.db.selectFrom('auth_users').selectAll().where('name', '=', name).executeTakeFirst();
  }

  async require(name: string) {
    const u = await this.find(name);
    if (!u) throw new VigilError('AUTH_USER', `no user "${name}"`);
    return u;
  }

  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('auth_users')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Adds (or renews) a grant; a customer-scoped user holds grants for that one customer only. */
  async grant(name: string, grant: GrantInput, now: number): Promise<void> {
    const u = await this.require(name);
    this.checkGrant(grant, now);
    const existing = await this.activeGrants(u.id, now);
    const scoped = this.roles.require(grant.role).customerScoped;
    for (const g of existing) {
      const gScoped = this.roles.get(g.role)?.customerScoped ?? false;
      if (gScoped !== scoped || (scoped && g.customerId !== (grant.customerId ?? null)))
        throw new VigilError(
          'AUTH_GRANT',
          `user "${name}" holds ${g.role}${g.customerId ? ` for ${g.customerId}` : ''}: a customer-scoped role cannot be mixed with other roles or customers`,
        );
    }
    await this.db.transaction().execute(async (trx) => {
      // A renewal replaces the running grant of the same role, so the list shows one line per role.
      await trx
        .updateTable('auth_grants')
        .set({ revoked_at: now })
        .where('user_id', '=', u.id)
        .where('role', '=', grant.role)
        .where('revoked_at', 'is', null)
        .execute();
      await trx
        .insertInto('auth_grants')
        .values(grantRow(u.id, grant, now))
        .execute();
    });
  }

  /** Ends a grant now. */
  async revoke(name: string, role: string, now: number): Promise<number> {
    const u = await this.require(name);
    const r = await this.db
      .updateTable('auth_grants')
      .set({ revoked_at: now })
      .where('user_id', '=', u.id)
      .where('role', '=', role)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Grants in force at `now` (not revoked, not past their end). */
  async activeGrants(userId: string, now: number): Promise<Grant[]> {
    const rows = await this.db
      .selectFrom('auth_grants')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
    return rows.map(toGrant).filter((g) => g.until > now);
  }

  async disable(name: string, now: number): Promise<void> {
    const u = await this.require(name);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('auth_users')
        .set({ disabled: 1, updated_at: now })
        .where('id', '=', u.id)
        .execute();
      await trx
        .updateTable('auth_sessions')
        .set({ revoked_at: now })
        .where('user_id', '=', u.id)
        .where('revoked_at', 'is', null)
        .execute();
    });
  }

  /** Ends every session of the user now (they must sign in again); returns how many. */
  async signOut(name: string, now: number): Promise<number> {
    const u = await this.require(name);
    const r = await this.db
      .updateTable('auth_sessions')
      .set({ revoked_at: now })
      .where('user_id', '=', u.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** New one-time password, TOTP enrolment again, lockout cleared, sessions and recovery codes ended. */
  async reset(name: string, now: number): Promise<string> {
    const u = await this.require(name);
    const password = oneTimePassword();
    const password_hash = await hashPassword(password, this.argon2);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('auth_users')
        .set({
          password_hash,
          password_one_time: 1,
          disabled: 0,
          totp_secret: null,
          totp_enrolled: 0,
          failed_count: 0,
          locked_until: null,
          updated_at: now,
        })
        .where('id', '=', u.id)
        .execute();
      await trx
        .updateTable('auth_sessions')
        .set({ revoked_at: now })
        .where('user_id', '=', u.id)
        .where('revoked_at', 'is', null)
        .execute();
      await trx.deleteFrom('auth_recovery_codes').where('user_id', '=', u.id).execute();
    });
    return password;
  }

  /** Every user with all grants (also ended ones are left out; the access review shows those in force). */
  async list(now: number): Promise<UserSummary[]> {
    const users = await this.db.selectFrom('auth_users').selectAll().orderBy('name').execute();
    const out: UserSummary[] = [];
    for (const u of users)
      out.push({
        id: u.id,
        name: u.name,
        disabled: u.disabled === 1,
        enrolled: Number(u.totp_enrolled) === 1,
        oneTimePassword: Number(u.password_one_time) === 1,
        lockedUntil: numOrNull(u.locked_until),
        createdAt: num(u.created_at),
        lastLoginAt: numOrNull(u.last_login_at),
        grants: await this.activeGrants(u.id, now),
      });
    return out;
  }

  private checkGrant(g: GrantInput, now: number): void {
    const role = this.roles.require(g.role);
    if (role.customerScoped && !g.customerId)
      throw new VigilError('AUTH_GRANT', `role ${g.role} is scoped to one customer: give --customer ID`);
    if (!role.customerScoped && g.customerId)
      throw new VigilError('AUTH_GRANT', `role ${g.role} is not customer-scoped; --customer does not apply`);
    if (!g.reason.trim()) throw new VigilError('AUTH_GRANT', 'a grant needs a reason (MKBackup 24.8c)');
    if (!(g.until > now)) throw new VigilError('AUTH_GRANT', 'a grant must end in the future');
  }
}

function grantRow(userId: string, g: GrantInput, now: number) {
  return {
    user_id: userId,
    role: g.role,
    customer_id: g.customerId ?? null,
    reason: g.reason,
    granted_by: g.grantedBy,
    granted_at: now,
    until: g.until,
    revoked_at: null,
  };
}

function toGrant(r: {
  role: string;
  customer_id: string | null;
  reason: string;
  granted_by: string;
  granted_at: unknown;
  until: unknown;
}): Grant {
  return {
    role: r.role,
    customerId: r.customer_id,
    reason: r.reason,
    grantedBy: r.granted_by,
    grantedAt: num(r.granted_at),
    until: num(r.until),
  };
}
