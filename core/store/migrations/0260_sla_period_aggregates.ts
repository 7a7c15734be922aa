import type { Kysely } from 'kysely';
import { rebuildPeriodAggregates } from '../probe-aggregates.js';

// Running per-day and per-hour aggregates of the per-minute probe rollups (month-to-date figures
// for many services without reading every minute). Filled from the rollups already stored, then
// kept up to date by `upsertRollups` in the same transaction.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('probe_day_aggregates')
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('day_at', 'bigint', (c) => c.notNull())
    .addColumn('up', 'text', (c) => c.notNull())
    .addColumn('down', 'text', (c) => c.notNull())
    .addColumn('lat_sum', 'double precision', (c) => c.notNull())
    .addColumn('lat_count', 'integer', (c) => c.notNull())
    .addColumn('flagged_count', 'integer', (c) => c.notNull())
    .addColumn('hist', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('probe_day_aggregates_pk', ['target_id', 'location', 'day_at'])
    .execute();
  await db.schema
    .createTable('probe_hour_aggregates')
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('hour_at', 'bigint', (c) => c.notNull())
    .addColumn('lat_sum', 'double precision', (c) => c.notNull())
    .addColumn('lat_count', 'integer', (c) => c.notNull())
    .addColumn('flagged_count', 'integer', (c) => c.notNull())
    .addColumn('hist', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('probe_hour_aggregates_pk', ['target_id', 'location', 'hour_at'])
    .execute();
  await rebuildPeriodAggregates(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('probe_hour_aggregates').execute();
  await db.schema.dropTable('probe_day_aggregates').execute();
}
