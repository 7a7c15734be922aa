import { createHash } from 'node:crypto';
import {
  FiringAlerts,
  type Alert,
  type AlertSink,
  type Clock,
  type Finding,
  type FindingSink,
  type FiringAlertsStore,
  type Logger,
} from '../core/index.js';

/**
 * How long a finding's alert fires: one analysis cadence (6 h at the minimum of 4 runs a day,
 * S10), long enough for escalation to run its course; it resolves by itself after that, as a
 * finding is an event, not a state. The finding itself stays in the store for review.
 */
export const FINDING_ALERT_HOLD_MS = 6 * 3_600_000;

/**
 * The alert for one finding (scheduled analysis run or scan). The labels are stable for the
 * same finding: a re-read that finds it again (same detector and deduplication key) gives the
 * same label set, so the router sees the same alert and pages once. The `finding` label is a
 * short hash of detector and key, so distinct findings stay distinct alerts.
 */
export function findingAlert(f: Finding): Alert {
  const labels: Record<string, string> = {
    alertname: 'VigilFinding',
    severity: f.severity,
    detector: f.detector,
    finding: createHash('sha256').update(`${f.detector}\u0000${f.key}`).digest('hex').slice(0, 16),
  };
  if (f.customerId) labels.customer = f.customerId;
  const annotations: Record<string, string> = {
    summary: f.title,
    finding_id: f.id,
    run_id: f.runId,
    first_seen: f.firstSeen,
    last_seen: f.lastSeen,
    count: String(f.count),
  };
  if (f.src) annotations.src = f.src;
  if (f.dst) annotations.dst = f.dst;
  const ev = f.evidence[0];
  if (ev)
    annotations.evidence = `${ev.file}${ev.line !== undefined ? `:${ev.line}` : ev.offset !== undefined ? `@${ev.offset}` : ''}`;
  return { labels, annotations, startsAt: f.firstSeen };
}

/**
 * The findings sink of `vigil start`: every new or updated finding of a scheduled run or scan
 * becomes an alert at the router (a false positive does not), held for
 * FINDING_ALERT_HOLD_MS and kept alive meanwhile. `firing` is the component to start and stop.
 */
export function findingAlertSink(o: {
  alerts: AlertSink;
  clock: Clock;
  log: Logger;
  /** Keeps held finding alerts over a restart. */
  store?: FiringAlertsStore;
}): {
  sink: FindingSink;
  firing: FiringAlerts;
} {
  const firing = new FiringAlerts({
    sink: o.alerts,
    clock: o.clock,
    log: o.log,
    name: 'finding-alerts',
    ...(o.store ? { store: o.store } : {}),
  });
  return {
    firing,
    sink: async (findings) => {
      const alerts = findings.filter((f) => f.status !== 'false_positive').map(findingAlert);
      if (alerts.length === 0) return;
      await firing.fire(alerts, { scope: 'findings', untilMs: o.clock.now() + FINDING_ALERT_HOLD_MS });
    },
  };
}
