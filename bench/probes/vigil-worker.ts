// Runs N vigil HTTP probes at concurrency C in this process, the way `vigil probe --concurrency C`
// does (inline at concurrency 1, else spread over a ProbePool of one thread per core), and reports
// the results and the CPU time this process used in all its threads (process.cpuUsage), so
// vigil's cost is measured apart from the driver. The pool starts once, before the first job.
//   VIGIL_THREADS=1 forces everything onto one event loop (the "before" configuration).
import {
  ProbeMetrics,
  ProbePool,
  defaultPoolThreads,
  runProbeBatch,
  type BatchOptions,
} from '../../probes/index.js';
import { createMetricsRegistry, type ProbeResult } from '../../core/index.js';

interface Job {
  base: string;
  delayMs: number;
  count: number;
  concurrency: number;
  tag: string;
}

const threads = Number(process.env.VIGIL_THREADS ?? defaultPoolThreads());
const pool = threads > 1 ? new ProbePool(threads) : undefined;
// Exported metrics are part of a probe's cost, as blackbox_exporter builds a registry per probe.
const metrics = new ProbeMetrics(createMetricsRegistry());

process.on('message', (job: Job) => {
  void (async () => {
    const out: { id: string; processing: number; total: number; ok: boolean; loopDelayMs: number }[] = [];
    const urls = Array.from(
      { length: job.count },
      (_, i) => `${job.base}/d?ms=${job.delayMs}&id=${job.tag}-${i}`,
    );
    const opts: BatchOptions = { concurrency: job.concurrency, intervalMs: 0, timeoutMs: 10_000 };
    const take = (r: ProbeResult): void => {
      metrics.observe(r);
      out.push({
        id: new URL(r.targetId).searchParams.get('id') ?? '',
        processing: r.phases.processing,
        total: r.totalMs,
        ok: r.ok,
        loopDelayMs: r.loopDelayMs,
      });
    };
    const cpu0 = process.cpuUsage();
    if (pool && job.concurrency > 1) await pool.run(urls, opts, take);
    else await runProbeBatch(urls, opts, take);
    const cpu = process.cpuUsage(cpu0);
    process.send?.({ results: out, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  })();
});
process.on('disconnect', () => void pool?.close());
process.send?.({ ready: true, threads });
