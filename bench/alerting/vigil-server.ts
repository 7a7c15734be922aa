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
const config = alertmanagerConfigSchema.parse(parse(readFileSync(process.env.CONFIG!, 'utf8')));
const router = await AlertRouter.create({ config, store, log: silentLogger(), clock: systemClock });
await router.start();
const app = Fastify({ bodyLimit: 64 * 1024 * 1024 });
await app.register(alertingHttp({ router, db: store.db as AlertingDb }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => process.exit(0));
process.stdout.write('ready\n');
