// Timing accuracy of a one-request k6 script probe against the plain http probe, in the same run,
// on the same local server whose true per-request time is recorded server-side (truth-server.ts).
//   nice node --import tsx bench/probes/script-accuracy.ts [runsPerCell]
// For each server delay (0, 10, 50 ms), runs alternate: http probe, script probe, … one at a time
// (as the scheduler runs one target), each on a fresh connection. Reported per probe kind: median
// and p99 of |processing − truth| and |total − truth|, the script's run overhead (wall time of the
// run minus its request: thread start, init, teardown), and CPU ms per run (all threads).
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  compileScript,
  httpProbe,
  httpProbeSchema,
  runScriptProbe,
  type ProbeTarget,
} from '../../probes/index.js';

const here = (f: string): string => fileURLToPath(new URL(f, import.meta.url));
const RUNS = Number(process.argv[2] ?? 200);
const DELAYS = [0, 10, 50];

const SCRIPT = `import http from 'k6/http';
import { check } from 'k6';
export default function () {
  check(http.get(__ENV.URL), { 'status is 200': (r) => r.status === 200 });
}
`;

function once<T>(child: ChildProcess, pick: (m: Record<string, unknown>) => T | undefined): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: Record<string, unknown>): void => {
      const v = pick(m);
      if (v !== undefined) {
        child.off('message', on);
        resolve(v);
      }
    };
    child.on('message', on);
  });
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
}

type Sample = { id: string; processing: number; total: number; ok: boolean; wall: number; cpu: number };

const target = (type: ProbeTarget['type']): ProbeTarget => ({
  id: `bench/${type}`,
  serviceId: 'bench',
  type,
  location: 'local',
  intervalMs: 60_000,
  timeoutMs: 10_000,
});

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function main(): Promise<void> {
  const server = fork(here('./truth-server.ts'), [], { execArgv: ['--import', 'tsx'] });
  const port = await once(server, (m) => m.port as number | undefined);
  const base = `http://127.0.0.1:${port}`;
  const take = async (): Promise<Record<string, number>> => {
    const p = once(server, (m) => m.truth as Record<string, number> | undefined);
    server.send({ take: true });
    return p;
  };
  const code = compileScript(SCRIPT).code!;
  const signal = new AbortController().signal;

  const runHttp = async (url: string, id: string): Promise<Sample> => {
    const probe = httpProbe(httpProbeSchema.parse({ type: 'http', url }));
    const c0 = cpuMs();
    const t0 = performance.now();
    const r = await probe.run(target('http'), signal);
    return {
      id,
      processing: r.phases.processing,
      total: r.totalMs,
      ok: r.ok,
      wall: performance.now() - t0,
      cpu: cpuMs() - c0,
    };
  };
  const runScript = async (url: string, id: string): Promise<Sample> => {
    const c0 = cpuMs();
    const t0 = performance.now();
    const { result: r } = await runScriptProbe(
      {
        code,
        filename: 'one-request.js',
        env: { URL: url },
        files: {},
        dir: '/',
        iterations: 1,
        timeoutMs: 10_000,
        memoryMb: 64,
        hosts: {},
        insecure: false,
        maxBodyBytes: 1 << 20,
      },
      target('script'),
      signal,
    );
    return {
      id,
      processing: r.phases.processing,
      total: r.totalMs,
      ok: r.ok,
      wall: performance.now() - t0,
      cpu: cpuMs() - c0,
    };
  };

  // Warm-up (JIT, the script thread's first start), discarded.
  for (let i = 0; i < 20; i++) {
    await runHttp(`${base}/d?ms=0&id=warm-h${i}`, '');
    await runScript(`${base}/d?ms=0&id=warm-s${i}`, '');
  }
  await take();

  const f = (x: number): string => x.toFixed(3);
  const rows: string[] = [];
  for (const delay of DELAYS) {
    const got: Record<'http' | 'script', Sample[]> = { http: [], script: [] };
    for (let i = 0; i < RUNS; i++) {
      // Alternate which kind goes first, so drift in machine load favours neither.
      const order: ('http' | 'script')[] = i % 2 === 0 ? ['http', 'script'] : ['script', 'http'];
      for (const kind of order) {
        const id = `${kind}-${delay}-${i}`;
        const url = `${base}/d?ms=${delay}&id=${id}`;
        got[kind].push(await (kind === 'http' ? runHttp(url, id) : runScript(url, id)));
      }
    }
    const truth = await take();
    for (const kind of ['http', 'script'] as const) {
      const ok = got[kind].filter((s) => s.ok && truth[s.id] !== undefined);
      const pe = ok.map((s) => Math.abs(s.processing - truth[s.id]!));
      const te = ok.map((s) => Math.abs(s.total - truth[s.id]!));
      const overhead = ok.map((s) => s.wall - s.total);
      const cpu = got[kind].map((s) => s.cpu);
      rows.push(
        `| ${delay} | ${kind} | ${f(quantile(pe, 0.5))} / ${f(quantile(pe, 0.99))} | ${f(quantile(te, 0.5))} / ${f(quantile(te, 0.99))} | ${f(quantile(overhead, 0.5))} / ${f(quantile(overhead, 0.99))} | ${f(quantile(cpu, 0.5))} | ${got[kind].length - ok.length} |`,
      );
      console.error(rows.at(-1));
    }
  }
  console.log(`runs per kind and delay: ${RUNS}\n`);
  console.log(
    '| delay ms | probe | processing err med / p99 ms | total err med / p99 ms | run overhead med / p99 ms (wall − total) | CPU ms / run (median) | failed |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  server.kill();
}

await main();
