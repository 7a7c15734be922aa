import { buildTimeline, type SlaSample } from './timeline.js';
import { intersectMs, subtractMs, totalMsOf, type MsRange } from './ranges.js';
import type { SlaService } from './services.js';

/** An alert that should be firing now; the tracker turns changes into core Alerts. */
export interface DesiredAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
}

/** Multi-window, multi-burn-rate alerts of the Google SRE workbook (ch. 5, "Alerting on SLOs"). */
export const BURN_RATE_RULES = [
  { long: 3_600_000, short: 300_000, factor: 14.4, severity: 'page', window: '1h/5m' },
  { long: 6 * 3_600_000, short: 1_800_000, factor: 6, severity: 'page', window: '6h/30m' },
  { long: 3 * 86_400_000, short: 6 * 3_600_000, factor: 1, severity: 'ticket', window: '3d/6h' },
] as const;

export const LONGEST_BURN_WINDOW_MS = 3 * 86_400_000;

function baseLabels(
  svc: SlaService,
  alertname: string,
  severity: string,
  mutedBy: string | undefined,
): Record<string, string> {
  const l: Record<string, string> = { alertname, service: svc.id, customer: svc.customer, severity };
  // Maintenance and announced downtime mute pages but the alert is still recorded (S7): the
  // router mutes on this label (e.g. a route with `muted_by=~".+"` to a null receiver).
  if (mutedBy !== undefined) l.muted_by = mutedBy;
  return l;
}

function timelineOf(svc: SlaService, samples: readonly SlaSample[]) {
  const opts: { stalenessMs: number; quorum?: number } = {
    stalenessMs: svc.policy.staleness ?? 2 * svc.probeIntervalMs,
  };
  if (svc.policy.quorum !== undefined) opts.quorum = svc.policy.quorum;
  return buildTimeline(samples, opts);
}

/**
 * Outage: the quorum says down at `nowMs` (DESIGN.md §5). The alert starts where the down range
 * containing now started, so its startsAt is what the probes saw, not when vigil noticed.
 */
export function outageAlert(
  svc: SlaService,
  samples: readonly SlaSample[],
  nowMs: number,
  mutedBy?: string,
): DesiredAlert | undefined {
  const tl = timelineOf(svc, samples);
  const cur = tl.down.find(([f, t]) => f <= nowMs && nowMs < t);
  if (!cur) return undefined;
  return {
    labels: baseLabels(svc, 'SlaServiceDown', 'page', mutedBy),
    annotations: {
      summary: `${svc.id} is down (quorum of probe locations)`,
      description: `Probes of ${svc.targetIds.join(', ')} say down since ${new Date(cur[0]).toISOString()}.`,
    },
    startsAt: cur[0],
  };
}

/** When the last outage ended: the end of the latest down range at or before now. */
export function lastDownEnd(
  svc: SlaService,
  samples: readonly SlaSample[],
  nowMs: number,
): number | undefined {
  const tl = timelineOf(svc, samples);
  let end: number | undefined;
  for (const [, t] of tl.down) if (t <= nowMs) end = t;
  return end;
}

/** Sustained latency: the rolling average of successful, unflagged samples over the span is over target. */
export function latencyAlert(
  svc: SlaService,
  samples: readonly SlaSample[],
  nowMs: number,
  mutedBy?: string,
): DesiredAlert | undefined {
  const from = nowMs - svc.policy.latency_alert_span;
  let sum = 0;
  let n = 0;
  let first = Infinity;
  for (const s of samples) {
    if (s.ts < from || s.ts >= nowMs || !s.ok || s.loopDelayFlagged) continue;
    sum += s.totalMs;
    n++;
    first = Math.min(first, s.ts);
  }
  // A handful of samples is not "sustained".
  if (n < 3 || sum / n <= svc.policy.latency.average_ms) return undefined;
  return {
    labels: baseLabels(svc, 'SlaLatencyHigh', svc.policy.latency_alert_severity, mutedBy),
    annotations: {
      summary: `${svc.id} average response ${(sum / n).toFixed(1)} ms over ${svc.policy.latency.average_ms} ms`,
      description: `Rolling average over ${svc.policy.latency_alert_span / 1000} s of ${n} samples.`,
    },
    startsAt: first,
  };
}

function burn(
  tl: { up: MsRange[]; down: MsRange[] },
  from: number,
  to: number,
  excluded: readonly MsRange[],
  objective: number,
): number {
  const eligible = subtractMs([[from, to]], excluded);
  const down = totalMsOf(intersectMs(tl.down, eligible));
  const up = totalMsOf(intersectMs(tl.up, eligible));
  if (up + down === 0) return 0;
  return down / (up + down) / (1 - objective);
}

/** Burn-rate alerts: both windows of a rule over its factor. `excluded` = maintenance and planned downtime. */
export function burnRateAlerts(
  svc: SlaService,
  samples: readonly SlaSample[],
  nowMs: number,
  excluded: readonly MsRange[],
  mutedBy?: string,
): DesiredAlert[] {
  const tl = timelineOf(svc, samples);
  const out: DesiredAlert[] = [];
  for (const r of BURN_RATE_RULES) {
    const bl = burn(tl, nowMs - r.long, nowMs, excluded, svc.policy.availability);
    const bs = burn(tl, nowMs - r.short, nowMs, excluded, svc.policy.availability);
    if (bl < r.factor || bs < r.factor) continue;
    const labels = baseLabels(svc, 'SlaErrorBudgetBurn', r.severity, mutedBy);
    labels.window = r.window;
    out.push({
      labels,
      annotations: {
        summary: `${svc.id} burns its error budget at ${bl.toFixed(1)}× over ${r.window.split('/')[0]} (${bs.toFixed(1)}× over ${r.window.split('/')[1]})`,
        description: `Threshold ${r.factor}×; objective ${(svc.policy.availability * 100).toFixed(3)} %.`,
      },
      startsAt: nowMs,
    });
  }
  return out;
}
