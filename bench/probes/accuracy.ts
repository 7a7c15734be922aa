// Accuracy and CPU of vigil's HTTP probe against Debian's prometheus-blackbox-exporter, in the
// same run, on a local server whose true per-request time is recorded server-side.
//   nice node --import tsx bench/probes/accuracy.ts [probesPerCell]
// Grid: server delay 0, 10, 50 ms × 1, 16, 128 concurrent probes. For each tool and cell:
// median and p99 of |measured − truth| for the processing phase (request sent → first byte;
// truth = request parsed → response written on the server) and for the whole probe, and CPU
// seconds per 1,000 probes (vigil: process.cpuUsage in its own child; blackbox: /proc/<pid>/stat).
import { fork, spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

const here = (f: string): string => fileURLToPath(new URL(f, import.meta.url));
const PER_CELL = Number(process.argv[2] ?? 300);
const DELAYS = [0, 10, 50];
const CONCS = [1, 16, 128];
const TICK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

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

function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK; // utime, stime (fields 14, 15)
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
}

interface Cell {
  /** Median |error| of processing over samples vigil did not flag (loop delay ≤ 20 ms). */
  unflaggedMed: number;
  unflaggedP99: number;
  flaggedShare: number;
  procMed: number;
  procP99: number;
  totMed: number;
  totP99: number;
  cpuPer1k: number;
  failed: number;
  n: number;
}

type Sample = { id: string; processing: number; total: number; ok: boolean; loopDelayMs?: number };

function summarise(samples: Sample[], truth: Record<string, number>, cpu: number): Cell {
  const ok = samples.filter((s) => s.ok && truth[s.id] !== undefined);
  const pe = ok.map((s) => Math.abs(s.processing - truth[s.id]!));
  const trusted = ok.filter((s) => (s.loopDelayMs ?? 0) <= 20);
  const ue = trusted.map((s) => Math.abs(s.processing - truth[s.id]!));
  const te = ok.map((s) => Math.abs(s.total - truth[s.id]!));
  return {
    unflaggedMed: quantile(ue, 0.5),
    unflaggedP99: quantile(ue, 0.99),
    flaggedShare: 1 - trusted.length / Math.max(1, ok.length),
    procMed: quantile(pe, 0.5),
    procP99: quantile(pe, 0.99),
    totMed: quantile(te, 0.5),
    totP99: quantile(te, 0.99),
    cpuPer1k: (cpu / samples.length) * 1000,
    failed: samples.length - ok.length,
    n: samples.length,
  };
}

async function main(): Promise<void> {
  const tsx = ['--import', 'tsx'];
  const server = fork(here('./truth-server.ts'), [], { execArgv: tsx });
  const port = await once(server, (m) => m.port as number | undefined);
  const base = `http://127.0.0.1:${port}`;
  const take = async (): Promise<Record<string, number>> => {
    const p = once(server, (m) => m.truth as Record<string, number> | undefined);
    server.send({ take: true });
    return p;
  };

  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-bb-'));
  writeFileSync(
    join(dir, 'bb.yml'),
    'modules:\n  http_2xx:\n    prober: http\n    timeout: 10s\n    http:\n      preferred_ip_protocol: ip4\n',
  );
  const bbPort = 19115 + Math.floor(Math.random() * 500);
  const bb = spawn(
    'prometheus-blackbox-exporter',
    [`--config.file=${join(dir, 'bb.yml')}`, `--web.listen-address=127.0.0.1:${bbPort}`, '--log.level=error'],
    { stdio: 'ignore' },
  );
  bb.on('error', (e) => {
    console.error(
      `prometheus-blackbox-exporter is needed (apt-get install prometheus-blackbox-exporter): ${e.message}`,
    );
    process.exit(2);
  });
  // vigil as `vigil probe` runs it (one event loop), and the same code spread over a ProbePool of
  // one thread per core at concurrency > 1, so what the threads add is seen in the same run.
  const worker = fork(here('./vigil-worker.ts'), [], { execArgv: tsx });
  const pooled = fork(here('./vigil-worker.ts'), [], {
    execArgv: tsx,
    env: { ...process.env, VIGIL_THREADS: String(availableParallelism()) },
  });
  await once(worker, (m) => (m.ready ? true : undefined));
  const threads = await once(pooled, (m) => (m.ready ? (m.threads as number) : undefined));
  for (let i = 0; i < 50; i++) {
    try {
      await (await request(`http://127.0.0.1:${bbPort}/-/healthy`)).body.text();
      break;
    } catch {
      await sleep(100);
    }
  }

  const runVigil = async (delayMs: number, concurrency: number, tag: string, w = worker): Promise<Cell> => {
    const p = once(w, (m) =>
      m.results ? (m as unknown as { results: Sample[]; cpuSeconds: number }) : undefined,
    );
    w.send({ base, delayMs, count: PER_CELL, concurrency, tag });
    const r = await p;
    return summarise(r.results, await take(), r.cpuSeconds);
  };

  const runBlackbox = async (delayMs: number, concurrency: number, tag: string): Promise<Cell> => {
    const out: Sample[] = [];
    const cpu0 = cpuOf(bb.pid!);
    let next = 0;
    const loop = async (): Promise<void> => {
      while (next < PER_CELL) {
        const id = `${tag}-${next++}`;
        const target = encodeURIComponent(`${base}/d?ms=${delayMs}&id=${id}`);
        const res = await request(`http://127.0.0.1:${bbPort}/probe?target=${target}&module=http_2xx`);
        const text = await res.body.text();
        const num = (re: RegExp): number => Number(re.exec(text)?.[1] ?? Number.NaN) * 1000;
        out.push({
          id,
          processing: num(/probe_http_duration_seconds\{phase="processing"\} (\S+)/),
          total: num(/^probe_duration_seconds (\S+)/m),
          ok: /^probe_success 1/m.test(text),
        });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    return summarise(out, await take(), cpuOf(bb.pid!) - cpu0);
  };

  // Warm up both (JIT, connection setup paths) and discard.
  await runVigil(0, 4, 'warm-v');
  await runVigil(0, 4, 'warm-s', pooled);
  await runBlackbox(0, 4, 'warm-b');

  const rows: string[] = [];
  const f = (x: number): string => x.toFixed(3);
  let k = 0;
  for (const delay of DELAYS) {
    for (const conc of CONCS) {
      const tag = `d${delay}c${conc}`;
      // Rotate which tool goes first, so drift in machine load does not favour one. At
      // concurrency 1 both vigil workers run the same inline path, so the pooled run is skipped.
      const runs: (() => Promise<Cell | undefined>)[] = [
        () => runVigil(delay, conc, `v${tag}`),
        () => runBlackbox(delay, conc, `b${tag}`),
        async () => (conc > 1 ? runVigil(delay, conc, `s${tag}`, pooled) : undefined),
      ];
      const got: (Cell | undefined)[] = [];
      for (let j = 0; j < 3; j++) {
        const at = (j + k) % 3;
        got[at] = await runs[at]!();
      }
      k++;
      const vv = got[0]!;
      const b = got[1]!;
      const s1 = got[2];
      const one = s1
        ? `${f(s1.procMed)} / ${f(s1.procP99)} | ${(s1.procMed / b.procMed).toFixed(2)} / ${(s1.procP99 / b.procP99).toFixed(2)} | ${f(s1.cpuPer1k)}`
        : '(same as vigil) | – | –';
      rows.push(
        `| ${delay} | ${conc} | ${f(vv.procMed)} / ${f(vv.procP99)} | ${f(b.procMed)} / ${f(b.procP99)} | ${(vv.procMed / b.procMed).toFixed(2)} / ${(vv.procP99 / b.procP99).toFixed(2)} | ${f(vv.totMed)} / ${f(vv.totP99)} | ${f(b.totMed)} / ${f(b.totP99)} | ${f(vv.cpuPer1k)} | ${f(b.cpuPer1k)} | ${(vv.cpuPer1k / b.cpuPer1k).toFixed(2)} | ${f(vv.unflaggedMed)} / ${f(vv.unflaggedP99)} (${(vv.flaggedShare * 100).toFixed(0)} % flagged) | ${vv.failed}/${b.failed} | ${one} |`,
      );
      console.error(rows.at(-1));
    }
  }
  console.log(`probes per tool and cell: ${PER_CELL}; pooled vigil threads: ${threads}; CLK_TCK ${TICK}\n`);
  console.log(
    '| delay ms | conc | vigil processing err med / p99 ms | blackbox processing err med / p99 ms | ratio med / p99 | vigil total err med / p99 ms | blackbox total err med / p99 ms | vigil CPU s / 1k | blackbox CPU s / 1k | CPU ratio | vigil processing err, unflagged samples only | failed v/b | pooled vigil processing err med / p99 | pooled ratio med / p99 | pooled CPU s / 1k |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  worker.send({ stop: true });
  pooled.send({ stop: true });
  await Promise.all([worker, pooled].map((w) => new Promise((r) => w.once('exit', r))));
  server.kill();
  bb.kill();
}

await main();
