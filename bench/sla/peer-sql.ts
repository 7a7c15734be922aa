// vigil's exact month figure from raw results vs the sample-counting SQL query most uptime tools
// run (availability = ok samples / all samples), on the same SQLite store in the same run.
// Run: nice node --import tsx bench/sla/peer-sql.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { insertProbeResults, openStore, type ProbeResult } from '../../core/index.js';
import {
  evaluateWindow,
  intervalResolver,
  monthRange,
  querySlaSamples,
  slaPolicySchema,
} from '../../sla/index.js';

const TZ = 'Europe/Amsterdam';
const [FROM, TO] = monthRange('2026-03', TZ);
const policy = slaPolicySchema.parse({
  id: 'std',
  availability: '99.9%',
  latency: { average_ms: 50 },
  quorum: 2,
});
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-sla-peer-'));
const store = await openStore(`sqlite:${join(dir, 'b.db')}`);
let seed = 7;
const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;

const t0 = performance.now();
let batch: ProbeResult[] = [];
let rows = 0;
for (let t = FROM; t < TO; t += 10_000) {
  for (const location of ['ams', 'fra', 'lon']) {
    const totalMs = 10 + rnd() * 60;
    batch.push({
      targetId: 'web/http',
      location,
      startedAt: new Date(t + Math.floor(rnd() * 300)).toISOString(),
      ok: rnd() > 0.0005,
      totalMs,
      loopDelayMs: 0,
      phases: { resolve: 0, connect: 0, tls: 0, processing: totalMs, transfer: 0 },
    });
  }
  if (batch.length >= 3000) {
    rows += await insertProbeResults(store.db, batch);
    batch = [];
  }
}
rows += await insertProbeResults(store.db, batch);
console.log(
  `node ${process.version}; inserted ${rows} results in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

async function median(fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < 3; i++) {
    const a = performance.now();
    await fn();
    ms.push(performance.now() - a);
  }
  return ms.sort((a, b) => a - b)[1]!;
}

let peer: unknown;
const peerMs = await median(async () => {
  peer = (
    await sql`SELECT count(*) AS n, sum(ok) AS up, avg(CASE WHEN ok = 1 THEN total_ms END) AS avg_ms FROM probe_results WHERE target_id = ${'web/http'} AND started_at >= ${FROM} AND started_at < ${TO}`.execute(
      store.db,
    )
  ).rows[0];
});
let figures: { availability: number | null; avgResponseMs: number | null } | undefined;
let queryMs = 0;
const vigilMs = await median(async () => {
  const q0 = performance.now();
  const results = await querySlaSamples(store.db, {
    targetIds: ['web/http'],
    fromMs: FROM - 20_000,
    toMs: TO,
  });
  queryMs = performance.now() - q0;
  figures = evaluateWindow({
    policy,
    resolve: intervalResolver([], TZ),
    probeIntervalMs: 10_000,
    samples: results,
    planned: [],
    fromMs: FROM,
    toMs: TO,
  }).figures;
});
console.log(`peer (SQL sample count): ${peerMs.toFixed(0)} ms → ${JSON.stringify(peer)}`);
console.log(
  `vigil (querySlaSamples + exact timeline): ${vigilMs.toFixed(0)} ms (of which query+decode ${queryMs.toFixed(0)} ms) → availability ${figures?.availability}, avg ${figures?.avgResponseMs?.toFixed(3)} ms`,
);
console.log(`ratio vigil / peer: ${(vigilMs / peerMs).toFixed(1)}×`);
await store.close();
rmSync(dir, { recursive: true, force: true });
