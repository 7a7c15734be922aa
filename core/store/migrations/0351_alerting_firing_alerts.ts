import type { Kysely } from 'kysely';

// The alerts each source inside vigil has firing (core FiringAlerts), so a restart re-sends
// them at once and resolves them when the source's next look says they cleared, even for a
// source that looks only every few hours (a scan run): no lapse, no resolve/re-fire flap.
// In the alerting range because it exists for the router's sake; the repository is core's.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('firing_alerts')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('alert_key', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('alert', 'text', (c) => c.notNull())
    .addColumn('until_ms', 'bigint')
    .addPrimaryKeyConstraint('firing_alerts_pk', ['source', 'alert_key'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('firing_alerts').execute();
}
