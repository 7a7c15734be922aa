import { Cron } from 'croner';
import { Counter, Gauge } from 'prom-client';
import {
  FiringAlerts,
  errorMessage,
  type Alert,
  type AlertSink,
  type Clock,
  type Component,
  type FindingSink,
  type FiringAlertsStore,
  type Logger,
  type Registry,
} from '../../core/index.js';
import {
  buildEngines,
  databaseDirOf,
  databaseFingerprint,
  systemDatabaseDirOf,
  type ScanEngines,
} from './engines.js';
import { signatureProblem } from './signature-age.js';
import { runScan, type ScanRunOutcome, type ScanRunStore } from './scan-run.js';
import { Quarantine, quarantineKeyFile } from './quarantine.js';
import { SignatureDb } from './signature-db.js';
import type { FileIndex } from './file-index.js';
import type { ScannersConfig } from './config.js';

export interface ScannerServiceDeps {
  config: ScannersConfig;
  /** Default time zone (the config's top-level `timezone`). */
  timezone?: string;
  dataDir: string;
  log: Logger;
  clock: Clock;
  store: ScanRunStore;
  index: FileIndex;
  alerts: AlertSink;
  findings: FindingSink;
  /** When the last scan run finished, for the dead-man check. */
  lastFinishedAt: () => Promise<number | undefined>;
  /** The process's registry (never prom-client's global one). */
  metrics?: Registry;
  /** How often firing alerts are re-sent (default 60 s). */
  resendMs?: number;
  /** Keeps the firing alerts over a restart (a malware alert must not lapse until the next run). */
  firingStore?: FiringAlertsStore;
}

function scanMetrics(registry: Registry) {
  return {
    runs: new Counter({
      name: 'vigil_scan_runs_total',
      help: 'Scan runs by status',
      labelNames: ['status'],
      registers: [registry],
    }),
    files: new Counter({
      name: 'vigil_scan_files_total',
      help: 'Files given a verdict by scan runs, by verdict',
      labelNames: ['status'],
      registers: [registry],
    }),
    skipped: new Counter({
      name: 'vigil_scan_files_skipped_total',
      help: 'Files skipped as unchanged and clean',
      registers: [registry],
    }),
    last: new Gauge({
      name: 'vigil_scan_last_run_timestamp_seconds',
      help: 'When the last scan run finished',
      registers: [registry],
    }),
  };
}

/**
 * The scheduled scanner of `vigil start`: starts its engines (a managed clamd, YARA rules, hash
 * lists), runs a scan on the configured cron (never two at once), reloads clamd first when the
 * managed database changed, and raises a dead-man alert when no run finished within the longest
 * scheduled gap plus `grace` (S10).
 */
export class ScannerService implements Component {
  readonly name = 'scanners';
  private engines: ScanEngines | undefined;
  private cron: Cron | undefined;
  private deadman: NodeJS.Timeout | undefined;
  private running: Promise<ScanRunOutcome> | undefined;
  private abort = new AbortController();
  private loadedDbFingerprint = '';
  private startedAt = 0;
  private readonly log: Logger;
  /** Every scanner alert stays alive at the router while its condition holds (core FiringAlerts). */
  private readonly firing: FiringAlerts;
  private readonly metrics: ReturnType<typeof scanMetrics> | undefined;

  constructor(private readonly deps: ScannerServiceDeps) {
    this.log = deps.log.child({ component: 'scanners' });
    this.metrics = deps.metrics ? scanMetrics(deps.metrics) : undefined;
    this.firing = new FiringAlerts({
      sink: deps.alerts,
      clock: deps.clock,
      resendMs: deps.resendMs,
      log: this.log,
      name: 'scanner-alerts',
      ...(deps.firingStore ? { store: deps.firingStore } : {}),
    });
  }

  async start(): Promise<void> {
    const cfg = this.deps.config;
    this.startedAt = this.deps.clock.now();
    this.engines = await buildEngines(cfg, {
      dataDir: this.deps.dataDir,
      log: this.log,
      onClamdExit: (info) =>
        void this.firing.fire(
          [
            this.alert(
              'VigilClamdDown',
              `clamd exited (code ${info.code}, signal ${info.signal}); restarting`,
            ),
          ],
          { scope: 'clamd' },
        ),
    });
    if (this.engines.managed) this.loadedDbFingerprint = await this.dbFingerprint();
    // Restore what fired before a restart first, so the checks below can resolve it at once.
    await this.firing.start();
    await this.checkSignatures();
    const tz = cfg.timezone ?? this.deps.timezone;
    this.cron = new Cron(cfg.schedule, { protect: true, ...(tz ? { timezone: tz } : {}) }, async () => {
      await this.runNow({ scheduledFor: new Date(this.deps.clock.now()) }).catch((err: unknown) =>
        this.log.error({ err: errorMessage(err) }, 'scheduled scan failed to run'),
      );
    });
    this.deadman = setInterval(() => {
      void this.supervise();
      // Not while a run is in progress: it reloads itself before it starts.
      if (!this.running) void this.reloadIfChanged().then(() => this.checkSignatures());
    }, 60_000);
    this.deadman.unref();
  }

  /** Every minute: the dead-man check, and whether clamd answers (firing VigilClamdDown until it does). */
  private async supervise(): Promise<void> {
    await this.checkDeadman().catch((err: unknown) =>
      this.log.error({ err: errorMessage(err) }, 'dead-man check failed'),
    );
    const problem = await this.engines?.preflight();
    await this.firing.replace('clamd', problem ? [this.alert('VigilClamdDown', problem)] : []);
  }

  ready(): boolean {
    return this.engines !== undefined;
  }

  /** One run now (scheduled or on demand); waits for a run already in progress instead of overlapping. */
  async runNow(opts: { scheduledFor?: Date; full?: boolean } = {}): Promise<ScanRunOutcome> {
    if (this.running) return this.running;
    this.running = this.doRun(opts).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async doRun(opts: { scheduledFor?: Date; full?: boolean }): Promise<ScanRunOutcome> {
    const engines = this.engines;
    if (!engines) throw new Error('scanner service is not started');
    const cfg = this.deps.config;
    await this.reloadIfChanged();
    const outcome = await runScan(
      {
        scanners: engines.scanners,
        fileSet: {
          paths: cfg.paths,
          exclude: cfg.exclude,
          followSymlinks: cfg.follow_symlinks,
          maxFileSize: cfg.max_file_size,
        },
        index: this.deps.index,
        fullRescanMs: cfg.full_rescan,
        concurrency: cfg.concurrency,
        severity: cfg.severity,
        store: this.deps.store,
        alerts: (alerts) => this.runAlerts(alerts),
        findings: this.deps.findings,
        ...(cfg.quarantine
          ? {
              quarantine: new Quarantine(cfg.quarantine.dir, {
                keyFile: quarantineKeyFile(this.deps.dataDir),
              }),
            }
          : {}),
        ...(engines.hashLists ? { hashLists: engines.hashLists } : {}),
        fileLogs: cfg.file_logs,
        preflight: () => engines.preflight(),
        log: this.log,
        clock: this.deps.clock,
      },
      { ...opts, signal: this.abort.signal },
    );
    if (this.metrics) {
      this.metrics.runs.inc({ status: outcome.status });
      for (const r of outcome.results) this.metrics.files.inc({ status: r.status });
      this.metrics.skipped.inc(outcome.skipped);
      this.metrics.last.set(this.deps.clock.now() / 1000);
    }
    return outcome;
  }

  /**
   * The alerts of one run: scan errors fire until a run has none; a malware alert fires until a
   * run that vouched for every file (no scan error) no longer finds it. Before, each was sent
   * once and lapsed at the router's resolve_timeout.
   */
  private async runAlerts(alerts: Alert[]): Promise<void> {
    const malware = alerts.filter((a) => a.labels.alertname === 'VigilMalwareFound');
    const rest = alerts.filter((a) => a.labels.alertname !== 'VigilMalwareFound');
    await this.firing.replace('scan-run', rest);
    if (rest.length === 0) await this.firing.replace('malware', malware);
    else await this.firing.fire(malware, { scope: 'malware' });
  }

  /**
   * VigilScanMissed fires while no run finished within the longest scheduled gap + grace, and
   * resolves once one did. Returns true when it starts firing.
   */
  async checkDeadman(): Promise<boolean> {
    if (!this.cron) return false;
    const last = (await this.deps.lastFinishedAt().catch(() => undefined)) ?? this.startedAt;
    const runs = this.cron.nextRuns(8, new Date(last));
    let gap = 0;
    let prev = last;
    for (const r of runs) {
      gap = Math.max(gap, r.getTime() - prev);
      prev = r.getTime();
    }
    const now = this.deps.clock.now();
    const overdue = now - last > gap + this.deps.config.grace;
    const wasFiring = this.firing.firing('dead-man').length > 0;
    const desired = overdue
      ? [
          this.alert(
            'VigilScanMissed',
            `no scan run finished since ${new Date(last).toISOString()} (schedule ${this.deps.config.schedule})`,
          ),
        ]
      : [];
    await this.firing.replace('dead-man', desired, now);
    return overdue && !wasFiring;
  }

  /**
   * Reloads a managed clamd when vigil's own signatures or freshclam's files changed: before each
   * run and every minute, so a new signature file or a freshclam update is in use without a restart.
   */
  async reloadIfChanged(): Promise<boolean> {
    const engines = this.engines;
    if (!engines?.managed) return false;
    const fp = await this.dbFingerprint();
    if (fp === this.loadedDbFingerprint) return false;
    this.log.info('signature database changed; reloading clamd');
    await engines
      .reload()
      .catch((err: unknown) => this.log.error({ err: errorMessage(err) }, 'reload failed'));
    this.loadedDbFingerprint = fp;
    return true;
  }

  /**
   * Raises VigilClamavSignaturesStale once while ClamAV's signatures are missing or older than
   * `clamav.max_signature_age` (PCI DSS 5.3.1), again after they were current in between.
   */
  async checkSignatures(): Promise<string | undefined> {
    const engines = this.engines;
    if (!engines || !this.deps.config.clamav.enabled) return undefined;
    const problem = await signatureProblem(this.deps.config.clamav, engines, this.deps.clock.now()).catch(
      (err: unknown) => `cannot judge the ClamAV signatures: ${errorMessage(err)}`,
    );
    if (problem && this.firing.firing('signatures').length === 0)
      this.log.warn({ problem }, 'ClamAV signatures are not current');
    // Fires while the signatures are not current, resolved once they are (core FiringAlerts).
    await this.firing.replace(
      'signatures',
      problem ? [this.alert('VigilClamavSignaturesStale', problem, 'warning')] : [],
    );
    return problem;
  }

  private dbFingerprint(): Promise<string> {
    return databaseFingerprint(
      new SignatureDb(databaseDirOf(this.deps.config, this.deps.dataDir)),
      systemDatabaseDirOf(this.deps.config),
    );
  }

  private alert(alertname: string, summary: string, severity = 'critical'): Alert {
    return {
      labels: { alertname, component: 'scanners', severity },
      annotations: { summary },
      startsAt: new Date(this.deps.clock.now()).toISOString(),
    };
  }

  async stop(deadlineMs: number): Promise<void> {
    await this.firing.stop();
    this.cron?.stop();
    if (this.deadman) clearInterval(this.deadman);
    const timer = setTimeout(() => this.abort.abort(), Math.max(0, deadlineMs - 1000));
    await this.running?.catch(() => undefined);
    clearTimeout(timer);
    await this.engines?.close();
  }
}
