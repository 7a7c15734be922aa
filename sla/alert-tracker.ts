import type { Alert } from '../core/index.js';
import type { DesiredAlert } from './alert-rules.js';

/** Alertmanager identifies an alert by its label set; this key is the sorted labels. */
export function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
}

/**
 * Remembers which alerts are firing and turns a new desired set into the Alerts to send: new
 * ones (startsAt), resolved ones (endsAt set). A still-firing alert keeps its first startsAt.
 */
export class AlertTracker {
  private readonly open = new Map<string, Alert>();

  update(desired: readonly DesiredAlert[], nowMs: number, endOf?: (a: Alert) => number | undefined): Alert[] {
    const out: Alert[] = [];
    const seen = new Set<string>();
    for (const d of desired) {
      const key = labelKey(d.labels);
      seen.add(key);
      if (this.open.has(key)) continue;
      const alert: Alert = {
        labels: d.labels,
        annotations: d.annotations,
        startsAt: new Date(d.startsAt).toISOString(),
      };
      this.open.set(key, alert);
      out.push(alert);
    }
    for (const [key, alert] of this.open) {
      if (seen.has(key)) continue;
      this.open.delete(key);
      const end = endOf?.(alert) ?? nowMs;
      out.push({ ...alert, endsAt: new Date(Math.max(end, Date.parse(alert.startsAt))).toISOString() });
    }
    return out;
  }

  /** The alerts firing now (for the overview page). */
  firing(): Alert[] {
    return [...this.open.values()];
  }
}
