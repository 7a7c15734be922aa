import type { Kysely } from 'kysely';

// The delivery queue reads the "notifications failing" rows at start to know which receivers it
// already announced as failing (so a restart neither announces one twice nor forgets to resolve it).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('alerting_notifications_kind')
    .on('alerting_notifications')
    .columns(['kind', 'id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('alerting_notifications_kind').execute();
}
