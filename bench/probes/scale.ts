// vigil at scale: 10,000 HTTP targets at a 60 s interval on one instance, results stored in
// SQLite through the same sink path as `vigil start`.
//   SCALE_SECONDS=300 nice node --import tsx bench/probes/scale.ts [targets]
// SCALE_SINK=none keeps results in memory only, to tell the prober's cost from SQLite's.
// Reports CPU seconds (process.cpuUsage of this process, all threads: scheduler, probes, metrics,
// SQLite), the probes' own loop delay (loopDelayMs of the samples, measured in the probe thread),
// the main thread's event-loop delay p50/p99/max (perf_hooks histogram), runs against the plan, missed, late and
// flagged samples. The service is a local server in a child process.
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createMetricsRegistry, insertProbeResults, openStore, silentLogger } from '../../core/index.js';
import {
  ProbeRunner,
  httpProbeSchema,
  probesSectionSchema,
  staggerOffsets,
  type ResolvedProbe,
} from '../../probes/index.js';

const TARGETS = Number(process.argv[2] ?? 10_000);
const SECONDS = Number(process.env.SCALE_SECONDS ?? 120);
const INTERVAL = 60_000;

const server = fork(fileURLToPath(new URL('./truth-server.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'],
});
const port = await new Promise<number>((resolve) =>
  server.once('message', (m: { port: number }) => resolve(m.port)),
);
const store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'vigil-scale-')), 'scale.db')}`);
const template = httpProbeSchema.parse({ type: 'http', url: `http://127.0.0.1:${port}/` });
const probes: ResolvedProbe[] = Array.from({ length: TARGETS }, (_, i) => ({
  targetId: `svc-${i}/http`,
  serviceId: `svc-${i}`,
  customer: 'bench',
  probeId: 'http',
  sla: true,
  intervalMs: INTERVAL,
  timeoutMs: 10_000,
  locations: ['local'],
  config: { ...template, url: `http://127.0.0.1:${port}/t/${i}` },
}));
let stored = 0;
const totals: number[] = [];
const sampleLoop: number[] = [];
let failed = 0;
const runner = new ProbeRunner({
  probes,
  settings: probesSectionSchema.parse({ location: 'local' }),
  log: silentLogger(),
  metrics: createMetricsRegistry(),
  sink: async (results) => {
    stored +=
      process.env.SCALE_SINK === 'none' ? results.length : await insertProbeResults(store.db, results);
    for (const r of results) {
      totals.push(r.totalMs);
      sampleLoop.push(r.loopDelayMs);
      if (!r.ok) failed++;
    }
  },
});
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const cpu0 = process.cpuUsage();
const t0 = Date.now();
await runner.start();
await new Promise((r) => setTimeout(r, SECONDS * 1000));
const elapsed = Date.now() - t0;
const cpu = process.cpuUsage(cpu0);
loop.disable();
await runner.stop(15_000);
server.kill();
await store.close();

const offsets = staggerOffsets(probes.map((p) => ({ id: p.targetId, intervalMs: p.intervalMs })));
let planned = 0;
for (const off of offsets.values())
  if (off < elapsed) planned += Math.floor((elapsed - 1 - off) / INTERVAL) + 1;
const q = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))] ?? Number.NaN;
const s = runner.scheduler.stats;
const cpuS = (cpu.user + cpu.system) / 1e6;
console.log(
  JSON.stringify(
    {
      targets: TARGETS,
      intervalS: INTERVAL / 1000,
      runSeconds: elapsed / 1000,
      plannedRuns: planned,
      completedRuns: s.runs,
      stored,
      failed,
      missed: s.missed,
      late: s.late,
      flagged: s.flagged,
      cpuSeconds: +cpuS.toFixed(2),
      cpuPerSecond: +(cpuS / (elapsed / 1000)).toFixed(3),
      cpuSecondsPer1000Probes: +((cpuS / Math.max(1, s.runs)) * 1000).toFixed(3),
      threads: probesSectionSchema.parse({}).threads,
      probeLoopDelayMs: { p50: +q(sampleLoop, 0.5).toFixed(2), p99: +q(sampleLoop, 0.99).toFixed(2) },
      mainLoopDelayMs: {
        p50: +(loop.percentile(50) / 1e6).toFixed(2),
        p99: +(loop.percentile(99) / 1e6).toFixed(2),
        max: +(loop.max / 1e6).toFixed(2),
      },
      totalMs: { p50: +q(totals, 0.5).toFixed(3), p99: +q(totals, 0.99).toFixed(3) },
      rssMB: Math.round(process.memoryUsage().rss / 1e6),
    },
    null,
    2,
  ),
);
