import type { Kysely } from 'kysely';

// The scanners' incremental index (analyzers/scanners/file-index.ts): files found clean, by
// identity (dev + ino), size and mtime, under a signature-set fingerprint; plus small state
// (when the last full rescan ran). Domain-private: only the scanners read and write it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scanner_clean_files')
    .addColumn('path', 'text', (c) => c.primaryKey())
    .addColumn('dev', 'text', (c) => c.notNull())
    .addColumn('ino', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('mtime_ms', 'double precision', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('scanned_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('scanner_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scanner_state').execute();
  await db.schema.dropTable('scanner_clean_files').execute();
}
