import { sql } from 'kysely';
import { VigilError, errorMessage } from '../errors.js';
import type { Store } from '../store/index.js';

/**
 * Refuses a PostgreSQL store that is a standby: vigil writes (audit log, alerts), and a hot
 * standby answers reads but fails every write, late and confusingly. `pg_is_in_recovery()` is
 * true on a standby (https://www.postgresql.org/docs/15/functions-admin.html). SQLite: nothing to check.
 */
export async function assertPrimary(store: Store): Promise<void> {
  if (store.engine !== 'postgres') return;
  let inRecovery: boolean;
  try {
    const r = await sql<{ r: boolean }>`SELECT pg_is_in_recovery() AS r`.execute(store.db);
    inRecovery = r.rows[0]?.r === true;
  } catch (err) {
    throw new VigilError(
      'STO_PRIMARY',
      `cannot ask ${store.displayUrl} whether it is a primary: ${errorMessage(err)}`,
      {
        cause: err,
      },
    );
  }
  if (inRecovery)
    throw new VigilError(
      'STO_NOT_PRIMARY',
      `the store ${store.displayUrl} is a standby (pg_is_in_recovery() is true); point store.url at the primary`,
    );
}
