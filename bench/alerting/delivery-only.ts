// vigil alone, in one process: alerts routed into the durable queue with delivery stopped, then
// notifications sent from the queue to a local webhook sink (MODE=mixed: delivery runs during
// ingest, as in the real benchmark). Reports rate, CPU time per alert (steadier than rates on a
// shared machine) and the store transactions committed. No peer; for profiling:
//   node --cpu-prof --import tsx bench/alerting/delivery-only.ts   (env N=3000 MODE=split|mixed)
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { openStore, silentLogger, systemClock } from '../../core/index.js';
import { AlertRouter, alertmanagerConfigSchema } from '../../alerting/index.js';

let got = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    got++;
    res.writeHead(200).end();
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const dir = mkdtempSync(join(tmpdir(), 'vigil-delivery-only-'));
const store = await openStore(`sqlite:${join(dir, 'x.db')}`);
// Counts transactions: each is a commit, the unit of store cost that batching saves.
let tx = 0;
const db = store.db as { transaction: () => unknown };
const begin = db.transaction.bind(db);
db.transaction = () => (tx++, begin());
const config = alertmanagerConfigSchema.parse(
  parse(
    `route: { receiver: h, group_by: ['...'], group_wait: 0s, group_interval: 1h }\nreceivers: [{ name: h, webhook_configs: [{ url: "${url}" }] }]`,
  ),
);
const router = await AlertRouter.create({ config, store, log: silentLogger(), clock: systemClock });
const N = Number(process.env.N ?? 3000);
const mixed = process.env.MODE === 'mixed';
const now = Date.now();
// Process CPU counts every thread (the HTTP worker and this sink too); the main thread's busy
// time (event loop utilisation) is what limits the router.
let elu = performance.eventLoopUtilization();
const report = (what: string, t: number, c: NodeJS.CpuUsage) => {
  const busy = performance.eventLoopUtilization(elu).active;
  elu = performance.eventLoopUtilization();
  console.log(
    `${what}: ${((N / (performance.now() - t)) * 1000).toFixed(0)}/s, process CPU ${((c.user + c.system) / N).toFixed(0)} µs/alert, main thread busy ${((busy * 1000) / N).toFixed(0)} µs/alert, ${tx} transactions`,
  );
};
if (mixed) await router.start();
let t = performance.now();
let c0 = process.cpuUsage();
elu = performance.eventLoopUtilization();
for (let i = 0; i < N; i += 50) {
  await router.ingest(
    Array.from({ length: 50 }, (_, j) => ({
      labels: { alertname: 'X', seq: String(i + j) },
      annotations: {},
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3600000).toISOString(),
    })),
  );
}
if (!mixed) {
  report('ingest+route (no delivery running)', t, process.cpuUsage(c0));
  t = performance.now();
  c0 = process.cpuUsage();
  elu = performance.eventLoopUtilization();
  tx = 0;
  await router.start();
}
await router.delivery.idle();
report(mixed ? 'ingest+route+delivery' : 'delivery', t, process.cpuUsage(c0));
console.log(`sink received ${got}`);
await router.stop(1000);
await store.close();
server.close();
rmSync(dir, { recursive: true, force: true });
