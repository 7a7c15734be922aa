import {
  errorMessage,
  type Component,
  type Logger,
  type ProbeResult,
  type ProbeResultSink,
  type Registry,
} from '../core/index.js';
import type { ProbesSettings, ResolvedProbe } from './config.js';
import { LoopMonitor } from './loop-monitor.js';
import { ProbeMetrics } from './probe-metrics.js';
import { ProbeScheduler, type SchedulerStats } from './scheduler.js';
import { scheduledProbesFor } from './targets.js';
import { ThreadedScheduler } from './threaded-scheduler.js';

export interface ProbeRunnerOptions {
  probes: ResolvedProbe[];
  settings: ProbesSettings;
  log: Logger;
  metrics: Registry;
  sink: ProbeResultSink;
  /** Deletes stored results started before the cutoff (retention); returns how many went. */
  prune?: (beforeMs: number) => Promise<number>;
  flushIntervalMs?: number;
}

const MAX_HELD = 100_000;

/**
 * The probes part of `vigil start`: schedules every target assigned to this instance's location,
 * hands results to the sink in batches (held and retried while the sink fails, up to 100,000),
 * and prunes raw results older than `retention` every hour.
 */
export class ProbeRunner implements Component {
  readonly name = 'probes';
  readonly #opts: ProbeRunnerOptions;
  readonly #log: Logger;
  readonly scheduler: {
    start(): void;
    stop(deadlineMs: number): Promise<void>;
    readonly stats: SchedulerStats;
  };
  #held: ProbeResult[] = [];
  #flushTimer: NodeJS.Timeout | undefined;
  #pruneTimer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #started = false;

  constructor(opts: ProbeRunnerOptions) {
    this.#opts = opts;
    this.#log = opts.log.child({ component: 'probes' });
    const onResult = (r: ProbeResult): void => {
      this.#held.push(r);
      if (this.#held.length >= 500) void this.flush();
    };
    const common = {
      maxConcurrency: opts.settings.max_concurrency,
      loopDelayThresholdMs: opts.settings.loop_delay_threshold,
      lateThresholdMs: opts.settings.late_threshold,
      log: this.#log,
      metrics: new ProbeMetrics(opts.metrics),
      onResult,
    };
    const { location, threads } = opts.settings;
    this.scheduler =
      threads > 0
        ? new ThreadedScheduler({ ...common, probes: opts.probes, location, threads })
        : new ProbeScheduler(scheduledProbesFor(opts.probes, location), {
            ...common,
            monitor: new LoopMonitor(),
          });
    const targets = opts.probes.filter((p) => p.locations.includes(location)).length;
    this.#log.info({ targets, location, threads }, 'probe targets assigned');
  }

  async start(): Promise<void> {
    this.scheduler.start();
    this.#flushTimer = setInterval(() => this.flush(), this.#opts.flushIntervalMs ?? 1000);
    this.#flushTimer.unref();
    if (this.#opts.prune) {
      const prune = this.#opts.prune;
      const run = (): void => {
        prune(Date.now() - this.#opts.settings.retention)
          .then((n) => n > 0 && this.#log.info({ deleted: n }, 'pruned old probe results'))
          .catch((err: unknown) =>
            this.#log.error({ err }, `pruning probe results failed: ${errorMessage(err)}`),
          );
      };
      run();
      this.#pruneTimer = setInterval(run, 3_600_000);
      this.#pruneTimer.unref();
    }
    this.#started = true;
  }

  /** Sends what is held to the sink; on failure keeps it for the next try. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(async () => {
      if (this.#held.length === 0) return;
      const batch = this.#held;
      this.#held = [];
      try {
        await this.#opts.sink(batch);
      } catch (err) {
        this.#held = [...batch, ...this.#held].slice(-MAX_HELD);
        this.#log.error(
          { err, held: this.#held.length },
          `storing probe results failed: ${errorMessage(err)}`,
        );
      }
    });
    return this.#flushing;
  }

  ready(): boolean {
    return this.#started;
  }

  async stop(deadlineMs: number): Promise<void> {
    clearInterval(this.#flushTimer);
    clearInterval(this.#pruneTimer);
    await this.scheduler.stop(Math.max(100, deadlineMs - 500));
    await this.flush();
    this.#started = false;
  }
}
