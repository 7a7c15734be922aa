import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { ProbeResult } from '../core/index.js';
import { httpProbe } from './http-probe.js';
import { LoopMonitor } from './loop-monitor.js';
import { httpProbeSchema } from './schemas.js';
import type { ProbeTarget } from './types.js';

/** How a batch of ad-hoc HTTP probes runs (structured-clone safe: it is sent to probe threads). */
export interface BatchOptions {
  concurrency: number;
  /** Pause between the probes of one worker, ms. */
  intervalMs: number;
  timeoutMs: number;
  loopDelayThresholdMs?: number;
}

/**
 * Probes each URL of `urls` once over HTTP, `concurrency` at a time, each on a fresh connection,
 * on this thread's event loop, and reports each result as it arrives. A result whose event-loop
 * delay passed the threshold is flagged (vigil was late). Returns how many failed.
 */
export async function runProbeBatch(
  urls: readonly string[],
  opts: BatchOptions,
  onResult: (r: ProbeResult) => void,
): Promise<number> {
  // Parsed once per distinct URL, outside the timed path.
  const template = httpProbeSchema.parse({ type: 'http', url: urls[0] ?? 'http://127.0.0.1/' });
  const monitor = new LoopMonitor();
  monitor.start();
  let next = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < urls.length) {
      const i = next++;
      if (i > 0 && opts.intervalMs > 0 && i >= opts.concurrency) await sleep(opts.intervalMs);
      const url = urls[i]!;
      const probe = httpProbe({ ...template, url });
      const target: ProbeTarget = {
        id: url,
        serviceId: 'ad-hoc',
        type: 'http',
        location: 'local',
        intervalMs: opts.intervalMs,
        timeoutMs: opts.timeoutMs,
      };
      const t0 = performance.now();
      const r = await probe.run(target, AbortSignal.timeout(opts.timeoutMs));
      r.loopDelayMs = monitor.delaySince(t0);
      if (r.loopDelayMs > (opts.loopDelayThresholdMs ?? 20)) r.loopDelayFlagged = true;
      if (!r.ok) failed++;
      onResult(r);
      await probe.close?.();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, urls.length) }, worker));
  } finally {
    monitor.stop();
  }
  return failed;
}
