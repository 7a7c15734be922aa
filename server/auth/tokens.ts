import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { VigilError } from '../../core/index.js';
import type { AuthDb } from './db.js';
import { num, numOrNull } from './db.js';

/** Tokens start with this, so a leaked one is easy to recognise (secret scanners, logs). */
export const TOKEN_PREFIX = 'vgl_';
const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

export interface TokenSummary {
  id: string;
  name: string;
  scopes: string[];
  customerId: string | null;
  createdBy: string;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** API tokens for machines: 32 random bytes, shown once, stored as SHA-256 (enough for that entropy). */
export class Tokens {
  constructor(readonly db: AuthDb) {}

  async create(
    o: {
      name: string;
      scopes: string[];
      customerId?: string | undefined;
      expiresAt?: number | undefined;
      createdBy: string;
    },
    now: number,
  ): Promise<string> {
    if (!/^[a-zA-Z0-9._-]{1,64}$/.test(o.name))
      throw new VigilError('AUTH_TOKEN', `token name "${o.name}" must be 1–64 of a-z A-Z 0-9 . _ -`);
    if (o.scopes.length === 0 || o.scopes.some((s) => !/^(\*|[a-z_]+):(\*|[a-z_]+)$|^\*$/.test(s)))
      throw new VigilError(
        'AUTH_TOKEN',
        `scopes must be permissions like alerting:write (got "${o.scopes.join(',')}")`,
      );
    if (o.expiresAt !== undefined && !(o.expiresAt > now))
      throw new VigilError('AUTH_TOKEN', 'a token must expire in the future');
    if (await this.db.selectFrom('auth_tokens').select('id').where('name', '=', o.name).executeTakeFirst())
      throw new VigilError('AUTH_TOKEN', `a token named "${o.name}" exists already`);
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    await this.db
      .insertInto('auth_tokens')
      .values({
        id: randomUUID(),
        name: o.name,
        token_hash: hashToken(token),
        scopes: JSON.stringify(o.scopes),
        customer_id: o.customerId ?? null,
        created_by: o.createdBy,
        created_at: now,
        expires_at: o.expiresAt ?? null,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    return token;
  }

  /** The token in force for a presented value, with its last use recorded (at most once a minute). */
  async authenticate(presented: string, now: number): Promise<TokenSummary | undefined> {
    if (!presented.startsWith(TOKEN_PREFIX)) return undefined;
    const row = await this.db
      .selectFrom('auth_tokens')
      .selectAll()
      .where('token_hash', '=', hashToken(presented))
      .executeTakeFirst();
    if (!row || row.revoked_at !== null) return undefined;
    const t = toSummary(row);
    if (t.expiresAt !== null && t.expiresAt <= now) return undefined;
    if (t.lastUsedAt === null || t.lastUsedAt < now - 60_000)
      await this.db.updateTable('auth_tokens').set({ last_used_at: now }).where('id', '=', t.id).execute();
    return t;
  }

  async list(): Promise<TokenSummary[]> {
    return (await this.db.selectFrom('auth_tokens').selectAll().orderBy('name').execute()).map(toSummary);
  }

  async revoke(name: string, now: number): Promise<void> {
    const r = await this.db
      .updateTable('auth_tokens')
      .set({ revoked_at: now })
      .where('name', '=', name)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new VigilError('AUTH_TOKEN', `no token "${name}" in force`);
  }
}

function toSummary(r: {
  id: string;
  name: string;
  scopes: string;
  customer_id: string | null;
  created_by: string;
  created_at: unknown;
  expires_at: unknown;
  last_used_at: unknown;
  revoked_at: unknown;
}): TokenSummary {
  return {
    id: r.id,
    name: r.name,
    scopes: JSON.parse(r.scopes) as string[],
    customerId: r.customer_id,
    createdBy: r.created_by,
    createdAt: num(r.created_at),
    expiresAt: numOrNull(r.expires_at),
    lastUsedAt: numOrNull(r.last_used_at),
    revokedAt: numOrNull(r.revoked_at),
  };
}
