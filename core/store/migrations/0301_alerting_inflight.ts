import type { Kysely } from 'kysely';

// When a notification's current attempt started (null when none runs). Marked for a whole batch
// in one statement before sending, so a crash mid-send is recorded as an interrupted attempt
// without one extra write per notification.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('alerting_notifications').addColumn('in_flight_since', 'bigint').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('alerting_notifications').dropColumn('in_flight_since').execute();
}
