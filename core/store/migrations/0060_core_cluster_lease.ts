import type { Kysely } from 'kysely';

// Leadership among vigil instances on one PostgreSQL (core/cluster, issue 16). One row per lease:
// who holds it, its epoch (raised at every takeover; a write of a leader carries its epoch and
// is refused once the row shows a newer one: fencing) and until when (epoch ms). A row, not an
// advisory lock alone: a half-open connection keeps a session lock alive, a row expires.
// `cluster_instances` is each instance's heartbeat, for `vigil cluster status`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cluster_lease')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('epoch', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('taken_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('cluster_instances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
    .addColumn('config_hash', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cluster_instances').execute();
  await db.schema.dropTable('cluster_lease').execute();
}
