import { errorMessage, type Clock, type Logger } from '../core/index.js';
import type { AlertingDb, NotificationRow } from './repo.js';
import { warmHttpSender, type Integration, type NotifyResult } from './notify/index.js';
import { failingRows, messageOf } from './queue-rows.js';
import { PairQueue, type QueuedRow } from './pair-queue.js';
import { closeInterrupted } from './attempt-log.js';
import { GroupCommit } from './group-commit.js';

export interface DeliveryOptions {
  db: AlertingDb;
  log: Logger;
  clock: Clock;
  integration: (receiver: string, key: string) => Integration | undefined;
  /** Integrations of the fallback receiver, told when another receiver keeps failing. */
  fallback: Integration[];
  concurrency?: number;
  maxAttempts: number;
  failingAfterAttempts: number;
  retryInitialMs: number;
  retryMaxMs: number;
  onOutcome?: (row: NotificationRow, result: NotifyResult, ms: number) => void;
}

/**
 * The durable notification queue. Every notification is a row before it is sent; a worker sends
 * due rows, records each attempt, and retries 429/5xx/network failures with exponential backoff.
 * After a crash, rows still `pending` (including one that was in flight) are sent again with the
 * same notification id, which receivers use to drop the duplicate: delivery is at-least-once,
 * and exactly-once at receivers that deduplicate by that id or by the PagerDuty/Opsgenie key.
 */
export class Delivery {
  readonly #o: DeliveryOptions;
  /** Pending rows: the store's rows mirrored, read once at start (one writer per store). */
  readonly #queue = new PairQueue();
  readonly #failing = new Set<string>();
  #running = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;
  readonly #idle: (() => void)[] = [];
  readonly #commit: GroupCommit;

  constructor(o: DeliveryOptions) {
    this.#o = o;
    this.#commit = new GroupCommit(o.db, o.log, async (trx, batch) => {
      for (const b of batch) await this.#trackFailing(trx, b.row, b.result, b.attempts, b.now);
    });
  }

  async start(): Promise<void> {
    this.#stopped = false;
    warmHttpSender();
    // Attempts cut short by a crash are closed as such; their rows are still pending and are sent
    // again with the same notification id.
    const now = this.#o.clock.now();
    const rows = await this.#o.db
      .selectFrom('alerting_notifications')
      .selectAll()
      .where('status', '=', 'pending')
      .orderBy('id')
      .execute();
    if (rows.length > 0) {
      const cut = await this.#o.db
        .transaction()
        .execute((trx) => closeInterrupted(trx as unknown as AlertingDb, rows, now));
      if (cut > 0) this.#o.log.warn({ interrupted: cut }, 'attempts cut short by a stop were closed');
    }
    await this.#restoreFailing();
    // Rows enqueued before start are among `rows` too; the queue ignores an id it already holds.
    for (const row of rows) this.#queue.push(row, now);
    this.kick();
  }

  /**
   * Which integrations were last announced as failing, from the "failing" rows already written:
   * after a restart a receiver still failing is not announced twice, and one that recovers is
   * announced as resolved.
   */
  async #restoreFailing(): Promise<void> {
    const rows = await this.#o.db
      .selectFrom('alerting_notifications')
      .select(['payload'])
      .where('kind', '=', 'failing')
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const msg = JSON.parse(r.payload) as { status: string; commonLabels: Record<string, string> };
      const who = `${msg.commonLabels.receiver}/${msg.commonLabels.integration}`;
      if (msg.status === 'firing') this.#failing.add(who);
      else this.#failing.delete(who);
    }
  }

  async stop(deadlineMs: number): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    const until = Date.now() + deadlineMs;
    while (this.#running > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  }

  /** Rows committed to the store by the router; sent from here on. */
  enqueued(rows: NotificationRow[]): void {
    const now = this.#o.clock.now();
    for (const row of rows) this.#queue.push(row, now);
    this.kick();
  }

  /**
   * Rows of these (group, integration) pairs that wait for a retry; a newer state of the group
   * makes them obsolete (the router marks them superseded in the store in the same transaction).
   */
  retryingFor(rows: NotificationRow[]): string[] {
    return this.#queue.retrying(rows);
  }

  /** Drops superseded rows from the queue (after the store says so). */
  superseded(ids: string[]): void {
    this.#queue.drop(ids, this.#o.clock.now());
  }

  /** Resolves when no notification is pending or in flight (tests, benchmarks). */
  async idle(): Promise<void> {
    if (this.#running === 0 && this.#queue.size === 0) return;
    await new Promise<void>((r) => this.#idle.push(r));
  }

  #kickScheduled = false;

  /**
   * Sends whatever is due, up to the concurrency limit. Deferred to the end of the current turn
   * of the event loop, so completions and new rows arriving together go out as one batch (one
   * in-flight mark for all of them).
   */
  kick(): void {
    if (this.#stopped || this.#kickScheduled) return;
    this.#kickScheduled = true;
    setImmediate(() => {
      this.#kickScheduled = false;
      this.#kickNow();
    });
  }

  #kickNow(): void {
    if (this.#stopped) return;
    const limit = this.#o.concurrency ?? 256;
    const now = this.#o.clock.now();
    const picked = this.#queue.take(now, limit - this.#running);
    if (picked.length > 0) this.#launch(picked, now);
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const wake = this.#queue.nextWakeAt();
    if (wake !== undefined) {
      this.#timer = setTimeout(() => this.kick(), Math.max(0, wake - now));
      this.#timer.unref?.();
    }
    if (this.#running === 0 && this.#queue.size === 0) this.#idle.splice(0).forEach((r) => r());
  }

  /** Opens an attempt for each of a batch (one insert, group-committed), then sends each. */
  #launch(batch: QueuedRow[], now: number): void {
    this.#running += batch.length;
    // The attempt is on disk before the send, so a crash mid-send shows as an interrupted
    // attempt; it rides in the same transaction as the outcomes finishing meanwhile.
    this.#commit
      .open(
        batch.map((q) => q.row.notification_id),
        now,
      )
      .then(
        () => batch.forEach((q) => this.#send(q, now)),
        (err: unknown) => {
          this.#o.log.error({ err: errorMessage(err) }, 'cannot open notification attempts; retrying');
          for (const q of batch) {
            q.row = { ...q.row, next_attempt_at: now + this.#o.retryInitialMs };
            this.#queue.settle(q, false, now);
          }
          this.#running -= batch.length;
          this.kick();
        },
      );
  }

  #send(q: QueuedRow, started: number): void {
    void this.#attempt(q.row, started)
      .then(
        (finished) => this.#queue.settle(q, finished, this.#o.clock.now()),
        (err: unknown) => {
          // The store is unreachable: keep the row, try again later.
          q.row = { ...q.row, next_attempt_at: this.#o.clock.now() + this.#o.retryMaxMs };
          this.#queue.settle(q, false, this.#o.clock.now());
          this.#o.log.error(
            { err: errorMessage(err), notification: q.row.notification_id },
            'recording a notification attempt failed',
          );
        },
      )
      .finally(() => {
        this.#running--;
        this.kick();
      });
  }

  /** One attempt; returns true when the row is finished (sent or given up). */
  async #attempt(row: NotificationRow, started: number): Promise<boolean> {
    const integ = this.#o.integration(row.receiver, row.integration);
    let result: NotifyResult;
    if (!integ)
      result = {
        ok: false,
        retryable: false,
        reason: `receiver ${row.receiver} has no integration ${row.integration} any more`,
      };
    else {
      try {
        result = await integ.notifier.notify(messageOf(row));
      } catch (err) {
        result = { ok: false, retryable: true, reason: `notifier threw: ${errorMessage(err)}` };
      }
    }
    const now = this.#o.clock.now();
    const attempts = row.attempts + 1;
    const giveUp = !result.ok && (!result.retryable || attempts >= this.#o.maxAttempts);
    const backoff = Math.min(this.#o.retryInitialMs * 2 ** (attempts - 1), this.#o.retryMaxMs);
    await this.#commit.close({ row, result, started, now, attempts, giveUp, backoff });
    this.#o.onOutcome?.(row, result, now - started);
    if (!result.ok)
      this.#o.log.warn(
        { receiver: row.receiver, integration: row.integration, attempts, reason: result.reason },
        'notification failed',
      );
    row.attempts = attempts;
    row.next_attempt_at = now + backoff;
    return result.ok || giveUp;
  }

  /** Raises (once) and clears the "notifications failing" alert to the fallback receiver. */
  async #trackFailing(
    db: AlertingDb,
    row: NotificationRow,
    result: NotifyResult,
    attempts: number,
    now: number,
  ): Promise<void> {
    const who = `${row.receiver}/${row.integration}`;
    if (row.kind === 'failing') return;
    const failing = !result.ok && attempts >= this.#o.failingAfterAttempts;
    if (failing === this.#failing.has(who) || (result.ok && !this.#failing.has(who))) return;
    if (failing) this.#failing.add(who);
    else this.#failing.delete(who);
    const rows = failingRows(this.#o.fallback, row, failing, result, now);
    if (rows.length > 0) {
      await db.insertInto('alerting_notifications').values(rows).execute();
      for (const r of rows) this.#queue.push(r, now);
    }
  }
}
