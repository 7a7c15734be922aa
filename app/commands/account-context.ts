import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, errorMessage, openStore, systemClock, type Store } from '../../core/index.js';
import type { AuthService } from '../../server/index.js';
import { openAuth } from '../auth.js';
import { issueLines, loadVigilConfig } from '../load.js';
import { defaultConfigPath, defaultDataDir } from '../paths.js';
import type { LoadedConfig } from '../wire/types.js';

export interface AccountOpts {
  config: string;
  data: string;
  store?: string;
}

/** --config/--data/--store as `vigil start` takes them, so the CLI finds the same store and key file. */
export const accountOptions = (c: Command): Command =>
  c
    .option('-c, --config <file>', 'config file', defaultConfigPath())
    .option(
      '-d, --data <dir>',
      'data directory (the SQLite store and the key file live here)',
      defaultDataDir(),
    )
    .option('--store <url>', 'store URL (default: store.url of the config)');

export interface AccountContext {
  config: LoadedConfig;
  store: Store;
  service: AuthService;
  dataDir: string;
  /** The operating-system user running the command: the actor of what it changes. */
  actor: string;
}

/**
 * Opens config, store and accounts the way `vigil start` does (store.url relative to the data
 * directory, the key file under it). A local helper: no shared "open the configured store" helper
 * exists in this branch yet. Without a config file the defaults apply (store `sqlite:vigil.db`).
 */
export async function withAccounts<T>(
  opts: AccountOpts,
  fn: (ctx: AccountContext) => Promise<T>,
): Promise<T> {
  const config = existsSync(opts.config)
    ? loadVigilConfig(opts.config)
    : ({ __file: opts.config } as LoadedConfig);
  const dataDir = resolve(opts.data);
  const url = opts.store ?? (config.store as { url?: string } | undefined)?.url ?? 'sqlite:vigil.db';
  const store = await openStore(url, { baseDir: dataDir });
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
