import { performance } from 'node:perf_hooks';

/**
 * Measures this process's event-loop delay continuously, so each probe can say how late the loop
 * was while it ran. A timer ticks every `resolutionMs`; each tick records how much later than due
 * it fired. A probe's loop delay is the worst lateness of the ticks during the probe, plus how
 * late the pending tick already is at its end. This is the probe's own "am I the slow one" test:
 * a sample taken while vigil itself was late is flagged, not blamed on the service (S1).
 */
export class LoopMonitor {
  readonly #resolutionMs: number;
  readonly #at: Float64Array;
  readonly #lag: Float32Array;
  #next = 0;
  #count = 0;
  #expected = 0;
  #timer: NodeJS.Timeout | undefined;
  #users = 0;

  constructor(resolutionMs = 10, capacity = 8192) {
    this.#resolutionMs = resolutionMs;
    this.#at = new Float64Array(capacity);
    this.#lag = new Float32Array(capacity);
  }

  /** Starts ticking; reference-counted so several schedulers can share one monitor. */
  start(): void {
    this.#users++;
    if (this.#timer) return;
    this.#expected = performance.now() + this.#resolutionMs;
    const tick = (): void => {
      const now = performance.now();
      this.#record(now, Math.max(0, now - this.#expected));
      this.#expected = now + this.#resolutionMs;
      this.#timer = setTimeout(tick, this.#resolutionMs);
      this.#timer.unref();
    };
    this.#timer = setTimeout(tick, this.#resolutionMs);
    this.#timer.unref();
  }

  stop(): void {
    this.#users = Math.max(0, this.#users - 1);
    if (this.#users > 0 || !this.#timer) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #record(at: number, lag: number): void {
    const cap = this.#at.length;
    this.#at[this.#next] = at;
    this.#lag[this.#next] = lag;
    this.#next = (this.#next + 1) % cap;
    this.#count = Math.min(this.#count + 1, cap);
  }

  /** Worst event-loop delay in ms from `fromPerf` (a performance.now() value) until now. */
  delaySince(fromPerf: number): number {
    const now = performance.now();
    let worst = this.#timer ? Math.max(0, now - this.#expected) : 0;
    const cap = this.#at.length;
    for (let i = 1; i <= this.#count; i++) {
      const idx = (this.#next - i + cap) % cap;
      if (this.#at[idx]! < fromPerf) break;
      if (this.#lag[idx]! > worst) worst = this.#lag[idx]!;
    }
    return Math.round(worst * 1000) / 1000;
  }
}
