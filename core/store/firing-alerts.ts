import type { Kysely } from 'kysely';
import type { FiringAlertsStore, StoredFiringAlert } from '../firing-alerts.js';
import type { Alert } from '../types.js';

export interface FiringAlertsTable {
  source: string;
  alert_key: string;
  scope: string;
  /** The alert as JSON (labels, annotations, startsAt). */
  alert: string;
  until_ms: number | null;
}

export interface FiringAlertsDb {
  firing_alerts: FiringAlertsTable;
}

/** The persisted firing set of one source (`scanners`, `findings`, ...) in table `firing_alerts`. */
export function firingAlertsStore(db: Kysely<FiringAlertsDb>, source: string): FiringAlertsStore {
  return {
    async load() {
      const rows = await db.selectFrom('firing_alerts').selectAll().where('source', '=', source).execute();
      return rows.map((r) => ({
        key: r.alert_key,
        scope: r.scope,
        alert: JSON.parse(r.alert) as Alert,
        untilMs: r.until_ms === null ? undefined : Number(r.until_ms),
      }));
    },
    async save(put: readonly StoredFiringAlert[], remove: readonly string[]) {
      await db.transaction().execute(async (trx) => {
        if (remove.length > 0)
          await trx
            .deleteFrom('firing_alerts')
            .where('source', '=', source)
            .where('alert_key', 'in', [...remove])
            .execute();
        for (const p of put) {
          const row = {
            source,
            alert_key: p.key,
            scope: p.scope,
            alert: JSON.stringify(p.alert),
            until_ms: p.untilMs ?? null,
          };
          await trx
            .insertInto('firing_alerts')
            .values(row)
            .onConflict((oc) =>
              oc.columns(['source', 'alert_key']).doUpdateSet({
                scope: row.scope,
                alert: row.alert,
                until_ms: row.until_ms,
              }),
            )
            .execute();
        }
      });
    },
  };
}
