import { Worker } from 'node:worker_threads';
import type { Logger, ProbeResult } from '../core/index.js';
import { encodeAgentConfig } from './agent-wire.js';
import type { ResolvedProbe } from './config.js';
import type { ProbeMetrics } from './probe-metrics.js';
import type { SchedulerStats } from './scheduler.js';
import { dropThreadEntry, threadEntry } from './thread-entry.js';

/** What a probe thread is started with (structured-clone safe; secrets encoded as in agent-wire). */
export interface ThreadInit {
  probes: string;
  maxConcurrency: number;
  loopDelayThresholdMs: number;
  lateThresholdMs: number;
  flushIntervalMs: number;
}

export type ThreadMessage = { results?: ProbeResult[]; stats: SchedulerStats; stopped?: boolean };

const STAT_KEYS = ['runs', 'missed', 'late', 'flagged', 'running', 'queued'] as const;

/**
 * Runs the probes in `threads` worker threads, targets dealt round-robin, each with its own
 * scheduler, event-loop monitor and share of max_concurrency. The main thread's work (SQLite
 * writes, the HTTP server, the SLA engine) then cannot delay a probe's timestamps: the probes
 * measure the service, not vigil's other parts.
 */
export class ThreadedScheduler {
  readonly #workers: Worker[] = [];
  readonly #last: SchedulerStats[] = [];
  readonly stats: SchedulerStats = { runs: 0, missed: 0, late: 0, flagged: 0, running: 0, queued: 0 };

  constructor(
    private readonly opts: {
      probes: ResolvedProbe[];
      location: string;
      threads: number;
      maxConcurrency: number;
      loopDelayThresholdMs: number;
      lateThresholdMs: number;
      log: Logger;
      metrics?: ProbeMetrics;
      onResult(r: ProbeResult): void;
    },
  ) {}

  start(): void {
    const mine = this.opts.probes.filter((p) => p.locations.includes(this.opts.location));
    const n = Math.max(1, Math.min(this.opts.threads, mine.length));
    const entry = threadEntry('probe-thread');
    for (let i = 0; i < n; i++) {
      const shard = mine.filter((_, k) => k % n === i);
      const init: ThreadInit = {
        probes: encodeAgentConfig({ location: this.opts.location, probes: shard }),
        maxConcurrency: Math.max(1, Math.ceil(this.opts.maxConcurrency / n)),
        loopDelayThresholdMs: this.opts.loopDelayThresholdMs,
        lateThresholdMs: this.opts.lateThresholdMs,
        flushIntervalMs: 100,
      };
      const worker = new Worker(entry, { workerData: init });
      this.#last.push({ runs: 0, missed: 0, late: 0, flagged: 0, running: 0, queued: 0 });
      worker.on('message', (m: ThreadMessage) => this.#take(i, m));
      worker.on('error', (err) => this.opts.log.error({ err, thread: i }, 'probe thread failed'));
      this.#workers.push(worker);
    }
  }

  #take(i: number, m: ThreadMessage): void {
    const prev = this.#last[i]!;
    for (const k of STAT_KEYS) this.stats[k] += m.stats[k] - prev[k];
    if (m.stats.missed > prev.missed) this.opts.metrics?.missed.inc(m.stats.missed - prev.missed);
    if (m.stats.late > prev.late) this.opts.metrics?.late.inc(m.stats.late - prev.late);
    this.#last[i] = m.stats;
    for (const r of m.results ?? []) {
      this.opts.metrics?.observe(r);
      this.opts.onResult(r);
    }
  }

  /** Asks every thread to stop, waits for its last results, then ends it. */
  async stop(deadlineMs: number): Promise<void> {
    await Promise.all(
      this.#workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void w.terminate().then(() => resolve()), deadlineMs + 500);
            w.on('message', (m: ThreadMessage) => {
              if (!m.stopped) return;
              clearTimeout(timer);
              void w.terminate().then(() => resolve());
            });
            w.on('exit', () => resolve());
            w.postMessage({ stop: Math.max(100, deadlineMs - 200) });
          }),
      ),
    );
    // The development bundle is loaded by now; remove it so none accumulate.
    dropThreadEntry('probe-thread');
  }
}
