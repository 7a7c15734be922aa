import type { Kysely } from 'kysely';
import { withAutoId } from '../schema-helpers.js';

// The alert router's durable state (alerting/): alerts, silences, notification log (nflog) per
// group and integration, aggregation groups with acknowledgement/escalation, and the
// notification queue with every attempt. Times are epoch ms (bigint), JSON is text.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alerting_alerts')
    .addColumn('fingerprint', 'text', (c) => c.primaryKey())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('annotations', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('generator_url', 'text', (c) => c.notNull())
    .addColumn('timeout', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('alerting_silences')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('matchers', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('alerting_nflog')
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('integration', 'text', (c) => c.notNull())
    .addColumn('firing', 'text', (c) => c.notNull())
    .addColumn('resolved', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('alerting_nflog_pk', ['group_key', 'integration'])
    .execute();
  await db.schema
    .createTable('alerting_groups')
    .addColumn('group_key', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('receiver', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('paged_at', 'bigint')
    .addColumn('acked_at', 'bigint')
    .addColumn('acked_by', 'text')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alerting_groups_id').on('alerting_groups').column('group_id').execute();
  await withAutoId(db, db.schema.createTable('alerting_notifications'))
    .addColumn('notification_id', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('receiver', 'text', (c) => c.notNull())
    .addColumn('integration', 'text', (c) => c.notNull())
    .addColumn('dedup_key', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema
    .createIndex('alerting_notifications_status')
    .on('alerting_notifications')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('alerting_notifications_group')
    .on('alerting_notifications')
    .column('group_id')
    .execute();
  await withAutoId(db, db.schema.createTable('alerting_attempts'))
    .addColumn('notification_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .execute();
  await db.schema
    .createIndex('alerting_attempts_notification')
    .on('alerting_attempts')
    .column('notification_id')
    .execute();
  await withAutoId(db, db.schema.createTable('alerting_acks'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('acked_at', 'bigint', (c) => c.notNull())
    .addColumn('acked_by', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'alerting_acks',
    'alerting_attempts',
    'alerting_notifications',
    'alerting_groups',
    'alerting_nflog',
    'alerting_silences',
    'alerting_alerts',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
