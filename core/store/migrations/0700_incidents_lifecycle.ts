import type { Kysely } from 'kysely';
import { withAutoId } from '../schema-helpers.js';

// Incidents (issue 12, S9/S11): the lifecycle state, who owns it, which detector opened it (so
// related findings join it), and the update cadence's progress kept in the store so a restart
// neither repeats nor forgets a reminder or escalation. Every message to a customer is kept with
// its content hash and delivery result as evidence (incident_messages).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const add = (name: string, type: 'text' | 'bigint') =>
    db.schema.alterTable('incidents').addColumn(name, type).execute();
  await db.schema
    .alterTable('incidents')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('detected'))
    .execute();
  await add('detector', 'text');
  await add('owner', 'text');
  await add('opened_by', 'text');
  await add('last_update_at', 'bigint');
  await add('reminded_at', 'bigint');
  await add('escalated_at', 'bigint');
  await db.schema
    .createIndex('incidents_customer_kind')
    .on('incidents')
    .columns(['customer_id', 'kind'])
    .execute();

  await withAutoId(db, db.schema.createTable('incident_messages'))
    .addColumn('incident_id', 'text')
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('content_sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .addColumn('result', 'text', (c) => c.notNull())
    // The outbox: what to send (JSON, attachments base64), so a restart resends a pending message.
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('attempt_log', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .createIndex('incident_messages_incident')
    .on('incident_messages')
    .column('incident_id')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('incident_messages').execute();
  await db.schema.dropIndex('incidents_customer_kind').execute();
  for (const c of [
    'escalated_at',
    'reminded_at',
    'last_update_at',
    'opened_by',
    'owner',
    'detector',
    'state',
  ])
    await db.schema.alterTable('incidents').dropColumn(c).execute();
}
