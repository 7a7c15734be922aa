// Runs N vigil HTTP probes at concurrency C in this process and reports the results and the CPU
// time this process used (process.cpuUsage), so vigil's cost is measured apart from the driver.
import { createMetricsRegistry } from '../../core/index.js';
import {
  LoopMonitor,
  ProbeMetrics,
  httpProbe,
  httpProbeSchema,
  type ProbeTarget,
} from '../../probes/index.js';
import { performance } from 'node:perf_hooks';

interface Job {
  base: string;
  delayMs: number;
  count: number;
  concurrency: number;
  tag: string;
}

process.on('message', (job: Job) => {
  void (async () => {
    const metrics = new ProbeMetrics(createMetricsRegistry());
    const monitor = new LoopMonitor();
    monitor.start();
    const out: { id: string; processing: number; total: number; ok: boolean; loopDelayMs: number }[] = [];
    // Parsed once; each probe gets its own URL (the id lets the server's truth be matched).
    const template = httpProbeSchema.parse({ type: 'http', url: job.base });
    const cpu0 = process.cpuUsage();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < job.count) {
        const i = next++;
        const id = `${job.tag}-${i}`;
        const probe = httpProbe({ ...template, url: `${job.base}/d?ms=${job.delayMs}&id=${id}` });
        const target: ProbeTarget = {
          id: 'bench',
          serviceId: 'b',
          type: 'http',
          location: 'local',
          intervalMs: 1000,
          timeoutMs: 10_000,
        };
        const t0 = performance.now();
        const r = await probe.run(target, AbortSignal.timeout(10_000));
        r.loopDelayMs = monitor.delaySince(t0);
        metrics.observe(r);
        out.push({
          id,
          processing: r.phases.processing,
          total: r.totalMs,
          ok: r.ok,
          loopDelayMs: r.loopDelayMs,
        });
      }
    };
    await Promise.all(Array.from({ length: job.concurrency }, worker));
    const cpu = process.cpuUsage(cpu0);
    monitor.stop();
    process.send?.({ results: out, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  })();
});
process.send?.({ ready: true });
