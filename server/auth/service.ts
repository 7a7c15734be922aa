import type { Clock, SecretBox, Store } from '../../core/index.js';
import { Accounts, DEFAULT_GRANT_MS } from './accounts.js';
import type { AuthDb } from './db.js';
import type { Argon2Params } from './passwords.js';
import { RoleRegistry, type RoleDef } from './roles.js';
import { Sessions, type SessionLimits } from './sessions.js';
import { Tokens } from './tokens.js';

export interface AuthServiceOptions {
  store: Store;
  box: SecretBox;
  clock: Clock;
  argon2: Argon2Params;
  limits: SessionLimits;
  customRoles?: readonly RoleDef[];
}

/** One line of the access review (PCI DSS 7.2.4): who may do what, since and until when, last used. */
export interface AccessReviewRow {
  kind: 'user' | 'token';
  name: string;
  role: string;
  permissions: readonly string[];
  customerId: string | null;
  reason: string;
  grantedBy: string;
  since: number;
  until: number | null;
  lastUsed: number | null;
  disabled: boolean;
}

/** Accounts, sessions, tokens and roles over one store: what the server and the CLI share. */
export class AuthService {
  readonly accounts: Accounts;
  readonly sessions: Sessions;
  readonly tokens: Tokens;
  readonly roles: RoleRegistry;

  constructor(readonly o: AuthServiceOptions) {
    const db = o.store.db as AuthDb;
    this.roles = new RoleRegistry(o.customRoles ?? []);
    this.accounts = new Accounts(db, this.roles, o.argon2);
    this.sessions = new Sessions(db, o.limits);
    this.tokens = new Tokens(db);
  }

  get db(): AuthDb {
    return this.o.store.db as AuthDb;
  }

  /**
   * On an empty store, creates `admin` with a one-time password and returns it (to be shown once);
   * undefined when any user exists. Two instances starting together: the unique name lets one win.
   */
  async ensureAdmin(): Promise<string | undefined> {
    if ((await this.accounts.count()) > 0) return undefined;
    const now = this.o.clock.now();
    try {
      const r = await this.accounts.add(
        'admin',
        {
          role: 'admin',
          reason: 'first start: initial administrator',
          until: now + DEFAULT_GRANT_MS,
          grantedBy: 'vigil (first start)',
        },
        now,
      );
      return r.password;
    } catch (err) {
      if ((await this.accounts.count()) > 0) return undefined; // another instance made it first
      throw err;
    }
  }

  /** Re-encrypts every stored secret with `next` (after a key was added); returns how many changed. */
  async reencrypt(next: SecretBox): Promise<number> {
    const rows = await this.db
      .selectFrom('auth_users')
      .select(['id', 'totp_secret'])
      .where('totp_secret', 'is not', null)
      .execute();
    let n = 0;
    for (const r of rows) {
      if (!r.totp_secret || !next.needsRotation(r.totp_secret)) continue;
      const ctx = `totp:${r.id}`;
      await this.db
        .updateTable('auth_users')
        .set({ totp_secret: next.seal(this.o.box.open(r.totp_secret, ctx), ctx) })
        .where('id', '=', r.id)
        .execute();
      n++;
    }
    return n;
  }

  /** Every grant in force and every token in force, with their last use. */
  async accessReview(): Promise<AccessReviewRow[]> {
    const now = this.o.clock.now();
    const rows: AccessReviewRow[] = [];
    for (const u of await this.accounts.list(now))
      for (const g of u.grants)
        rows.push({
          kind: 'user',
          name: u.name,
          role: g.role,
          permissions: this.roles.get(g.role)?.permissions ?? [],
          customerId: g.customerId,
          reason: g.reason,
          grantedBy: g.grantedBy,
          since: g.grantedAt,
          until: g.until,
          lastUsed: u.lastLoginAt,
          disabled: u.disabled,
        });
    for (const t of await this.tokens.list()) {
      if (t.revokedAt !== null || (t.expiresAt !== null && t.expiresAt <= now)) continue;
      rows.push({
        kind: 'token',
        name: t.name,
        role: '(token)',
        permissions: t.scopes,
        customerId: t.customerId,
        reason: `created by ${t.createdBy}`,
        grantedBy: t.createdBy,
        since: t.createdAt,
        until: t.expiresAt,
        lastUsed: t.lastUsedAt,
        disabled: false,
      });
    }
    return rows;
  }
}
