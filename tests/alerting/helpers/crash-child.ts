// A router process for the crash test: SQLite store in STORE, webhook receiver at HOOK; with
// INGEST=N it posts N alerts in N groups first. Sends one notification at a time.
import { parse } from 'yaml';
import { openStore, silentLogger, systemClock } from '../../../core/index.js';
import { AlertRouter, alertmanagerConfigSchema } from '../../../alerting/index.js';

const store = await openStore(`sqlite:${process.env.STORE}`);
const config = alertmanagerConfigSchema.parse(
  parse(`
route: { receiver: hook, group_by: [alertname], group_wait: 0s, group_interval: 1s, repeat_interval: 1h }
receivers: [{ name: hook, webhook_configs: [{ url: "${process.env.HOOK}" }] }]
vigil: { retry_initial: 50ms, retry_max: 200ms }`),
);
const router = await AlertRouter.create({
  config,
  store,
  log: silentLogger(),
  clock: systemClock,
  concurrency: 1,
});
await router.start();
const n = Number(process.env.INGEST ?? 0);
if (n > 0) {
  const now = Date.now();
  await router.ingest(
    Array.from({ length: n }, (_, i) => ({
      labels: { alertname: `Down${i}` },
      annotations: {},
      startsAt: new Date(now - 1000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
    })),
  );
}
process.stdout.write('ready\n');
setInterval(() => undefined, 1000); // stay alive until killed
