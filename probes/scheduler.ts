import { performance } from 'node:perf_hooks';
import type { Clock, Logger, ProbeResult } from '../core/index.js';
import { errorMessage, systemClock } from '../core/index.js';
import { DueHeap, staggerOffsets } from './due-heap.js';
import type { LoopMonitor } from './loop-monitor.js';
import type { ProbeMetrics } from './probe-metrics.js';
import type { Probe, ProbeTarget } from './types.js';

export interface ScheduledProbe {
  target: ProbeTarget;
  probe: Probe;
}

export interface SchedulerOptions {
  maxConcurrency: number;
  /** A sample with more event-loop delay than this is flagged (loopDelayFlagged). */
  loopDelayThresholdMs: number;
  /** A run starting later than this after its due time counts as late. */
  lateThresholdMs?: number;
  monitor: LoopMonitor;
  log: Logger;
  metrics?: ProbeMetrics;
  clock?: Clock;
  onResult(result: ProbeResult): void;
}

export interface SchedulerStats {
  runs: number;
  missed: number;
  late: number;
  flagged: number;
  running: number;
  queued: number;
}

interface Slot extends ScheduledProbe {
  busy: boolean;
}

/**
 * Runs every target on its interval: starts staggered over the interval, at most maxConcurrency
 * probes at once, due times fixed to the plan (no drift). A target still busy when it is due
 * again is skipped and counted as missed; a run that could start only late is counted as late.
 * The event-loop delay is measured around every probe and the sample flagged over the threshold.
 */
export class ProbeScheduler {
  readonly #slots: Slot[];
  readonly #heap = new DueHeap();
  readonly #queue: { slot: number; due: number }[] = [];
  readonly #opts: SchedulerOptions;
  readonly #clock: Clock;
  readonly #stop = new AbortController();
  readonly #inflight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #active = 0;
  readonly stats: SchedulerStats = { runs: 0, missed: 0, late: 0, flagged: 0, running: 0, queued: 0 };

  constructor(entries: ScheduledProbe[], opts: SchedulerOptions) {
    this.#slots = entries.map((e) => ({ ...e, busy: false }));
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
  }

  start(): void {
    this.#opts.monitor.start();
    const now = this.#clock.now();
    const offsets = staggerOffsets(this.#slots.map((s) => s.target));
    this.#slots.forEach((s, i) => this.#heap.push(now + (offsets.get(s.target.id) ?? 0), i));
    this.#arm();
  }

  /** Stops scheduling and waits for running probes (aborted at the deadline). */
  async stop(deadlineMs: number): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue.length = 0;
    const timer = setTimeout(
      () => this.#stop.abort(new Error('scheduler stopping')),
      Math.max(0, deadlineMs - 50),
    );
    await Promise.allSettled([...this.#inflight]);
    clearTimeout(timer);
    this.#stop.abort(new Error('scheduler stopped'));
    await Promise.allSettled(this.#slots.map((s) => s.probe.close?.()));
    this.#opts.monitor.stop();
  }

  #arm(): void {
    const due = this.#heap.peekDue();
    if (due === undefined || this.#stop.signal.aborted) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, due - this.#clock.now()));
  }

  #fire(): void {
    this.#timer = undefined;
    const now = this.#clock.now();
    while ((this.#heap.peekDue() ?? Infinity) <= now) {
      const { due, slot } = this.#heap.pop()!;
      const s = this.#slots[slot]!;
      this.#heap.push(due + s.target.intervalMs, slot);
      if (s.busy) {
        this.stats.missed++;
        this.#opts.metrics?.missed.inc();
        continue;
      }
      s.busy = true;
      this.#queue.push({ slot, due });
    }
    this.#drain();
    this.#arm();
  }

  #drain(): void {
    while (this.#active < this.#opts.maxConcurrency && this.#queue.length > 0) {
      const { slot, due } = this.#queue.shift()!;
      const p = this.#run(this.#slots[slot]!, due);
      this.#inflight.add(p);
      void p.finally(() => this.#inflight.delete(p));
    }
    this.stats.running = this.#active;
    this.stats.queued = this.#queue.length;
  }

  async #run(s: Slot, due: number): Promise<void> {
    this.#active++;
    const lateBy = this.#clock.now() - due;
    if (lateBy > (this.#opts.lateThresholdMs ?? 1000)) {
      this.stats.late++;
      this.#opts.metrics?.late.inc();
    }
    const t0 = performance.now();
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(s.target.timeoutMs), this.#stop.signal]);
      const result = await s.probe.run(s.target, signal);
      result.loopDelayMs = this.#opts.monitor.delaySince(t0);
      if (result.loopDelayMs > this.#opts.loopDelayThresholdMs) {
        result.loopDelayFlagged = true;
        this.stats.flagged++;
      }
      this.stats.runs++;
      this.#opts.metrics?.observe(result);
      this.#opts.onResult(result);
    } catch (err) {
      // A probe throws only on a bug; log it and keep the schedule going.
      this.#opts.log.error(
        { err, target: s.target.id },
        `probe of ${s.target.id} threw: ${errorMessage(err)}`,
      );
    } finally {
      s.busy = false;
      this.#active--;
      this.#drain();
    }
  }
}
