import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { ProbeResult } from '../core/index.js';
import { httpProbe } from './http-probe.js';
import { LoopMonitor } from './loop-monitor.js';
import { httpProbeSchema } from './schemas.js';
import type { ProbeTarget } from './types.js';

export interface AdHocOptions {
  count: number;
  concurrency: number;
  /** Pause between the probes of one worker, ms. */
  intervalMs: number;
  timeoutMs: number;
  loopDelayThresholdMs?: number;
}

/**
 * `vigil probe URL`: runs `count` HTTP probes of the URL, `concurrency` at a time, each on a fresh
 * connection, and reports each result as it arrives. Returns how many failed.
 */
export async function runAdHocProbes(
  url: string,
  opts: AdHocOptions,
  onResult: (r: ProbeResult) => void,
): Promise<number> {
  const probe = httpProbe(httpProbeSchema.parse({ type: 'http', url }));
  const target: ProbeTarget = {
    id: url,
    serviceId: 'ad-hoc',
    type: 'http',
    location: 'local',
    intervalMs: opts.intervalMs,
    timeoutMs: opts.timeoutMs,
  };
  const monitor = new LoopMonitor(5);
  monitor.start();
  let next = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < opts.count) {
      const i = next++;
      if (i > 0 && opts.intervalMs > 0 && i >= opts.concurrency) await sleep(opts.intervalMs);
      const t0 = performance.now();
      const r = await probe.run(target, AbortSignal.timeout(opts.timeoutMs));
      r.loopDelayMs = monitor.delaySince(t0);
      if (r.loopDelayMs > (opts.loopDelayThresholdMs ?? 20)) r.loopDelayFlagged = true;
      if (!r.ok) failed++;
      onResult(r);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.count) }, worker));
  } finally {
    monitor.stop();
    await probe.close?.();
  }
  return failed;
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
