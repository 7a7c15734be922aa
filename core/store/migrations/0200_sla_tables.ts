import type { Kysely } from 'kysely';

// SLA engine tables: per-minute probe rollups (fast month queries), incidents (S9) and planned
// downtimes (S8). Times are epoch ms in bigint columns, as everywhere in the store.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('probe_rollups')
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('minute_at', 'bigint', (c) => c.notNull())
    .addColumn('ok_count', 'integer', (c) => c.notNull())
    .addColumn('fail_count', 'integer', (c) => c.notNull())
    .addColumn('flagged_count', 'integer', (c) => c.notNull())
    .addColumn('lat_sum', 'double precision', (c) => c.notNull())
    .addColumn('lat_count', 'integer', (c) => c.notNull())
    .addColumn('hist', 'text', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('last_ok', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('probe_rollups_pk', ['target_id', 'location', 'minute_at'])
    .execute();
  await db.schema.createIndex('probe_rollups_time').on('probe_rollups').columns(['minute_at']).execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text')
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('detected_at', 'bigint', (c) => c.notNull())
    .addColumn('reported_at', 'bigint', (c) => c.notNull())
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('accepted_at', 'bigint')
    .addColumn('timeline_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incidents_service')
    .on('incidents')
    .columns(['service_id', 'detected_at'])
    .execute();

  await db.schema
    .createTable('planned_downtimes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    .addColumn('announced_at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('planned_downtimes_service')
    .on('planned_downtimes')
    .columns(['service_id', 'start_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('planned_downtimes').execute();
  await db.schema.dropTable('incidents').execute();
  await db.schema.dropTable('probe_rollups').execute();
}
