import {
  FiringAlerts,
  type Alert,
  type Clock,
  type Component,
  type Logger,
  type ProbeResult,
} from '../core/index.js';
import type { ResolvedProbe } from './config.js';

const ALERTNAME: Record<string, string> = {
  tls: 'VigilTlsCheckFailed',
  backup: 'VigilBackupCheckFailed',
};
const WHAT: Record<string, string> = {
  tls: 'TLS check (certificate, chain, hostname, protocol)',
  backup: 'backup check (age, daily versions, sizes)',
};

/** What a probe checks, for the alert text: the host or the backup source. */
function subject(p: ResolvedProbe): string {
  const c = p.config;
  if (c.type === 'tls') return `${c.host}:${c.port}`;
  if (c.type === 'backup') return c.path ?? c.manifest_url ?? '';
  if (c.type === 'http') return c.url;
  if (c.type === 'tcp') return `${c.host}:${c.port}`;
  if (c.type === 'dns') return `${c.name} @${c.server}`;
  return p.targetId;
}

/**
 * The alert a failing sample of an alerting probe raises (S4 for tls, S6 for backup; any probe
 * with `alert: true`). The labels name the service, customer, probe and location and never the
 * reason's text, which changes from sample to sample ("expires in 20.3 days") and would make each
 * sample a new alert and a new page; the reason is in the annotations.
 */
export function probeAlertOf(p: ResolvedProbe, r: ProbeResult): Alert | undefined {
  if (r.ok) return undefined;
  const reason = r.error ? `${r.error.kind}: ${r.error.message}` : 'failed';
  return {
    labels: {
      alertname: ALERTNAME[p.config.type] ?? 'VigilProbeFailed',
      service: p.serviceId,
      customer: p.customer,
      probe: p.probeId,
      location: r.location,
      severity: 'page',
    },
    annotations: {
      summary: `${p.serviceId}: ${WHAT[p.config.type] ?? `${p.config.type} probe`} failed for ${subject(p)}`,
      description: reason,
      reason,
      target: p.targetId,
    },
    startsAt: r.startedAt,
  };
}

export interface ProbeAlertsOptions {
  probes: readonly ResolvedProbe[];
  sink: (alerts: Alert[]) => Promise<void>;
  clock: Clock;
  log: Logger;
  /** How often firing alerts are re-sent (default 60 s). */
  resendMs?: number;
  /**
   * The latest stored result of a target at a location (at start: a probe that runs hourly must
   * not let its alert lapse for an hour after a restart).
   */
  latest?: (targetIds: string[]) => Promise<ProbeResult[]>;
}

/**
 * Turns samples of alerting probes into alerts that fire while the latest sample at a location
 * fails and resolve with the first good one, kept alive at the router between samples (core
 * FiringAlerts), however long the probe interval.
 */
export class ProbeAlerts implements Component {
  readonly name = 'probe-alerts';
  readonly #byTarget: Map<string, ResolvedProbe>;
  readonly #firing: FiringAlerts;
  readonly #o: ProbeAlertsOptions;

  constructor(o: ProbeAlertsOptions) {
    this.#o = o;
    this.#byTarget = new Map(o.probes.filter((p) => p.alert).map((p) => [p.targetId, p]));
    this.#firing = new FiringAlerts({
      sink: o.sink,
      clock: o.clock,
      resendMs: o.resendMs,
      log: o.log,
      name: 'probe-alerts',
    });
  }

  /** Takes in new samples (from this instance or an agent); samples of other probes are ignored. */
  async observe(results: readonly ProbeResult[]): Promise<void> {
    // The newest sample per target and location decides.
    const newest = new Map<string, ProbeResult>();
    for (const r of results) {
      if (!this.#byTarget.has(r.targetId)) continue;
      const key = `${r.targetId}\u0000${r.location}`;
      const old = newest.get(key);
      if (!old || Date.parse(old.startedAt) <= Date.parse(r.startedAt)) newest.set(key, r);
    }
    for (const [scope, r] of newest) {
      const alert = probeAlertOf(this.#byTarget.get(r.targetId)!, r);
      await this.#firing.replace(scope, alert ? [alert] : []);
    }
  }

  async start(): Promise<void> {
    if (this.#o.latest && this.#byTarget.size > 0) {
      await this.observe(await this.#o.latest([...this.#byTarget.keys()]));
    }
    await this.#firing.start();
  }

  async stop(): Promise<void> {
    await this.#firing.stop();
  }

  /** The probe alerts firing now. */
  firing(): Alert[] {
    return this.#firing.firing();
  }
}
