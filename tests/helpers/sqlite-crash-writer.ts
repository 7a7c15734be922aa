/**
 * Child process for the store crash test: opens the SQLite store named on the command line and
 * inserts probe results in a tight loop, BATCH rows per transaction, forever. After each commit
 * returns it prints `committed <total rows>` (stdout to a pipe is synchronous on Linux, so a
 * printed count is never ahead of the database). The test SIGKILLs it mid-write.
 *
 *   node --import tsx tests/helpers/sqlite-crash-writer.ts sqlite:/tmp/x/vigil.db
 */
import { insertProbeResults, openStore, type ProbeResult, type ProbeResultsDb } from '../../core/index.js';
import type { Kysely } from 'kysely';

export const CRASH_BATCH = 50;
export const CRASH_T0 = Date.UTC(2026, 0, 1);

/** Row number `i` of the crash writer: distinct startedAt, every field derived from `i`. */
export function crashRow(i: number): ProbeResult {
  return {
    targetId: `t${i % 7}`,
    location: i % 2 === 0 ? 'ams' : 'fra',
    startedAt: new Date(CRASH_T0 + i).toISOString(),
    ok: i % 5 !== 0,
    totalMs: i / 4,
    phases: { resolve: 1, connect: 2, tls: 3, processing: 4, transfer: i % 3 },
    loopDelayMs: 0.5,
  };
}

async function main(url: string): Promise<void> {
  const store = await openStore(url);
  const db = store.db as Kysely<ProbeResultsDb>;
  process.stdout.write('ready\n');
  for (let total = 0; ; total += CRASH_BATCH) {
    const rows = Array.from({ length: CRASH_BATCH }, (_, k) => crashRow(total + k));
    await db.transaction().execute(async (trx) => {
      // Two statements per transaction, so a kill can land between them.
      await insertProbeResults(trx, rows.slice(0, CRASH_BATCH / 2));
      await insertProbeResults(trx, rows.slice(CRASH_BATCH / 2));
    });
    process.stdout.write(`committed ${total + CRASH_BATCH}\n`);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  const url = process.argv[2];
  if (!url) {
    process.stderr.write('usage: sqlite-crash-writer.ts sqlite:PATH\n');
    process.exit(2);
  }
  main(url).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
