import type { Logger } from './log.js';
import type { AlertSink, Clock, Component } from './runtime.js';
import type { Alert } from './types.js';
import { errorMessage } from './errors.js';

/** Prometheus' default `--rules.alert.resend-delay`. */
export const DEFAULT_RESEND_MS = 60_000;
/**
 * A firing alert is sent with `endsAt` this many resend intervals ahead, as Prometheus does
 * (rules/alerting.go: `ValidUntil = ts + 4 * max(resendDelay, interval)`): a receiver that stops
 * hearing about it lets it lapse after a few missed re-sends, never after one.
 */
export const ENDS_AFTER_RESENDS = 4;

/** The identity of an alert, as Alertmanager has it: its label set (sorted, so order does not matter). */
export function labelKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
}

/** One firing alert as persisted: its identity, scope, the alert as first sent, and its hold. */
export interface StoredFiringAlert {
  key: string;
  scope: string;
  alert: Alert;
  untilMs: number | undefined;
}

/** Where a source's firing set survives a restart (core/store `firingAlertsStore`). */
export interface FiringAlertsStore {
  load(): Promise<StoredFiringAlert[]>;
  save(put: readonly StoredFiringAlert[], remove: readonly string[]): Promise<void>;
}

export interface FiringAlertsOptions {
  sink: AlertSink;
  clock: Clock;
  /** How often a firing alert is sent again (default 60 s). */
  resendMs?: number;
  log?: Logger;
  /** Component name (for logs and `vigil start`). */
  name?: string;
  /**
   * Keeps the firing set in the store, for sources that look again only after hours (a scan
   * run, a finding's hold): `start()` restores it and re-sends at once, so a restart neither
   * lets those alerts lapse at their `endsAt` nor forgets to resolve them.
   */
  store?: FiringAlertsStore;
}

interface Entry {
  alert: Alert;
  scope: string;
  /** The condition is known to end here (an event alert held for a while); undefined = until cleared. */
  untilMs: number | undefined;
  sentAt: number;
}

/**
 * The alerts one source has firing, kept alive the way Prometheus keeps its alerts alive: every
 * firing alert is sent with `endsAt` a few resend intervals ahead and sent again every interval
 * while it fires, and it is resolved explicitly (`endsAt` = when it cleared) as soon as the
 * source says so. The router therefore never resolves it by `resolve_timeout` while the
 * condition holds, a re-send is the same alert (same labels) and does not page again, and after
 * a restart the source's first evaluation re-sends it long before the last `endsAt` passes.
 *
 * Sources use it in one of two ways: `replace(scope, desired)` with the full set of what should
 * fire now (state-based checks: SLA, dead-man, probes), or `fire`/`resolve` for events.
 */
export class FiringAlerts implements Component {
  readonly name: string;
  readonly resendMs: number;
  readonly #o: FiringAlertsOptions;
  readonly #open = new Map<string, Entry>();
  #timer: NodeJS.Timeout | undefined;
  /** Store writes, in order; each batch of changes after the one before. */
  #saving: Promise<void> = Promise.resolve();
  readonly #put = new Map<string, StoredFiringAlert>();
  readonly #remove = new Set<string>();

  constructor(o: FiringAlertsOptions) {
    this.#o = o;
    this.name = o.name ?? 'firing-alerts';
    this.resendMs = o.resendMs ?? DEFAULT_RESEND_MS;
  }

  /**
   * Makes `desired` the alerts of `scope` that fire now: new ones are sent, ones no longer
   * desired are resolved at `endOf(alert)` (default now), and firing ones due a re-send are sent
   * again. Returns what was sent.
   */
  replace(
    scope: string,
    desired: readonly Alert[],
    now = this.#o.clock.now(),
    endOf?: (a: Alert) => number | undefined,
  ): Promise<Alert[]> {
    const out: Alert[] = [];
    const seen = new Set<string>();
    for (const d of desired) {
      const key = labelKey(d.labels);
      seen.add(key);
      this.#upsert(key, d, scope, undefined, now, out);
    }
    for (const [key, e] of this.#open) {
      if (e.scope !== scope || seen.has(key)) continue;
      out.push(this.#resolved(key, e, endOf?.(e.alert) ?? now));
    }
    this.#due(now, out);
    return this.#send(out);
  }

  /**
   * Fires alerts (or refreshes ones already firing: new annotations, held longer). With
   * `untilMs` the alert resolves by itself at that time unless fired again (an event held for a
   * while); without, it fires until `resolve` or `replace` clears it.
   */
  fire(alerts: readonly Alert[], opts: { scope?: string; untilMs?: number } = {}): Promise<Alert[]> {
    const now = this.#o.clock.now();
    const out: Alert[] = [];
    for (const a of alerts) this.#upsert(labelKey(a.labels), a, opts.scope ?? '', opts.untilMs, now, out);
    return this.#send(out);
  }

  /** Resolves the alerts with these label sets, if firing, at `atMs` (default now). */
  resolve(labelSets: readonly Record<string, string>[], atMs?: number): Promise<Alert[]> {
    const now = this.#o.clock.now();
    const out: Alert[] = [];
    for (const l of labelSets) {
      const key = labelKey(l);
      const e = this.#open.get(key);
      if (e) out.push(this.#resolved(key, e, atMs ?? now));
    }
    return this.#send(out);
  }

  /** Re-sends what is due and resolves held events whose time is up. */
  tick(now = this.#o.clock.now()): Promise<Alert[]> {
    const out: Alert[] = [];
    for (const [key, e] of this.#open)
      if (e.untilMs !== undefined && e.untilMs <= now) out.push(this.#resolved(key, e, e.untilMs));
    this.#due(now, out);
    return this.#send(out);
  }

  /** The alerts firing now, as first sent (startsAt kept). */
  firing(scope?: string): Alert[] {
    return [...this.#open.values()]
      .filter((e) => scope === undefined || e.scope === scope)
      .map((e) => e.alert);
  }

  async start(): Promise<void> {
    if (this.#o.store) {
      for (const s of await this.#o.store.load()) {
        // sentAt 0: due at once. An alert fired since construction is newer and kept.
        if (!this.#open.has(s.key))
          this.#open.set(s.key, { alert: s.alert, scope: s.scope, untilMs: s.untilMs, sentAt: 0 });
      }
      await this.tick();
    }
    this.#timer = setInterval(() => void this.tick(), this.resendMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#saving;
  }

  #upsert(
    key: string,
    a: Alert,
    scope: string,
    untilMs: number | undefined,
    now: number,
    out: Alert[],
  ): void {
    const old = this.#open.get(key);
    if (old) {
      // Still firing: keep the first startsAt (the receiver's view), take the newest annotations.
      const { endsAt: _ended, ...fresh } = a;
      old.alert = { ...fresh, startsAt: old.alert.startsAt };
      const until = untilMs === undefined ? undefined : Math.max(untilMs, old.untilMs ?? untilMs);
      if (until !== old.untilMs) {
        old.untilMs = until;
        this.#changed(key, old);
      }
      return;
    }
    const { endsAt: _ignored, ...alert } = a;
    const e: Entry = { alert, scope, untilMs, sentAt: now };
    this.#open.set(key, e);
    this.#changed(key, e);
    out.push(this.#firingCopy(e, now));
  }

  #due(now: number, out: Alert[]): void {
    for (const e of this.#open.values()) {
      if (now - e.sentAt < this.resendMs) continue;
      e.sentAt = now;
      out.push(this.#firingCopy(e, now));
    }
  }

  #firingCopy(e: Entry, now: number): Alert {
    let ends = now + ENDS_AFTER_RESENDS * this.resendMs;
    if (e.untilMs !== undefined) ends = Math.min(ends, e.untilMs);
    return { ...e.alert, endsAt: new Date(Math.max(ends, now + 1)).toISOString() };
  }

  #resolved(key: string, e: Entry, atMs: number): Alert {
    this.#open.delete(key);
    this.#changed(key, undefined);
    const end = Math.max(atMs, Date.parse(e.alert.startsAt));
    return { ...e.alert, endsAt: new Date(end).toISOString() };
  }

  #changed(key: string, e: Entry | undefined): void {
    if (!this.#o.store) return;
    if (e) {
      this.#remove.delete(key);
      this.#put.set(key, { key, scope: e.scope, alert: e.alert, untilMs: e.untilMs });
    } else {
      this.#put.delete(key);
      this.#remove.add(key);
    }
  }

  /** Writes the changes collected so far (after the writes before them). */
  #flush(): Promise<void> {
    const store = this.#o.store;
    if (!store || (this.#put.size === 0 && this.#remove.size === 0)) return this.#saving;
    const put = [...this.#put.values()];
    const remove = [...this.#remove];
    this.#put.clear();
    this.#remove.clear();
    this.#saving = this.#saving
      .then(() => store.save(put, remove))
      .catch((err: unknown) =>
        this.#o.log?.error({ err: errorMessage(err) }, 'firing alerts not saved; a restart may lose them'),
      );
    return this.#saving;
  }

  #send(out: Alert[]): Promise<Alert[]> {
    const saved = this.#flush();
    if (out.length === 0) return saved.then(() => out);
    // Called synchronously, so alerts reach the sink in the order they were decided; the store
    // write runs alongside (a crash between them re-sends or re-resolves, both harmless).
    return Promise.all([this.#o.sink(out), saved]).then(
      () => out,
      (err: unknown) => {
        this.#o.log?.error({ err: errorMessage(err), alerts: out.length }, 'alert sink failed');
        return out;
      },
    );
  }
}
