import { randomUUID } from 'node:crypto';
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
  readonly #inFlight = new Set<string>();
  readonly #failing = new Set<string>();
  #running = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;
  #pumping = false;
  #again = false;
  readonly #idle: (() => void)[] = [];

  constructor(o: DeliveryOptions) {
    this.#o = o;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    // Attempts cut short by a crash are closed as such; their rows are still pending.
    await this.#o.db
      .updateTable('alerting_attempts')
      .set({ outcome: 'interrupted', finished_at: this.#o.clock.now() })
      .where('outcome', '=', 'in_flight')
      .execute();
    this.kick();
  }

  async stop(deadlineMs: number): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    const until = Date.now() + deadlineMs;
    while (this.#running > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  }

  /** Resolves when no notification is pending or in flight (tests, benchmarks). */
  async idle(): Promise<void> {
    if (this.#running === 0 && !this.#pumping && !(await this.#hasPending())) return;
    await new Promise<void>((r) => this.#idle.push(r));
    return this.idle();
  }

  /** Look for due rows now. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    void this.#pump()
      .catch((err: unknown) => this.#o.log.error({ err: errorMessage(err) }, 'notification queue failed; retrying'))
      .finally(() => {
        this.#pumping = false;
        if (this.#again) {
          this.#again = false;
          this.kick();
        } else {
          this.#armTimer().catch((err: unknown) => this.#o.log.error({ err: errorMessage(err) }, 'notification queue timer failed'));
        }
      });
  }

  async #hasPending(): Promise<boolean> {
    const row = await this.#o.db
      .selectFrom('alerting_notifications')
      .select('id')
      .where('status', '=', 'pending')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async #armTimer(): Promise<void> {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    const next = await this.#o.db
      .selectFrom('alerting_notifications')
      .select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    const at = next?.at === null || next?.at === undefined ? undefined : Number(next.at);
    if (this.#running === 0 && at === undefined) this.#idle.splice(0).forEach((r) => r());
    if (at === undefined) return;
    this.#timer = setTimeout(() => this.kick(), Math.max(0, Math.min(at - this.#o.clock.now(), 60_000)));
    this.#timer.unref?.();
  }

  async #pump(): Promise<void> {
    const limit = this.#o.concurrency ?? 16;
    while (!this.#stopped && this.#running < limit) {
      const rows = await this.#o.db
        .selectFrom('alerting_notifications')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', this.#o.clock.now())
        .orderBy('id')
        .limit(limit * 4)
        .execute();
      const picked: NotificationRow[] = [];
      const pairs = new Set<string>();
      for (const r of rows) {
        const pair = `${r.group_key}\u0000${r.receiver}\u0000${r.integration}`;
        // One at a time per group and integration, in order: a resolve never overtakes its trigger.
        if (this.#inFlight.has(pair) || pairs.has(pair)) continue;
        pairs.add(pair);
        picked.push(r);
        if (picked.length + this.#running >= limit) break;
      }
      if (picked.length === 0) return;
      for (const r of picked) this.#send(r);
    }
  }

  #send(row: NotificationRow): void {
    const pair = `${row.group_key}\u0000${row.receiver}\u0000${row.integration}`;
    this.#inFlight.add(pair);
    this.#running++;
    void this.#attempt(row)
      .catch((err: unknown) => this.#o.log.error({ err: errorMessage(err), notification: row.notification_id }, 'recording a notification attempt failed'))
      .finally(() => {
        this.#inFlight.delete(pair);
        this.#running--;
        this.kick();
      });
  }

  async #attempt(row: NotificationRow): Promise<void> {
    const { db, clock } = this.#o;
    const started = clock.now();
    const integ = this.#o.integration(row.receiver, row.integration);
    const inserted = await db
      .insertInto('alerting_attempts')
      .values({ notification_id: row.notification_id, started_at: started, finished_at: null, outcome: 'in_flight', reason: null })
      .returning('id')
      .executeTakeFirst();
    let result: NotifyResult;
    if (!integ) result = { ok: false, retryable: false, reason: `receiver ${row.receiver} has no integration ${row.integration} any more` };
    else {
      try {
        result = await integ.notifier.notify(JSON.parse(row.payload) as NotificationMessage);
      } catch (err) {
        result = { ok: false, retryable: true, reason: `notifier threw: ${errorMessage(err)}` };
      }
    }
    const now = clock.now();
    const attempts = row.attempts + 1;
    const giveUp = !result.ok && (!result.retryable || attempts >= this.#o.maxAttempts);
    const backoff = Math.min(this.#o.retryInitialMs * 2 ** (attempts - 1), this.#o.retryMaxMs);
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('alerting_attempts')
        .set({ finished_at: now, outcome: result.ok ? 'ok' : result.retryable ? 'retryable_error' : 'error', reason: result.ok ? null : result.reason })
        .where('id', '=', Number(inserted?.id))
        .execute();
      await trx
        .updateTable('alerting_notifications')
        .set({
          status: result.ok ? 'sent' : giveUp ? 'failed' : 'pending',
          attempts,
          sent_at: result.ok ? now : null,
          next_attempt_at: result.ok || giveUp ? row.next_attempt_at : now + backoff,
          last_error: result.ok ? null : result.reason,
        })
        .where('notification_id', '=', row.notification_id)
        .execute();
      await this.#trackFailing(trx as unknown as AlertingDb, row, result, attempts, now);
    });
    this.#o.onOutcome?.(row, result, now - started);
    if (!result.ok) this.#o.log.warn({ receiver: row.receiver, integration: row.integration, attempts, reason: result.reason }, 'notification failed');
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
    if (rows.length > 0) await db.insertInto('alerting_notifications').values(rows).execute();
  }
}

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
