import type { Command } from 'commander';
import {
  addKey,
  createMetricsRegistry,
  dropOldKeys,
  loadKeyRing,
  openStore,
  silentLogger,
  systemClock,
} from '../../core/index.js';
import { AuthService, createServer, formatMatrix, rbacMatrix, type MatrixRow } from '../../server/index.js';
import type { LoadedConfig } from '../wire/types.js';
import { keyFilePath, openAuth, serverAuthFrom } from '../auth.js';
import { OpenAlerts } from '../open-alerts.js';
import { wireDomains } from '../runtime.js';
import type { Sinks } from '../wire/types.js';
import { accountOptions, run, withAccounts, type AccountOpts } from './account-context.js';

/** `vigil rbac matrix` and `vigil keys rotate|prune`. */
export function registerRbacCommands(program: Command): void {
  const rbac = program.command('rbac').description('the function matrix (S12): roles and rights');
  accountOptions(
    rbac.command('matrix').description('route × role as enforced, from the routes vigil start registers'),
  )
    .option('--json', 'JSON: {roles, routes: [{method, url, permission, allowed: {role: bool}}]}')
    .action((o: AccountOpts & { json?: boolean }) =>
      run('rbac matrix', () =>
        withAccounts(o, async (ctx) => {
          const rows = await computeRbacMatrix(ctx.config, ctx.dataDir, ctx.service.roles);
          const roles = ctx.service.roles.all().map((r) => ({
            name: r.name,
            description: r.description,
            permissions: r.permissions,
            customerScoped: r.customerScoped,
          }));
          if (o.json) process.stdout.write(`${JSON.stringify({ roles, routes: rows }, null, 2)}\n`);
          else process.stdout.write(`${formatMatrix(rows, ctx.service.roles.names())}\n`);
        }),
      ),
    );

  const keys = program.command('keys').description('the key file that encrypts secrets at rest');
  accountOptions(
    keys.command('rotate').description('add a new key, make it current and re-encrypt every stored secret'),
  ).action((o: AccountOpts) =>
    run('keys rotate', () =>
      withAccounts(o, async (ctx) => {
        const file = keyFilePath(ctx.config, ctx.dataDir);
        const { box, keyId } = addKey(file);
        const n = await ctx.service.reencrypt(box);
        process.stdout.write(
          `new key ${keyId} in ${file}; ${n} secret(s) re-encrypted. Reload vigil start (SIGHUP), then run vigil keys prune to drop the old keys.\n`,
        );
      }),
    ),
  );
  accountOptions(
    keys.command('prune').description('re-encrypt what still uses an old key, then drop the old keys'),
  ).action((o: AccountOpts) =>
    run('keys prune', () =>
      withAccounts(o, async (ctx) => {
        const file = keyFilePath(ctx.config, ctx.dataDir);
        const n = await new AuthService({ ...ctx.service.o, box: loadKeyRing(file) }).reencrypt(
          loadKeyRing(file),
        );
        dropOldKeys(file);
        process.stdout.write(`${n} secret(s) re-encrypted; only the current key is left in ${file}\n`);
      }),
    ),
  );
}

/**
 * Route × role as `vigil start` would enforce it: a server wired as start wires it, over a scratch
 * store (nothing starts, nothing listens). Used by `vigil rbac matrix` and the evidence export.
 */
export async function computeRbacMatrix(
  config: LoadedConfig,
  dataDir: string,
  roles: AuthService['roles'],
): Promise<MatrixRow[]> {
  const scratch = await openStore('sqlite::memory:');
  try {
    const log = silentLogger();
    const sinks: Sinks = {
      alerts: async () => undefined,
      probeResults: async () => undefined,
      findings: async () => undefined,
    };
    const metrics = createMetricsRegistry({ defaults: false });
    const wctx = { log, metrics, store: scratch, clock: systemClock, dataDir, config, sinks };
    const { plugins } = await wireDomains(wctx, new OpenAlerts(() => Date.now()));
    const auth = openAuth(config, scratch, dataDir, systemClock);
    const server = await createServer({
      log,
      metrics,
      readiness: async () => ({ ok: true, reasons: [] }),
      plugins,
      auth: serverAuthFrom(config, auth.service, systemClock, sinks.alerts, log),
    });
    const rows = rbacMatrix(server.permissions, roles, auth.config.public_paths);
    await server.close();
    return rows;
  } finally {
    await scratch.close();
  }
}
