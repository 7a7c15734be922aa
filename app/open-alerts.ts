import type { Alert } from '../core/index.js';
import { fingerprint } from '../alerting/index.js';

/**
 * The alerts open now, as seen passing through the alert sink from every domain: an alert is
 * open from its first arrival until one arrives with the same labels and an `endsAt` in the past.
 * Used by the overview page, so it shows SLA, analyzer and scanner alerts alike.
 */
export class OpenAlerts {
  readonly #open = new Map<string, Alert>();

  constructor(private readonly now: () => number) {}

  /** Takes in alerts as they go to the router. */
  observe(alerts: readonly Alert[]): void {
    for (const a of alerts) {
      const key = fingerprint(a.labels);
      const ended = a.endsAt !== undefined && Date.parse(a.endsAt) <= this.now();
      if (ended) this.#open.delete(key);
      else this.#open.set(key, a);
    }
  }

  /** The open alerts, oldest first; an alert whose announced end has passed is dropped. */
  list(): Alert[] {
    const now = this.now();
    for (const [k, a] of this.#open)
      if (a.endsAt !== undefined && Date.parse(a.endsAt) <= now) this.#open.delete(k);
    return [...this.#open.values()].sort((x, y) => x.startsAt.localeCompare(y.startsAt));
  }
}
