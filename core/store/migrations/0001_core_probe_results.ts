import type { Kysely } from 'kysely';
import { withAutoId } from '../schema-helpers.js';

// Probe results are shared data: probes write them, the SLA engine reads them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await withAutoId(db, db.schema.createTable('probe_results'))
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('error_kind', 'text')
    .addColumn('error_message', 'text')
    .addColumn('total_ms', 'double precision', (c) => c.notNull())
    .addColumn('resolve_ms', 'double precision', (c) => c.notNull())
    .addColumn('connect_ms', 'double precision', (c) => c.notNull())
    .addColumn('tls_ms', 'double precision', (c) => c.notNull())
    .addColumn('processing_ms', 'double precision', (c) => c.notNull())
    .addColumn('transfer_ms', 'double precision', (c) => c.notNull())
    .addColumn('loop_delay_ms', 'double precision', (c) => c.notNull())
    .addColumn('loop_flagged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tls_json', 'text')
    .execute();
  // One sample per target, location and start instant: makes agent re-sends idempotent.
  await db.schema
    .createIndex('probe_results_target_loc_time')
    .on('probe_results')
    .columns(['target_id', 'location', 'started_at'])
    .unique()
    .execute();
  await db.schema.createIndex('probe_results_time').on('probe_results').column('started_at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('probe_results').execute();
}
