// The vigil side of the alerting benchmark: the router with a SQLite store and the
// Alertmanager-compatible API, in its own process as Alertmanager is. Env: CONFIG (YAML), STORE, PORT.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { parse } from 'yaml';
import { openStore, silentLogger, systemClock } from '../../core/index.js';
import {
  AlertRouter,
  alertingHttp,
  alertmanagerConfigSchema,
  type AlertingDb,
} from '../../alerting/index.js';

const store = await openStore(`sqlite:${process.env.STORE}`);
// Counts store transactions (commits) for the report on stderr at exit when TX_COUNT is set.
let tx = 0;
if (process.env.TX_COUNT) {
  const db = store.db as { transaction: () => unknown };
  const begin = db.transaction.bind(db);
  db.transaction = () => (tx++, begin());
}
const config = alertmanagerConfigSchema.parse(parse(readFileSync(process.env.CONFIG!, 'utf8')));
const concurrency = process.env.SEND_CONCURRENCY ? Number(process.env.SEND_CONCURRENCY) : undefined;
const router = await AlertRouter.create({
  config,
  store,
  log: silentLogger(),
  clock: systemClock,
  concurrency,
});
await router.start();
const app = Fastify({ bodyLimit: 64 * 1024 * 1024 });
await app.register(alertingHttp({ router, db: store.db as AlertingDb }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
/** CPU seconds of this process's main thread (Linux /proc; the HTTP worker thread excluded). */
function mainThreadCpu(): number {
  const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}
const cpuAtReady = mainThreadCpu();
const procAtReady = process.cpuUsage();
process.on('SIGTERM', () => {
  // The CPU spent on the measured run (main thread, and all threads): steadier than alerts/s on
  // a shared machine, and the main thread is what bounds the router.
  if (process.env.TX_COUNT) {
    const p = process.cpuUsage(procAtReady);
    process.stderr.write(
      `vigil: ${tx} store transactions; CPU main thread ${(mainThreadCpu() - cpuAtReady).toFixed(2)} s, all threads ${((p.user + p.system) / 1e6).toFixed(2)} s\n`,
    );
  }
  process.exit(0);
});
process.stdout.write('ready\n');
