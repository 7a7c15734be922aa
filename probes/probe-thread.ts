// Entry of a probe worker thread: runs a ProbeScheduler over its shard of targets, away from the
// main thread's store writes and HTTP serving, so neither shows up in the probes' timings.
import { parentPort, workerData } from 'node:worker_threads';
import { silentLogger, type ProbeResult } from '../core/index.js';
import { decodeAgentConfig } from './agent-wire.js';
import { LoopMonitor } from './loop-monitor.js';
import { ProbeScheduler } from './scheduler.js';
import { scheduledProbesFor } from './targets.js';
import type { ThreadInit, ThreadMessage } from './threaded-scheduler.js';

const init = workerData as ThreadInit;
const doc = decodeAgentConfig(init.probes);
const held: ProbeResult[] = [];
const scheduler = new ProbeScheduler(scheduledProbesFor(doc.probes, doc.location), {
  maxConcurrency: init.maxConcurrency,
  loopDelayThresholdMs: init.loopDelayThresholdMs,
  lateThresholdMs: init.lateThresholdMs,
  monitor: new LoopMonitor(),
  log: silentLogger(),
  onResult: (r) => held.push(r),
});
const post = (m: ThreadMessage): void => parentPort?.postMessage(m);
const flush = (): void => {
  if (held.length === 0) return;
  post({ results: held.splice(0), stats: { ...scheduler.stats } });
};
const timer = setInterval(flush, init.flushIntervalMs);
scheduler.start();
parentPort?.on('message', (m: { stop?: number }) => {
  if (m.stop === undefined) return;
  clearInterval(timer);
  void scheduler.stop(m.stop).then(() => {
    flush();
    post({ stopped: true, stats: { ...scheduler.stats } });
  });
});
