// Entry of a probe-pool thread: runs the batches its ProbePool sends, on its own event loop, and
// posts the results back in small groups (one message per loop turn, not one per probe).
import { parentPort } from 'node:worker_threads';
import type { ProbeResult } from '../core/index.js';
import { runProbeBatch } from './probe-batch.js';
import type { PoolMessage, PoolJob } from './probe-pool.js';

const post = (m: PoolMessage): void => parentPort?.postMessage(m);
let held: ProbeResult[] = [];
let flushing = false;
const flush = (): void => {
  flushing = false;
  if (held.length === 0) return;
  post({ results: held });
  held = [];
};

parentPort?.on('message', (job: PoolJob) => {
  void runProbeBatch(job.urls, job.opts, (r) => {
    held.push(r);
    if (flushing) return;
    flushing = true;
    setImmediate(flush);
  }).then(
    (failed) => {
      flush();
      post({ done: failed });
    },
    (err: unknown) => {
      flush();
      post({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    },
  );
});
