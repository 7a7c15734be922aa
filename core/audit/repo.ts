import { sql, type Kysely } from 'kysely';
import { engineOf } from '../store/schema-helpers.js';
import { entryHash } from './hash.js';
import { GENESIS_HASH, type AuditCheckpoint, type AuditEntry, type AuditInput } from './types.js';

export interface AuditLogTable {
  seq: number;
  at: number;
  actor_kind: string;
  actor_name: string;
  actor_id: string | null;
  source: string;
  action: string;
  object: string;
  result: string;
  prev_hash: string;
  hash: string;
}

export interface AuditCheckpointsTable {
  id?: number;
  seq: number;
  hash: string;
  at: number;
  key_id: string;
  signature: string;
}

export interface AuditTables {
  audit_log: AuditLogTable;
  audit_checkpoints: AuditCheckpointsTable;
}

export type AuditDb = Kysely<AuditTables>;

/** An arbitrary 64-bit key for pg_advisory_xact_lock: "vigil audit". */
const PG_LOCK_KEY = 0x7669_6769_6c61;
/** Rows per INSERT statement (11 parameters each, well under both engines' limits). */
const INSERT_CHUNK = 500;

/**
 * Runs `fn` in a transaction that no other writer of the chain can interleave with: on
 * PostgreSQL a transaction-scoped advisory lock (so two instances on one database queue up
 * instead of forking the chain), on SQLite `BEGIN IMMEDIATE`, which takes the write lock before
 * the last entry is read (a deferred transaction would read, then fail to upgrade when another
 * process wrote in between).
 */
export async function withChainLock<T>(db: AuditDb, fn: (trx: AuditDb) => Promise<T>): Promise<T> {
  if (engineOf(db) === 'postgres') {
    return db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${PG_LOCK_KEY})`.execute(trx);
      return fn(trx);
    });
  }
  return db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
    try {
      const out = await fn(conn);
      await sql`COMMIT`.execute(conn);
      return out;
    } catch (err) {
      await sql`ROLLBACK`.execute(conn);
      throw err;
    }
  });
}

/** The last committed entry's position and hash (0 and the genesis hash for an empty log). */
export async function chainHead(db: AuditDb): Promise<{ seq: number; hash: string }> {
  const row = await db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
}

/** Chains `inputs` onto the head and inserts them; call inside `withChainLock`. */
export async function appendChained(trx: AuditDb, inputs: readonly AuditInput[]): Promise<AuditEntry[]> {
  let { seq, hash } = await chainHead(trx);
  const entries: AuditEntry[] = inputs.map((i) => {
    const base = { ...i, seq: ++seq, prevHash: hash };
    hash = entryHash(base);
    return { ...base, hash };
  });
  for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
    await trx
      .insertInto('audit_log')
      .values(entries.slice(i, i + INSERT_CHUNK).map(toRow))
      .execute();
  }
  return entries;
}

export function toRow(e: AuditEntry): AuditLogTable {
  return {
    seq: e.seq,
    at: e.at,
    actor_kind: e.actor.kind,
    actor_name: e.actor.name,
    actor_id: e.actor.id ?? null,
    source: e.source,
    action: e.action,
    object: e.object,
    result: e.result,
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

export function fromRow(r: AuditLogTable): AuditEntry {
  return {
    seq: Number(r.seq),
    at: Number(r.at),
    actor: { kind: r.actor_kind, name: r.actor_name, ...(r.actor_id !== null ? { id: r.actor_id } : {}) },
    source: r.source,
    action: r.action,
    object: r.object,
    result: r.result,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export function checkpointFromRow(r: AuditCheckpointsTable): AuditCheckpoint {
  return {
    seq: Number(r.seq),
    hash: r.hash,
    at: Number(r.at),
    keyId: r.key_id,
    signature: r.signature,
  };
}

/** Entries with `fromSeq <= seq <= toSeq` in seq order, read in pages (keyset) so a large log streams. */
export async function* readEntries(
  db: AuditDb,
  fromSeq: number,
  toSeq: number,
  pageSize = 5000,
): AsyncGenerator<AuditEntry> {
  let next = fromSeq;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', next)
      .where('seq', '<=', toSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const r of rows) yield fromRow(r);
    if (rows.length < pageSize) return;
    next = Number(rows[rows.length - 1]!.seq) + 1;
  }
}
