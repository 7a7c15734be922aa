import { sql, type Kysely } from 'kysely';
import { engineOf, withAutoId } from '../schema-helpers.js';

// The append-only, hash-chained audit log (core/audit) and its signed checkpoints. `seq` is the
// primary key, so two writers can never both commit the same position of the chain. The
// application may only insert: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL).
// That stops the application's own bugs and a SQL injection; someone with the database's
// owner rights can drop a trigger, which is why the chain and the signed checkpoints exist.
const TABLES = ['audit_log', 'audit_checkpoints'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await withAutoId(db, db.schema.createTable('audit_checkpoints'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_checkpoints_seq').on('audit_checkpoints').column('seq').execute();
  if (engineOf(db) === 'postgres') {
    await sql`CREATE OR REPLACE FUNCTION vigil_audit_append_only() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
      END $$ LANGUAGE plpgsql`.execute(db);
    for (const t of TABLES) {
      await sql`CREATE TRIGGER ${sql.raw(`${t}_no_change`)} BEFORE UPDATE OR DELETE ON ${sql.table(t)}
        FOR EACH ROW EXECUTE FUNCTION vigil_audit_append_only()`.execute(db);
      await sql`CREATE TRIGGER ${sql.raw(`${t}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(t)}
        FOR EACH STATEMENT EXECUTE FUNCTION vigil_audit_append_only()`.execute(db);
    }
  } else {
    for (const t of TABLES) {
      for (const op of ['UPDATE', 'DELETE']) {
        await sql`CREATE TRIGGER ${sql.raw(`${t}_no_${op.toLowerCase()}`)} BEFORE ${sql.raw(op)} ON ${sql.table(t)}
          BEGIN SELECT RAISE(ABORT, ${sql.lit(`the audit log is append-only: ${op} on ${t} refused`)}); END`.execute(
          db,
        );
      }
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of TABLES) await db.schema.dropTable(t).execute();
  if (engineOf(db) === 'postgres') await sql`DROP FUNCTION IF EXISTS vigil_audit_append_only()`.execute(db);
}
