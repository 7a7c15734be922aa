import { createHash, randomBytes } from 'node:crypto';
import type { AuthDb } from './db.js';
import { num } from './db.js';

/** `enrol`: may only enrol TOTP; `password`: may only replace a one-time password; `full`: the user's roles. */
export type SessionState = 'enrol' | 'password' | 'full';

export interface SessionLimits {
  /** PCI DSS 4.0.1 8.2.8: re-authenticate after 15 minutes idle. */
  idleTimeoutMs: number;
  /** A session ends this long after sign-in, however busy. */
  absoluteLifetimeMs: number;
}

export interface ActiveSession {
  idHash: string;
  userId: string;
  state: SessionState;
  csrfHash: string;
  /** When the session ends at the latest (absolute lifetime), epoch ms. */
  expiresAt: number;
  /** When it ends if unused from now on (idle timeout), epoch ms. */
  idleUntil: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const csrfMatches = (s: ActiveSession, presented: string | undefined) =>
  !!presented && sha256(presented) === s.csrfHash;

/** Server-side sessions: the cookie holds 32 random bytes; the store holds only their SHA-256. */
export class Sessions {
  constructor(
    readonly db: AuthDb,
    readonly limits: SessionLimits,
  ) {}

  /** A new session; returns the cookie value and the CSRF token, both shown only now. */
  async create(
    userId: string,
    state: SessionState,
    address: string | undefined,
    now: number,
  ): Promise<{ id: string; csrf: string }> {
    // Sessions that ended more than 30 days ago are of no use any more (the audit log keeps the accesses).
    await this.db
      .deleteFrom('auth_sessions')
      .where('expires_at', '<', now - 30 * 86_400_000)
      .execute();
    const id = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    await this.db
      .insertInto('auth_sessions')
      .values({
        id_hash: sha256(id),
        user_id: userId,
        state,
        csrf_hash: sha256(csrf),
        address: address ?? null,
        created_at: now,
        last_seen_at: now,
        expires_at: now + this.limits.absoluteLifetimeMs,
        revoked_at: null,
      })
      .execute();
    return { id, csrf };
  }

  /** The session for a cookie value, if in force: not revoked, not idle too long, not past its lifetime. Marks it used. */
  async use(id: string, now: number): Promise<ActiveSession | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const idHash = sha256(id);
    const row = await this.db
      .selectFrom('auth_sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    if (!row || row.revoked_at !== null) return undefined;
    if (num(row.last_seen_at) + this.limits.idleTimeoutMs < now || num(row.expires_at) <= now) {
      await this.db
        .updateTable('auth_sessions')
        .set({ revoked_at: now })
        .where('id_hash', '=', idHash)
        .execute();
      return undefined;
    }
    await this.db
      .updateTable('auth_sessions')
      .set({ last_seen_at: now })
      .where('id_hash', '=', idHash)
      .execute();
    return {
      idHash,
      userId: row.user_id,
      state: row.state as SessionState,
      csrfHash: row.csrf_hash,
      expiresAt: num(row.expires_at),
      idleUntil: now + this.limits.idleTimeoutMs,
    };
  }

  async setState(idHash: string, state: SessionState): Promise<void> {
    await this.db.updateTable('auth_sessions').set({ state }).where('id_hash', '=', idHash).execute();
  }

  async revoke(idHash: string, now: number): Promise<void> {
    await this.db
      .updateTable('auth_sessions')
      .set({ revoked_at: now })
      .where('id_hash', '=', idHash)
      .execute();
  }
}
