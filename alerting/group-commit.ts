import { errorMessage, type Logger } from '../core/index.js';
import type { AlertingDb } from './repo.js';
import { closeAttempts, openAttempts } from './attempt-log.js';
import type { Outcome } from './queue-rows.js';

type Done = (err?: unknown) => void;

/** The least time between two group commits while sends keep coming (see #schedule). */
const MIN_GAP_MS = 5;

/**
 * Group commit for the delivery queue's writes. Attempts starting (before their send) and
 * attempts finishing in the same turn of the event loop are written in ONE transaction: a
 * commit, not a statement, is what each write costs most on a store (a WAL append on SQLite, a
 * round trip and flush on PostgreSQL), and under load dozens of sends start and finish per turn.
 * Each caller's promise settles only after that transaction commits, so nothing is sent before
 * its attempt is on disk.
 */
export class GroupCommit {
  readonly #db: AlertingDb;
  readonly #log: Logger;
  /** Extra writes for the finished outcomes, in the same transaction (the "failing" alert). */
  readonly #after: (trx: AlertingDb, batch: Outcome[]) => Promise<void>;
  #opens: { ids: string[]; at: number; done: Done }[] = [];
  #closes: { o: Outcome; done: Done }[] = [];
  #scheduled = false;
  /** When the last transaction started (performance.now()). */
  #lastAt = -Infinity;

  constructor(db: AlertingDb, log: Logger, after: (trx: AlertingDb, batch: Outcome[]) => Promise<void>) {
    this.#db = db;
    this.#log = log;
    this.#after = after;
  }

  /** Opens attempts for these notifications; resolves once committed (then they may be sent). */
  open(ids: string[], at: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#opens.push({ ids, at, done: (err) => (err ? reject(err) : resolve()) });
      this.#schedule();
    });
  }

  /** Records a finished attempt; resolves once committed. */
  close(o: Outcome): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#closes.push({ o, done: (err) => (err ? reject(err) : resolve()) });
      this.#schedule();
    });
  }

  /**
   * Flushes at the end of this turn, or, when the last transaction began less than MIN_GAP_MS
   * ago, that much later: under load this gathers the writes of several turns into one commit
   * (each commit rewrites the hot pages of the tables and their indexes), while a lone send
   * after a quiet spell is not delayed at all. A few milliseconds are noise next to an HTTP send.
   */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const run = () => {
      this.#scheduled = false;
      this.#lastAt = performance.now();
      this.#flush();
    };
    const wait = this.#lastAt + MIN_GAP_MS - performance.now();
    if (wait > 0) setTimeout(run, wait);
    else setImmediate(run);
  }

  #flush(): void {
    const opens = this.#opens.splice(0);
    const closes = this.#closes.splice(0);
    if (opens.length === 0 && closes.length === 0) return;
    const batch = closes.map((c) => c.o);
    this.#db
      .transaction()
      .execute(async (trx) => {
        const t = trx as unknown as AlertingDb;
        // Opens sharing a start time (the common case: one take per turn) become one insert.
        const byAt = new Map<number, string[]>();
        for (const o of opens) byAt.set(o.at, [...(byAt.get(o.at) ?? []), ...o.ids]);
        for (const [at, ids] of byAt) await openAttempts(t, ids, at);
        if (batch.length === 0) return;
        await closeAttempts(t, batch);
        await this.#after(t, batch);
      })
      .then(
        () => {
          opens.forEach((o) => o.done());
          closes.forEach((c) => c.done());
        },
        (err: unknown) => {
          this.#log.error({ err: errorMessage(err) }, 'recording notification attempts failed');
          opens.forEach((o) => o.done(err));
          closes.forEach((c) => c.done(err));
        },
      );
  }
}
