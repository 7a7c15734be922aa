import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { VigilError, type ProbeResult } from '../core/index.js';
import type { BatchOptions } from './probe-batch.js';
import { dropThreadEntry, threadEntry } from './thread-entry.js';

/** A batch for one pool thread. */
export interface PoolJob {
  urls: string[];
  opts: BatchOptions;
}

export type PoolMessage = { results?: ProbeResult[]; done?: number; error?: string };

/** Threads a pool gets by default: one per core, as Go's runtime uses every core (GOMAXPROCS). */
export const defaultPoolThreads = (): number => Math.max(1, availableParallelism());

/**
 * Worker threads that run concurrent ad-hoc probes side by side. One event loop stamps the
 * responses that arrive together one after another; spread over one loop per core, the stamps of
 * concurrent probes no longer queue behind each other's bookkeeping. The threads start once and
 * serve many batches (their start-up is not a probe's cost); `close()` ends them.
 */
export class ProbePool {
  readonly #workers: Worker[] = [];
  #busy = false;
  /** A thread that failed between batches; the pool is unusable after it. */
  #broken: unknown;

  constructor(threads = defaultPoolThreads()) {
    const entry = threadEntry('pool-thread');
    for (let i = 0; i < Math.max(1, threads); i++) {
      const w = new Worker(entry);
      // Without a listener a thread's failure would be an uncaught exception of the process.
      w.on('error', (err) => (this.#broken ??= err));
      this.#workers.push(w);
    }
  }

  get threads(): number {
    return this.#workers.length;
  }

  /**
   * Probes each URL once, `opts.concurrency` at a time in all, dealt round-robin over
   * min(threads, concurrency) threads with a share of the concurrency each. Results arrive as
   * they come, in no fixed order. Returns how many failed.
   */
  async run(
    urls: readonly string[],
    opts: BatchOptions,
    onResult: (r: ProbeResult) => void,
  ): Promise<number> {
    if (this.#busy) throw new VigilError('PRB_POOL_BUSY', 'a probe pool runs one batch at a time');
    if (this.#broken !== undefined)
      throw new VigilError('PRB_POOL_THREAD', 'a probe pool thread failed earlier', { cause: this.#broken });
    this.#busy = true;
    const n = Math.max(1, Math.min(this.#workers.length, opts.concurrency, urls.length));
    try {
      const failed = await Promise.all(
        this.#workers.slice(0, n).map((w, i) => {
          const share = Math.floor(opts.concurrency / n) + (i < opts.concurrency % n ? 1 : 0);
          const job: PoolJob = {
            urls: urls.filter((_, k) => k % n === i),
            opts: { ...opts, concurrency: share },
          };
          return this.#send(w, i, job, onResult);
        }),
      );
      return failed.reduce((a, b) => a + b, 0);
    } finally {
      this.#busy = false;
    }
  }

  #send(w: Worker, i: number, job: PoolJob, onResult: (r: ProbeResult) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      const fail = (err: unknown): void => {
        w.off('message', on);
        reject(new VigilError('PRB_POOL_THREAD', `probe pool thread ${i} failed`, { cause: err }));
      };
      const on = (m: PoolMessage): void => {
        for (const r of m.results ?? []) onResult(r);
        if (m.error !== undefined) fail(new Error(m.error));
        else if (m.done !== undefined) {
          w.off('message', on);
          w.off('error', fail);
          resolve(m.done);
        }
      };
      w.on('message', on);
      w.once('error', fail);
      w.postMessage(job);
    });
  }

  /** Ends the threads (and removes the development bundle, loaded by now). */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
    this.#workers.length = 0;
    dropThreadEntry('pool-thread');
  }
}
