// vigil alone, in one process: alerts/s routed into the durable queue with delivery stopped, then
// notifications/s sent from the queue to a local webhook sink. No peer; for profiling
//   node --cpu-prof --import tsx bench/alerting/delivery-only.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
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
const store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'p-')), 'x.db')}`);
const config = alertmanagerConfigSchema.parse(
  parse(
    `route: { receiver: h, group_by: ['...'], group_wait: 0s, group_interval: 1h }\nreceivers: [{ name: h, webhook_configs: [{ url: "${url}" }] }]`,
  ),
);
const router = await AlertRouter.create({ config, store, log: silentLogger(), clock: systemClock });
const N = 3000;
const now = Date.now();
let t = performance.now();
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
console.log('ingest+route (no delivery running)', (N / (performance.now() - t)) * 1000, '/s');
t = performance.now();
await router.start();
await router.delivery.idle();
console.log('delivery', (N / (performance.now() - t)) * 1000, '/s', got);
await router.stop(1000);
await store.close();
server.close();
