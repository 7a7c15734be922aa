import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { errorMessage, type Clock, type Logger } from '../core/index.js';
import type { AlertingDb, NotificationRow } from './repo.js';
import type { Integration, NotificationMessage, NotifyResult } from './notify/index.js';
import { hashKey } from './notify/index.js';

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
  /** Pending rows in queue order: the store's rows mirrored, read once at start (one writer per store). */
  #queue: QueuedRow[] = [];
  readonly #failing = new Set<string>();
  #running = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;
  readonly #idle: (() => void)[] = [];

  constructor(o: DeliveryOptions) {
    this.#o = o;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    // Attempts cut short by a crash are closed as such; their rows are still pending and are sent
    // again with the same notification id.
    const now = this.#o.clock.now();
    const rows = await this.#o.db.selectFrom('alerting_notifications').selectAll().where('status', '=', 'pending').orderBy('id').execute();
    const cut = rows.filter((r) => r.in_flight_since !== null && r.in_flight_since !== undefined);
    if (cut.length > 0) {
      await this.#o.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('alerting_attempts')
          .values(cut.map((r) => ({ notification_id: r.notification_id, started_at: Number(r.in_flight_since), finished_at: now, outcome: 'interrupted', reason: 'vigil stopped during the attempt' })))
          .execute();
        await trx.updateTable('alerting_notifications').set({ in_flight_since: null }).where('notification_id', 'in', cut.map((r) => r.notification_id)).execute();
      });
    }
    this.#queue = rows.map((row) => ({ row, inFlight: false, done: false }));
    this.kick();
  }

  async stop(deadlineMs: number): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    const until = Date.now() + deadlineMs;
    while (this.#running > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  }

  /** Rows committed to the store by the router; sent from here on. */
  enqueued(rows: NotificationRow[]): void {
    for (const row of rows) this.#queue.push({ row, inFlight: false, done: false });
    this.kick();
  }

  /**
   * Rows of these (group, integration) pairs that wait for a retry; a newer state of the group
   * makes them obsolete (the router marks them superseded in the store in the same transaction).
   */
  retryingFor(rows: NotificationRow[]): string[] {
    const pairs = new Set(rows.filter((r) => r.kind === 'notify').map(pairOf));
    return this.#queue.filter((q) => !q.done && !q.inFlight && q.row.kind === 'notify' && q.row.attempts > 0 && pairs.has(pairOf(q.row))).map((q) => q.row.notification_id);
  }

  /** Drops superseded rows from the queue (after the store says so). */
  superseded(ids: string[]): void {
    const set = new Set(ids);
    for (const q of this.#queue) if (set.has(q.row.notification_id)) q.done = true;
  }

  /** Resolves when no notification is pending or in flight (tests, benchmarks). */
  async idle(): Promise<void> {
    if (this.#running === 0 && !this.#queue.some((q) => !q.done)) return;
    await new Promise<void>((r) => this.#idle.push(r));
  }

  /** Sends whatever is due, up to the concurrency limit, one at a time per group and integration. */
  kick(): void {
    if (this.#stopped) return;
    const limit = this.#o.concurrency ?? 16;
    const now = this.#o.clock.now();
    const seen = new Set<string>();
    let nextAt = Infinity;
    let live = 0;
    const picked: QueuedRow[] = [];
    for (const q of this.#queue) {
      if (q.done) continue;
      live++;
      const pair = pairOf(q.row);
      // Only the oldest row of a pair may go: a resolve never overtakes its trigger.
      if (seen.has(pair)) continue;
      seen.add(pair);
      if (q.inFlight) continue;
      if (q.row.next_attempt_at > now) {
        nextAt = Math.min(nextAt, q.row.next_attempt_at);
        continue;
      }
      if (this.#running + picked.length >= limit) break;
      q.inFlight = true;
      picked.push(q);
    }
    if (picked.length > 0) this.#launch(picked, now);
    if (live < this.#queue.length / 2) this.#queue = this.#queue.filter((q) => !q.done);
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (nextAt !== Infinity) {
      this.#timer = setTimeout(() => this.kick(), Math.max(0, nextAt - now));
      this.#timer.unref?.();
    }
    if (this.#running === 0 && live === 0) this.#idle.splice(0).forEach((r) => r());
  }

  /** Marks a batch in flight with one statement, then sends each. */
  #launch(batch: QueuedRow[], now: number): void {
    this.#running += batch.length;
    this.#o.db
      .updateTable('alerting_notifications')
      .set({ in_flight_since: now })
      .where('notification_id', 'in', batch.map((q) => q.row.notification_id))
      .execute()
      .then(
        () => batch.forEach((q) => this.#send(q)),
        (err: unknown) => {
          this.#o.log.error({ err: errorMessage(err) }, 'cannot mark notifications in flight; retrying');
          for (const q of batch) {
            q.inFlight = false;
            q.row = { ...q.row, next_attempt_at: now + this.#o.retryInitialMs };
          }
          this.#running -= batch.length;
          this.kick();
        },
      );
  }

  #send(q: QueuedRow): void {
    void this.#attempt(q.row)
      .then((finished) => {
        if (finished) q.done = true;
      })
      .catch((err: unknown) => {
        // The store is unreachable: keep the row, try again later.
        q.row = { ...q.row, next_attempt_at: this.#o.clock.now() + this.#o.retryMaxMs };
        this.#o.log.error({ err: errorMessage(err), notification: q.row.notification_id }, 'recording a notification attempt failed');
      })
      .finally(() => {
        q.inFlight = false;
        this.#running--;
        this.kick();
      });
  }

  /** One attempt; returns true when the row is finished (sent or given up). */
  async #attempt(row: NotificationRow): Promise<boolean> {
    const started = this.#o.clock.now();
    const integ = this.#o.integration(row.receiver, row.integration);
    let result: NotifyResult;
    if (!integ) result = { ok: false, retryable: false, reason: `receiver ${row.receiver} has no integration ${row.integration} any more` };
    else {
      try {
        result = await integ.notifier.notify(JSON.parse(row.payload) as NotificationMessage);
      } catch (err) {
        result = { ok: false, retryable: true, reason: `notifier threw: ${errorMessage(err)}` };
      }
    }
    const now = this.#o.clock.now();
    const attempts = row.attempts + 1;
    const giveUp = !result.ok && (!result.retryable || attempts >= this.#o.maxAttempts);
    const backoff = Math.min(this.#o.retryInitialMs * 2 ** (attempts - 1), this.#o.retryMaxMs);
    await this.#record({ row, result, started, now, attempts, giveUp, backoff });
    this.#o.onOutcome?.(row, result, now - started);
    if (!result.ok) this.#o.log.warn({ receiver: row.receiver, integration: row.integration, attempts, reason: result.reason }, 'notification failed');
    row.attempts = attempts;
    row.next_attempt_at = now + backoff;
    return result.ok || giveUp;
  }

  #pendingRecords: { o: Outcome; done: (err?: unknown) => void }[] = [];

  /**
   * Records an outcome. Outcomes finishing in the same turn of the event loop are written in one
   * transaction (group commit): one insert for their attempts, one update for all that succeeded.
   */
  #record(o: Outcome): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pendingRecords.push({ o, done: (err) => (err ? reject(err) : resolve()) });
      if (this.#pendingRecords.length === 1) setImmediate(() => this.#flushRecords());
    });
  }

  #flushRecords(): void {
    const batch = this.#pendingRecords.splice(0);
    if (batch.length === 0) return;
    const outcome = (r: NotifyResult) => (r.ok ? 'ok' : r.retryable ? 'retryable_error' : 'error');
    this.#o.db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('alerting_attempts')
          .values(batch.map(({ o }) => ({ notification_id: o.row.notification_id, started_at: o.started, finished_at: o.now, outcome: outcome(o.result), reason: o.result.ok ? null : o.result.reason })))
          .execute();
        const ok = batch.filter(({ o }) => o.result.ok);
        if (ok.length > 0) {
          const now = ok[ok.length - 1]!.o.now;
          await trx
            .updateTable('alerting_notifications')
            .set({ status: 'sent', attempts: sql<number>`attempts + 1`, sent_at: now, last_error: null, in_flight_since: null })
            .where('notification_id', 'in', ok.map(({ o }) => o.row.notification_id))
            .execute();
        }
        for (const { o } of batch) {
          if (!o.result.ok) {
            await trx
              .updateTable('alerting_notifications')
              .set({
                status: o.giveUp ? 'failed' : 'pending',
                attempts: o.attempts,
                next_attempt_at: o.giveUp ? o.row.next_attempt_at : o.now + o.backoff,
                last_error: o.result.reason,
                in_flight_since: null,
              })
              .where('notification_id', '=', o.row.notification_id)
              .execute();
          }
          await this.#trackFailing(trx as unknown as AlertingDb, o.row, o.result, o.attempts, o.now);
        }
      })
      .then(
        () => batch.forEach((b) => b.done()),
        (err: unknown) => batch.forEach((b) => b.done(err)),
      );
  }

  /** Raises (once) and clears the "notifications failing" alert to the fallback receiver. */
  async #trackFailing(db: AlertingDb, row: NotificationRow, result: NotifyResult, attempts: number, now: number): Promise<void> {
    const who = `${row.receiver}/${row.integration}`;
    if (row.kind === 'failing') return;
    const failing = !result.ok && attempts >= this.#o.failingAfterAttempts;
    if (failing === this.#failing.has(who) || (result.ok && !this.#failing.has(who))) return;
    if (failing) this.#failing.add(who);
    else this.#failing.delete(who);
    const labels = { alertname: 'VigilNotificationsFailing', receiver: row.receiver, integration: row.integration };
    const groupKey = `{}/vigil:${JSON.stringify(labels)}`;
    const status = failing ? 'firing' : 'resolved';
    const alert = {
      status,
      labels,
      annotations: { summary: `notifications to ${who} are failing: ${result.ok ? 'recovered' : result.reason}` },
      startsAt: new Date(now).toISOString(),
      endsAt: failing ? '0001-01-01T00:00:00Z' : new Date(now).toISOString(),
      generatorURL: '',
      fingerprint: hashKey(groupKey).slice(0, 16),
    } as const;
    const rows: NotificationRow[] = this.#o.fallback
      .filter((f) => f.receiver !== row.receiver)
      .map((f) => {
        const id = randomUUID();
        const msg: NotificationMessage = {
          id,
          kind: 'failing',
          receiver: f.receiver,
          groupKey,
          groupId: hashKey(groupKey).slice(0, 16),
          status,
          groupLabels: labels,
          commonLabels: labels,
          commonAnnotations: alert.annotations,
          alerts: [alert],
          externalURL: '',
        };
        return newRow(msg, f.key, now);
      });
    if (rows.length > 0) {
      await db.insertInto('alerting_notifications').values(rows).execute();
      for (const row of rows) this.#queue.push({ row, inFlight: false, done: false });
    }
  }
}

interface Outcome {
  row: NotificationRow;
  result: NotifyResult;
  started: number;
  now: number;
  attempts: number;
  giveUp: boolean;
  backoff: number;
}

interface QueuedRow {
  row: NotificationRow;
  inFlight: boolean;
  done: boolean;
}

const pairOf = (r: NotificationRow) => `${r.group_key}\u0000${r.receiver}\u0000${r.integration}`;

/** A queue row for a message to one integration. */
export function newRow(msg: NotificationMessage, integration: string, now: number): NotificationRow {
  return {
    notification_id: msg.id,
    kind: msg.kind,
    group_key: msg.groupKey,
    group_id: msg.groupId,
    receiver: msg.receiver,
    integration,
    dedup_key: hashKey(msg.groupKey),
    payload: JSON.stringify(msg),
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
    sent_at: null,
    last_error: null,
  };
}
