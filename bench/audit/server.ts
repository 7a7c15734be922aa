// The server side of the audit benchmark: vigil's HTTP kernel (server/createServer) with the
// alerting API, over a SQLite store, with the audit hook on (AUDIT=1) or off. Env: STORE, PORT,
// AUDIT, DATA. Prints "ready"; on SIGTERM stops the audit log (commits what is queued, signs a
// checkpoint) and prints {"entries","commits","cpuSeconds"} on stdout (CPU of the whole process
// from "ready" to SIGTERM: steadier than requests/s on a shared machine).
import { parse } from 'yaml';
import {
  AuditLog,
  auditKeyPath,
  createMetricsRegistry,
  loadOrCreateAuditKey,
  openStore,
  silentLogger,
  systemClock,
} from '../../core/index.js';
import {
  AlertRouter,
  alertingHttp,
  alertmanagerConfigSchema,
  type AlertingDb,
} from '../../alerting/index.js';
import { AuthService, authConfigFrom, createServer } from '../../server/index.js';
import { SecretBox } from '../../core/index.js';
import { randomBytes } from 'node:crypto';

const store = await openStore(`sqlite:${process.env.STORE}`);
const metrics = createMetricsRegistry();
const log = silentLogger();
// A receiver without integrations: alerts are routed and stored, nothing is sent, so the run
// measures the HTTP path and the audit log, not webhook delivery.
const config = alertmanagerConfigSchema.parse(
  parse(`route: { receiver: void, group_by: ['...'], group_wait: 0s }\nreceivers: [{ name: void }]`),
);
const router = await AlertRouter.create({ config, store, log, clock: systemClock });
await router.start();
const audit =
  process.env.AUDIT === '1'
    ? new AuditLog({
        store,
        log,
        clock: systemClock,
        signer: loadOrCreateAuditKey(auditKeyPath(process.env.DATA!)),
        metrics,
      })
    : undefined;
await audit?.start();
// Real accounts: the load authenticates with an API token, as a real client must.
const authConfig = authConfigFrom({ auth: undefined });
const authService = new AuthService({
  store,
  box: new SecretBox([{ id: 'k1', key: randomBytes(32) }], 'k1'),
  clock: systemClock,
  argon2: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
  limits: {
    idleTimeoutMs: authConfig.session.idle_timeout,
    absoluteLifetimeMs: authConfig.session.absolute_lifetime,
  },
});
const token = await authService.tokens.create(
  { name: 'bench', scopes: ['alerting:read', 'alerting:write'], createdBy: 'bench' },
  Date.now(),
);
const app = await createServer({
  log,
  metrics,
  readiness: async () => ({ ok: true, reasons: [] }),
  auth: {
    service: authService,
    config: authConfig,
    clock: systemClock,
    allowedHosts: [],
    allowedOrigins: [],
    agentTokens: [],
  },
  plugins: [alertingHttp({ router, db: store.db as AlertingDb })],
  ...(audit ? { audit: (e) => audit.append(e) } : {}),
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
let cpuAtReady = process.cpuUsage();
process.on('SIGTERM', () => {
  void (async () => {
    const cpu = process.cpuUsage(cpuAtReady);
    await app.close();
    await audit?.stop();
    const value = async (name: string) => (await metrics.getSingleMetric(name)?.get())?.values[0]?.value ?? 0;
    process.stdout.write(
      `${JSON.stringify({
        entries: await value('vigil_audit_entries_total'),
        commits: await value('vigil_audit_commits_total'),
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
      })}\n`,
    );
    await router.stop(1000);
    await store.close();
    process.exit(0);
  })();
});
cpuAtReady = process.cpuUsage();
process.stdout.write(`ready ${token}\n`);
