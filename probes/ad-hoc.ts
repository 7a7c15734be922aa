import type { ProbeResult } from '../core/index.js';
import { runProbeBatch, type BatchOptions } from './probe-batch.js';
import { ProbePool } from './probe-pool.js';

export interface AdHocOptions extends BatchOptions {
  count: number;
  /**
   * Probe threads for concurrent probes; default 1 (inline, on this thread's loop). More spread
   * the probes over a ProbePool; on the shared 2-core bench machine that did not beat one loop
   * (bench/probes/RESULTS.md), so it is opt-in.
   */
  threads?: number;
}

/**
 * `vigil probe URL`: runs `count` HTTP probes of the URL, `concurrency` at a time, each on a fresh
 * connection, and reports each result as it arrives. With `threads` above 1 concurrent probes
 * are spread over that many threads (see ProbePool). Returns how many failed.
 */
export async function runAdHocProbes(
  url: string,
  opts: AdHocOptions,
  onResult: (r: ProbeResult) => void,
): Promise<number> {
  const urls = Array.from({ length: opts.count }, () => url);
  const threads = Math.min(opts.threads ?? 1, opts.concurrency, opts.count);
  if (threads <= 1) return runProbeBatch(urls, opts, onResult);
  const pool = new ProbePool(threads);
  try {
    return await pool.run(urls, opts, onResult);
  } finally {
    await pool.close();
  }
}

/** The --json line of DESIGN.md §7, fields in the documented order; absent values are null. */
export function probeJsonLine(r: ProbeResult): string {
  return JSON.stringify({
    target: r.targetId,
    ok: r.ok,
    status: r.status ?? null,
    totalMs: r.totalMs,
    phases: r.phases,
    error: r.error ?? null,
    startedAt: r.startedAt,
    loopDelayMs: r.loopDelayMs,
  });
}

const f = (ms: number): string => `${ms.toFixed(3)}ms`;

/** A readable line in the spirit of `curl -w`: status, total, every phase, loop delay, error. */
export function probeTextLine(r: ProbeResult): string {
  const p = r.phases;
  const head = `${r.startedAt} ${r.targetId} ${r.ok ? 'ok' : 'FAIL'} status=${r.status ?? '-'} total=${f(r.totalMs)}`;
  const phases = `resolve=${f(p.resolve)} connect=${f(p.connect)} tls=${f(p.tls)} processing=${f(p.processing)} transfer=${f(p.transfer)}`;
  const loop = `loop=${f(r.loopDelayMs)}${r.loopDelayFlagged ? ' (flagged: vigil was late)' : ''}`;
  return `${head} ${phases} ${loop}${r.error ? ` error=${r.error.kind}: ${r.error.message}` : ''}`;
}
