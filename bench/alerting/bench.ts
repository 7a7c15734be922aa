// Alert router benchmark: vigil vs Prometheus Alertmanager (Debian prometheus-alertmanager) on
// loopback in the same run. Both get the same config (group_by ['...'], group_wait 0s, one
// webhook) and the same alerts over POST /api/v2/alerts; a local webhook sink timestamps arrivals.
// Reports alerts/s ingested (POSTs answered), alerts/s routed and delivered (all webhooks
// received), ingest-to-webhook latency p50/p99, and CPU seconds per 1000 alerts (all threads of each
// peer's process, /proc, start-up excluded).
//   node --import tsx bench/alerting/bench.ts [--alerts 3000] [--batch 50] [--concurrency 4]
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { request } from 'undici';

const AM = '/usr/bin/prometheus-alertmanager';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: {
    alerts: { type: 'string', default: '3000' },
    batch: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '4' },
  },
});
const N = Number(values.alerts);
const BATCH = Number(values.batch);
const CONC = Number(values.concurrency);

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return p;
}

/** Webhook sink: records when each alert (label seq) first arrives. */
async function sink() {
  const arrived = new Map<string, number>();
  let want = 0;
  let done: (() => void) | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = performance.now();
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { alerts: { labels: { seq: string } }[] };
      for (const a of body.alerts) if (!arrived.has(a.labels.seq)) arrived.set(a.labels.seq, now);
      res.writeHead(200).end();
      if (done && arrived.size >= want) done();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    arrived,
    expect(n: number) {
      arrived.clear();
      want = n;
      return new Promise<void>((r) => (done = r));
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

async function waitReady(url: string, proc: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error(`peer exited with ${proc.exitCode}`);
    try {
      const r = await request(url);
      await r.body.dump();
      if (r.statusCode < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready`);
}

/**
 * CPU seconds a process has used, all threads (Linux /proc/PID/stat utime + stime, in clock ticks
 * of 1/100 s). Measured around the run, so start-up is left out: CPU per alert is steadier than
 * alerts/s when other work shares the machine.
 */
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function drive(base: string, s: Awaited<ReturnType<typeof sink>>, runId: string, pid: number) {
  const cpu0 = cpuSeconds(pid);
  const arrivals = s.expect(N);
  const sentAt = new Map<string, number>();
  const now = Date.now();
  const batches: { labels: Record<string, string>; startsAt: string; endsAt: string }[][] = [];
  for (let i = 0; i < N; i += BATCH) {
    batches.push(
      Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => ({
        labels: { alertname: 'BenchDown', run: runId, seq: String(i + j), service: `svc-${(i + j) % 97}` },
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
      })),
    );
  }
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONC }, async () => {
      while (next < batches.length) {
        const b = batches[next++]!;
        const at = performance.now();
        for (const a of b) sentAt.set(a.labels.seq!, at);
        const r = await request(`${base}/api/v2/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(b),
        });
        await r.body.dump();
        if (r.statusCode !== 200) throw new Error(`POST answered ${r.statusCode}`);
      }
    }),
  );
  const ingested = performance.now() - t0;
  await arrivals;
  const delivered = performance.now() - t0;
  const lat = [...s.arrived].map(([seq, at]) => at - sentAt.get(seq)!).sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!;
  return {
    cpuMsPer1000: ((cpuSeconds(pid) - cpu0) * 1_000_000) / N,
    ingestPerSec: (N / ingested) * 1000,
    deliveredPerSec: (N / delivered) * 1000,
    p50: q(0.5),
    p99: q(0.99),
  };
}

async function main() {
  if (!existsSync(AM)) throw new Error(`${AM} missing: apt-get install prometheus-alertmanager`);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-alerting-'));
  const s = await sink();
  const cfg = join(dir, 'am.yml');
  writeFileSync(
    cfg,
    `route:\n  receiver: hook\n  group_by: ['...']\n  group_wait: 0s\n  group_interval: 1h\n  repeat_interval: 24h\nreceivers:\n  - name: hook\n    webhook_configs: [{ url: "${s.url}", send_resolved: false }]\n`,
  );
  const results: Record<string, Awaited<ReturnType<typeof drive>>> = {};
  const procs: ChildProcess[] = [];
  try {
    const amPort = await freePort();
    const am = spawn(
      AM,
      [
        `--config.file=${cfg}`,
        `--storage.path=${join(dir, 'am-data')}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        '--cluster.listen-address=',
      ],
      { stdio: 'ignore' },
    );
    procs.push(am);
    await waitReady(`http://127.0.0.1:${amPort}/-/ready`, am);
    results.alertmanager = await drive(`http://127.0.0.1:${amPort}`, s, 'am', am.pid!);
    am.kill('SIGTERM');

    const vPort = await freePort();
    const prof = process.env.PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROF_DIR}`] : [];
    const v = spawn(
      process.execPath,
      [...prof, '--import', 'tsx', join(ROOT, 'bench/alerting/vigil-server.ts')],
      {
        cwd: ROOT,
        env: { ...process.env, CONFIG: cfg, STORE: join(dir, 'vigil.db'), PORT: String(vPort) },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    procs.push(v);
    await waitReady(`http://127.0.0.1:${vPort}/api/v2/silences`, v);
    results.vigil = await drive(`http://127.0.0.1:${vPort}`, s, 'vigil', v.pid!);
  } finally {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const a = results.alertmanager!;
  const v = results.vigil!;
  const f = (x: number) => x.toFixed(0);
  const g = (x: number) => x.toFixed(1);
  const lines = [
    `alerts=${N} batch=${BATCH} concurrency=${CONC} (group_by ['...'], group_wait 0s: one webhook per alert)`,
    `| | Alertmanager | vigil | vigil / Alertmanager |`,
    `|---|---|---|---|`,
    `| ingested, alerts/s | ${f(a.ingestPerSec)} | ${f(v.ingestPerSec)} | ${(v.ingestPerSec / a.ingestPerSec).toFixed(2)} |`,
    `| routed and delivered, alerts/s | ${f(a.deliveredPerSec)} | ${f(v.deliveredPerSec)} | ${(v.deliveredPerSec / a.deliveredPerSec).toFixed(2)} |`,
    `| ingest→webhook p50, ms | ${g(a.p50)} | ${g(v.p50)} | ${(v.p50 / a.p50).toFixed(2)} |`,
    `| ingest→webhook p99, ms | ${g(a.p99)} | ${g(v.p99)} | ${(v.p99 / a.p99).toFixed(2)} |`,
    `| CPU per 1000 alerts (all threads), ms | ${f(a.cpuMsPer1000)} | ${f(v.cpuMsPer1000)} | ${(v.cpuMsPer1000 / a.cpuMsPer1000).toFixed(2)} |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
