// Audit log benchmark. Part 1: requests/s and audit entries committed/s under HTTP load on the
// alerting API (the alerting bench's POST /api/v2/alerts batches of 50, plus reads of
// GET /api/v2/silences and /healthz), run with the audit hook off and on, interleaved. Part 2: time
// to verify a chain of N entries (default one million) on SQLite, from the store.
//   node --import tsx bench/audit/bench.ts [--duration 15] [--clients 8] [--rounds 2] [--verify 1000000]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { verifyBench } from './verify-bench.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '15' },
    clients: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '2' },
    verify: { type: 'string', default: '1000000' },
  },
});
const DURATION_MS = Number(values.duration) * 1000;
const CLIENTS = Number(values.clients);

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return p;
}

/** One client: the alerting bench's alert batches, every third request a read. */
async function client(base: string, token: string, id: number, until: number): Promise<number> {
  const authorization = `Bearer ${token}`;
  let n = 0;
  let seq = 0;
  while (Date.now() < until) {
    let r;
    if (n % 3 === 0) {
      const alerts = Array.from({ length: 50 }, () => ({
        labels: { alertname: 'Bench', client: String(id), seq: String(seq++ % 500) },
      }));
      r = await request(`${base}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify(alerts),
      });
    } else
      r = await request(`${base}${n % 3 === 1 ? '/healthz' : '/api/v2/silences'}`, {
        headers: { authorization },
      });
    await r.body.dump();
    n++;
  }
  return n;
}

interface RunResult {
  rps: number;
  entries: number;
  commits: number;
  seconds: number;
  /** Server CPU ms per 1000 requests. */
  cpuPer1000: number;
}

async function run(audit: boolean): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-audit-bench-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/audit/server.ts')], {
    env: {
      ...process.env,
      STORE: join(dir, 'vigil.db'),
      PORT: String(port),
      AUDIT: audit ? '1' : '0',
      DATA: dir,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  while (!/ready \S+\n/.test(out)) await new Promise((r) => setTimeout(r, 50));
  const token = /ready (\S+)\n/.exec(out)![1]!;
  const t0 = Date.now();
  const counts = await Promise.all(
    Array.from({ length: CLIENTS }, (_, i) => client(`http://127.0.0.1:${port}`, token, i, t0 + DURATION_MS)),
  );
  const seconds = (Date.now() - t0) / 1000;
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
  const stats = JSON.parse(
    out.split('\n').find((l) => l.startsWith('{')) ?? '{"entries":0,"commits":0,"cpuSeconds":0}',
  ) as { entries: number; commits: number; cpuSeconds: number };
  const total = counts.reduce((a, b) => a + b, 0);
  return {
    rps: total / seconds,
    entries: stats.entries,
    commits: stats.commits,
    seconds,
    cpuPer1000: (stats.cpuSeconds * 1e6) / total,
  };
}

const rows: string[] = [];
for (let round = 1; round <= Number(values.rounds); round++) {
  const off = await run(false);
  const on = await run(true);
  rows.push(
    `| ${round} | ${off.rps.toFixed(0)} | ${on.rps.toFixed(0)} | ${(on.rps / off.rps).toFixed(2)} | ${(on.entries / on.seconds).toFixed(0)} | ${on.commits} | ${(on.entries / Math.max(1, on.commits)).toFixed(1)} | ${off.cpuPer1000.toFixed(0)} / ${on.cpuPer1000.toFixed(0)} |`,
  );
  process.stdout.write(`${rows.at(-1)}\n`);
}
process.stdout.write(
  `\n| round | requests/s, audit off | requests/s, audit on | ratio | audit entries committed/s | commits | entries/commit | server CPU ms per 1000 requests, off / on |\n|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n\n`,
);
if (Number(values.verify) === 0) process.exit(0);
const v = await verifyBench(Number(values.verify));
process.stdout.write(
  `verify ${v.entries} entries: ${v.verifySeconds.toFixed(1)} s (${(v.entries / v.verifySeconds).toFixed(0)} entries/s), ok=${v.ok}; ` +
    `appending them in batches of ${v.batch}: ${v.appendSeconds.toFixed(1)} s (${(v.entries / v.appendSeconds).toFixed(0)} entries/s)\n`,
);
