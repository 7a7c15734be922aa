import type { Kysely } from 'kysely';
import { withAutoId } from '../schema-helpers.js';

// Analysis runs, their inputs, findings, per-input checkpoints and run reviews (DESIGN.md §4, §5).
// Shared by the IDS analyzers and the virus/YARA scanners (core/store/analysis-runs.ts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('analysis_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('analyzer', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('findings', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('new_findings', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('summary_json', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'bigint')
    .addColumn('review_note', 'text')
    .execute();
  await db.schema
    .createIndex('analysis_runs_analyzer_started')
    .on('analysis_runs')
    .columns(['analyzer', 'started_at'])
    .execute();

  await withAutoId(db, db.schema.createTable('analysis_inputs'))
    .addColumn('run_id', 'text', (c) => c.notNull().references('analysis_runs.id').onDelete('cascade'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('from_offset', 'bigint', (c) => c.notNull())
    .addColumn('to_offset', 'bigint', (c) => c.notNull())
    .addColumn('records', 'bigint', (c) => c.notNull())
    .addColumn('bad_records', 'bigint', (c) => c.notNull())
    .addColumn('errors_json', 'text')
    .execute();
  await db.schema.createIndex('analysis_inputs_run').on('analysis_inputs').column('run_id').execute();

  await db.schema
    .createTable('findings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('last_run_id', 'text', (c) => c.notNull())
    .addColumn('detector', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('src', 'text')
    .addColumn('dst', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('evidence_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('details_json', 'text')
    .execute();
  // The stable key is unique per detector: a re-read finds the row instead of adding one.
  await db.schema
    .createIndex('findings_detector_key')
    .on('findings')
    .columns(['detector', 'key'])
    .unique()
    .execute();
  await db.schema.createIndex('findings_run').on('findings').column('run_id').execute();
  await db.schema.createIndex('findings_last_seen').on('findings').column('last_seen').execute();

  await db.schema
    .createTable('analysis_checkpoints')
    .addColumn('analyzer', 'text', (c) => c.notNull())
    .addColumn('input_key', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('dev', 'text')
    .addColumn('ino', 'text')
    .addColumn('head_hash', 'text')
    .addColumn('offset', 'bigint', (c) => c.notNull())
    .addColumn('state_json', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('analysis_checkpoints_pk', ['analyzer', 'input_key'])
    .execute();

  await withAutoId(db, db.schema.createTable('analysis_run_reviews'))
    .addColumn('run_id', 'text', (c) => c.notNull().references('analysis_runs.id').onDelete('cascade'))
    .addColumn('reviewed_by', 'text', (c) => c.notNull())
    .addColumn('reviewed_at', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('analysis_run_reviews').execute();
  await db.schema.dropTable('analysis_checkpoints').execute();
  await db.schema.dropTable('findings').execute();
  await db.schema.dropTable('analysis_inputs').execute();
  await db.schema.dropTable('analysis_runs').execute();
}
