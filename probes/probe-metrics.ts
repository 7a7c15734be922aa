import { Counter, Gauge, type Registry } from 'prom-client';
import type { ProbeResult } from '../core/index.js';

type G = Gauge<string>;

function gauge(registry: Registry, name: string, help: string, labelNames: string[]): G {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as G;
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

function counter(registry: Registry, name: string, help: string, labelNames: string[] = []): Counter<string> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<string>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

/**
 * Prometheus metrics of the probes, with blackbox_exporter's names so existing dashboards and
 * alert rules work; labelled by target and location. Registered on the Registry passed in.
 */
export class ProbeMetrics {
  readonly #success: G;
  readonly #duration: G;
  readonly #phase: G;
  readonly #status: G;
  readonly #certExpiry: G;
  readonly #loopDelay: G;
  readonly #checks: G;
  readonly #requests: G;
  readonly #requestsFailed: G;
  readonly #scriptDuration: G;
  readonly missed: Counter<string>;
  readonly late: Counter<string>;
  readonly flagged: Counter<string>;

  constructor(registry: Registry) {
    const tl = ['target', 'location'];
    this.#success = gauge(registry, 'probe_success', 'Whether the probe succeeded (1) or not (0)', tl);
    this.#duration = gauge(registry, 'probe_duration_seconds', 'Duration of the probe in seconds', tl);
    this.#phase = gauge(
      registry,
      'probe_http_duration_seconds',
      'Duration of the HTTP request by phase, summed over redirects',
      [...tl, 'phase'],
    );
    this.#status = gauge(registry, 'probe_http_status_code', 'Response HTTP status code', tl);
    this.#certExpiry = gauge(
      registry,
      'probe_ssl_earliest_cert_expiry',
      'Earliest certificate expiry in the chain, unix seconds',
      tl,
    );
    this.#loopDelay = gauge(
      registry,
      'vigil_probe_loop_delay_seconds',
      'Event-loop delay of the prober around the last probe',
      tl,
    );
    // Script probes, named as Grafana Synthetic Monitoring's k6 scripted checks (gauges of the last
    // run there too), so its dashboards' queries work.
    this.#checks = gauge(registry, 'probe_checks_total', 'Checks of the last script run, by result', [
      ...tl,
      'result',
    ]);
    this.#requests = gauge(registry, 'probe_http_requests_total', 'HTTP requests of the last script run', tl);
    this.#requestsFailed = gauge(
      registry,
      'probe_http_requests_failed_total',
      'HTTP requests of the last script run answered outside 200-399 or not at all',
      tl,
    );
    this.#scriptDuration = gauge(
      registry,
      'probe_script_duration_seconds',
      'Duration of the last script run, sleeps included',
      tl,
    );
    this.missed = counter(
      registry,
      'vigil_probe_missed_total',
      'Probe runs skipped because the previous run of the target had not finished',
    );
    this.late = counter(
      registry,
      'vigil_probe_late_total',
      'Probe runs started later than the late threshold after their due time',
    );
    this.flagged = counter(
      registry,
      'vigil_probe_loop_flagged_total',
      'Samples flagged because the prober itself was late',
    );
  }

  /** Updates the gauges from one result. */
  observe(r: ProbeResult): void {
    const l = { target: r.targetId, location: r.location };
    this.#success.set(l, r.ok ? 1 : 0);
    this.#duration.set(l, r.totalMs / 1000);
    for (const [phase, ms] of Object.entries(r.phases)) this.#phase.set({ ...l, phase }, ms / 1000);
    if (r.status !== undefined) this.#status.set(l, r.status);
    const expiry = r.tls?.earliestValidTo ?? r.tls?.validTo;
    if (expiry) this.#certExpiry.set(l, Date.parse(expiry) / 1000);
    this.#loopDelay.set(l, r.loopDelayMs / 1000);
    if (r.loopDelayFlagged) this.flagged.inc();
    if (r.script) {
      this.#checks.set({ ...l, result: 'pass' }, r.script.checksPassed);
      this.#checks.set({ ...l, result: 'fail' }, r.script.checksFailed);
      this.#requests.set(l, r.script.requests);
      this.#requestsFailed.set(l, r.script.requestsFailed);
      this.#scriptDuration.set(l, r.script.durationMs / 1000);
    }
  }
}
