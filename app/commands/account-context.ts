import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { ConfigError, errorMessage, systemClock, type Store } from '../../core/index.js';
import type { AuthService } from '../../server/index.js';
import { openAuth } from '../auth.js';
import { issueLines } from '../load.js';
import { cliContext, openCliStore, placeOptions, type PlaceOptions } from '../cli-store.js';
import type { LoadedConfig } from '../wire/types.js';

export type AccountOpts = PlaceOptions;

/** --config/--data/--store as `vigil start` takes them, so the CLI finds the same store and key file. */
export const accountOptions = (c: Command): Command =>
  placeOptions(c, { dataHelp: 'data directory (the SQLite store and the key file live here)' });

export interface AccountContext {
  config: LoadedConfig;
  store: Store;
  service: AuthService;
  dataDir: string;
  /** The operating-system user running the command: the actor of what it changes. */
  actor: string;
}

/**
 * Opens config, store and accounts the way `vigil start` does, through the one rule every command
 * follows (app/cli-store.ts: --config, $VIGIL_CONFIG, ./vigil.yaml; --data, $VIGIL_DATA, ./data;
 * store.url relative to the data directory), the key file under the data directory. Without a
 * config file the defaults apply (store `sqlite:vigil.db`). Accounts may be set up before the
 * first start, so the store is created when missing.
 */
export async function withAccounts<T>(
  opts: AccountOpts,
  fn: (ctx: AccountContext) => Promise<T>,
): Promise<T> {
  const ctx = cliContext(opts);
  const config = ctx.config ?? ({ __file: ctx.places.configFile } as LoadedConfig);
  const dataDir = ctx.places.dataDir;
  const store = await openCliStore(ctx, { create: true });
  try {
    const { service } = openAuth(config, store, dataDir, systemClock);
    return await fn({ config, store, service, dataDir, actor: `os:${userInfo().username}` });
  } finally {
    await store.close();
  }
}

/** Runs a command action; errors become one sentence on stderr and exit code 2. */
export function run(cmd: string, action: () => Promise<void>): Promise<void> {
  return action().catch((err: unknown) => {
    if (err instanceof ConfigError) for (const line of issueLines(err)) process.stderr.write(`${line}\n`);
    else process.stderr.write(`vigil ${cmd}: ${errorMessage(err)}\n`);
    process.exitCode = 2;
  });
}

/** A date (YYYY-MM-DD, end of that day UTC) or an ISO time; throws with the flag's name. */
export function parseUntil(text: string, flag: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T23:59:59.999Z`) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new Error(`${flag} "${text}" is not a date (YYYY-MM-DD or ISO 8601)`);
  return ms;
}

/** The customer ids of config, to check --customer against (none configured: anything goes). */
export function checkCustomer(config: LoadedConfig, id: string | undefined): void {
  if (id === undefined) return;
  const customers = config.customers as Array<{ id: string }> | undefined;
  if (customers && !customers.some((c) => c.id === id))
    throw new Error(
      `--customer "${id}" is not in customers (known: ${customers.map((c) => c.id).join(', ')})`,
    );
}

export const iso = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString());
