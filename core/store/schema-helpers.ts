import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely';

/** The engine a Kysely instance talks to, for the few DDL spots where SQLite and PostgreSQL differ. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function engineOf(db: Kysely<any>): 'sqlite' | 'postgres' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Adds an auto-increment integer primary key named `id` that works on both engines. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withAutoId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) {
  return engineOf(db) === 'postgres'
    ? table.addColumn('id', 'bigserial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
