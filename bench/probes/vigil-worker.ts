// Runs N vigil HTTP probes at concurrency C in this process, the way `vigil probe --concurrency C`
// does (inline, on one event loop), or with VIGIL_THREADS=N > 1 spread over a ProbePool of N
// threads for concurrency above 1, and reports
// the results and the CPU time this process used in all its threads (process.cpuUsage), so
// vigil's cost is measured apart from the driver. The pool starts once, before the first job.
import { ProbeMetrics, ProbePool, runProbeBatch, type BatchOptions } from '../../probes/index.js';
import { createMetricsRegistry, type ProbeResult } from '../../core/index.js';

interface Job {
  base: string;
  delayMs: number;
  count: number;
  concurrency: number;
  tag: string;
}

const threads = Number(process.env.VIGIL_THREADS ?? 1);
const pool = threads > 1 ? new ProbePool(threads) : undefined;
// Exported metrics are part of a probe's cost, as blackbox_exporter builds a registry per probe.
const metrics = new ProbeMetrics(createMetricsRegistry());

process.on('message', (job: Job & { stop?: boolean }) => {
  if (job.stop) return;
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
// Asked to stop, end the pool properly (its threads, and under tsx its bundle in node_modules/.cache).
process.on('message', (m: { stop?: boolean }) => {
  if (m.stop) void (pool?.close() ?? Promise.resolve()).then(() => process.exit(0));
});
process.send?.({ ready: true, threads });
