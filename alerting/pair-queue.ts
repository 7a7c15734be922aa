import type { NotificationRow } from './repo.js';

export interface QueuedRow {
  row: NotificationRow;
  pair: string;
  inFlight: boolean;
  done: boolean;
}

/**
 * The pending notifications in memory: FIFO per (group, receiver, integration) so a resolve never
 * overtakes its trigger, and a ready list of the heads that are due, so taking work costs O(1)
 * per notification however long the queue is.
 */
export class PairQueue {
  readonly #byPair = new Map<string, QueuedRow[]>();
  #ready: QueuedRow[] = [];
  #readyAt = 0;
  readonly #waiting = new Set<QueuedRow>();
  /** Ids of the rows held, so the same row pushed twice (enqueued, then read at start) is sent once. */
  readonly #ids = new Set<string>();

  /** Number of (group, integration) pairs with work left. */
  get size(): number {
    return this.#byPair.size;
  }

  push(row: NotificationRow, now: number): void {
    if (this.#ids.has(row.notification_id)) return;
    this.#ids.add(row.notification_id);
    const pair = `${row.group_key}\u0000${row.receiver}\u0000${row.integration}`;
    const q: QueuedRow = { row, pair, inFlight: false, done: false };
    let list = this.#byPair.get(pair);
    if (!list) this.#byPair.set(pair, (list = []));
    list.push(q);
    if (list.length === 1) this.#consider(q, now);
  }

  #consider(head: QueuedRow, now: number): void {
    if (head.row.next_attempt_at <= now) this.#ready.push(head);
    else this.#waiting.add(head);
  }

  /** Up to `n` due heads, marked in flight. */
  take(now: number, n: number): QueuedRow[] {
    for (const w of this.#waiting) {
      if (w.row.next_attempt_at <= now) {
        this.#waiting.delete(w);
        this.#ready.push(w);
      }
    }
    const out: QueuedRow[] = [];
    while (out.length < n && this.#readyAt < this.#ready.length) {
      const q = this.#ready[this.#readyAt++]!;
      if (q.done || q.inFlight) continue;
      q.inFlight = true;
      out.push(q);
    }
    if (this.#readyAt > 1024 && this.#readyAt * 2 > this.#ready.length) {
      this.#ready = this.#ready.slice(this.#readyAt);
      this.#readyAt = 0;
    }
    return out;
  }

  /** An attempt ended: `finished` rows leave; others wait for their next attempt. */
  settle(q: QueuedRow, finished: boolean, now: number): void {
    q.inFlight = false;
    if (finished) {
      q.done = true;
      this.#advance(q.pair, now);
    } else this.#consider(q, now);
  }

  #advance(pair: string, now: number): void {
    const list = this.#byPair.get(pair);
    if (!list) return;
    while (list.length > 0 && list[0]!.done) this.#ids.delete(list.shift()!.row.notification_id);
    if (list.length === 0) this.#byPair.delete(pair);
    else if (!list[0]!.inFlight) this.#consider(list[0]!, now);
  }

  /** The earliest time a waiting head becomes due. */
  nextWakeAt(): number | undefined {
    let at: number | undefined;
    for (const w of this.#waiting)
      if (at === undefined || w.row.next_attempt_at < at) at = w.row.next_attempt_at;
    return at;
  }

  /** Ids of heads of these pairs waiting to retry a `notify` (obsolete once a newer state comes). */
  retrying(rows: NotificationRow[]): string[] {
    const out: string[] = [];
    for (const r of rows) {
      if (r.kind !== 'notify') continue;
      const head = this.#byPair.get(`${r.group_key}\u0000${r.receiver}\u0000${r.integration}`)?.[0];
      if (head && !head.inFlight && !head.done && head.row.kind === 'notify' && head.row.attempts > 0) {
        out.push(head.row.notification_id);
      }
    }
    return out;
  }

  /** Removes rows the store marked superseded. */
  drop(ids: string[], now: number): void {
    if (ids.length === 0) return;
    const set = new Set(ids);
    for (const [pair, list] of [...this.#byPair]) {
      const head = list[0];
      if (head && set.has(head.row.notification_id) && !head.inFlight) {
        head.done = true;
        this.#waiting.delete(head);
        this.#advance(pair, now);
      }
    }
  }
}
