import type { Kysely } from 'kysely';

// Signed acknowledgement links work once (alerting/ack-links.ts): the id of every link used is
// kept, and the primary key makes a second use fail even when two requests race.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alerting_ack_links_used')
    .addColumn('link_id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('used_at', 'bigint', (c) => c.notNull())
    .addColumn('used_by', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('alerting_ack_links_used').execute();
}
