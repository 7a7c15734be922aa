import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { VigilError, openStore, type Store } from '../core/index.js';
import { loadVigilConfig } from './load.js';
import { cliPlaces, configWanted, storeUrlOf, type CliPlaces } from './paths.js';
import type { LoadedConfig } from './wire/types.js';

/** The options every command that reads the config, the data directory or the store takes. */
export interface PlaceOptions {
  config?: string;
  data?: string;
  store?: string;
}

/** What a command works with: where things are, the config (when there is one), the store URL. */
export interface CliContext {
  places: CliPlaces;
  config: LoadedConfig | undefined;
  storeUrl: string;
}

/**
 * Adds --config, --data and (with `store`) --store with no commander default, so the one rule
 * in `cliPlaces` decides (`--config`, `$VIGIL_CONFIG`, `./vigil.yaml`; `--data`, `$VIGIL_DATA`, `./data`).
 */
export function placeOptions(c: Command, opts: { store?: boolean; dataHelp?: string } = {}): Command {
  c.option('-c, --config <file>', 'config file (default: $VIGIL_CONFIG, else ./vigil.yaml)').option(
    '-d, --data <dir>',
    `${opts.dataHelp ?? 'data directory (the SQLite store lives here)'} (default: $VIGIL_DATA, else ./data)`,
  );
  if (opts.store !== false)
    c.option(
      '--store <url>',
      'store URL (default: store.url of the config, else sqlite:vigil.db in the data directory)',
    );
  return c;
}

/**
 * Resolves config, data directory and store URL exactly as `vigil start` does. A named config
 * (--config, $VIGIL_CONFIG) must load; the default ./vigil.yaml is loaded when it exists.
 * `optionalConfig`: a named config that does not exist is treated as none (ad-hoc runs with --input).
 */
export function cliContext(opts: PlaceOptions, { optionalConfig = false } = {}): CliContext {
  const places = cliPlaces(opts);
  const skip = !configWanted(places) || (optionalConfig && !existsSync(places.configFile));
  const config = skip ? undefined : loadVigilConfig(places.configFile);
  return { places, config, storeUrl: opts.store ?? storeUrlOf(config) };
}

/** The SQLite file a `sqlite:` URL names, resolved against the data directory; undefined for others. */
export function sqliteFileOf(url: string, dataDir: string): string | undefined {
  if (!url.startsWith('sqlite:')) return undefined;
  const path = url.slice('sqlite:'.length);
  return path === ':memory:' ? undefined : resolve(dataDir, path);
}

/**
 * Opens the store of `ctx`. Unless `create`, refuses a SQLite store that does not exist yet: a
 * command run from the wrong directory must say so, not create a stray empty database.
 */
export async function openCliStore(ctx: CliContext, { create = false } = {}): Promise<Store> {
  const file = sqliteFileOf(ctx.storeUrl, ctx.places.dataDir);
  if (file && !create && !existsSync(file))
    throw new VigilError('APP_NO_STORE', `no vigil store at ${file}; run vigil start first or pass --data`);
  return openStore(ctx.storeUrl, { baseDir: ctx.places.dataDir });
}

/** Runs `fn` with the command's config and store, closing the store afterwards. */
export async function withCliStore<T>(
  opts: PlaceOptions,
  fn: (config: LoadedConfig | undefined, store: Store, ctx: CliContext) => Promise<T>,
  flags: { optionalConfig?: boolean; create?: boolean } = {},
): Promise<T> {
  const ctx = cliContext(opts, flags);
  const store = await openCliStore(ctx, flags);
  try {
    return await fn(ctx.config, store, ctx);
  } finally {
    await store.close();
  }
}

/** The options by which a command names its store (as every command does: see `placeOptions`). */
export type CliStoreOptions = PlaceOptions;

/**
 * Opens the store a command works on, resolved by the one rule above (`--store`, else the
 * config's `store.url`, else `sqlite:vigil.db` in the data directory). Unless `create` (a command
 * that makes its own store, as an ad-hoc `analyze run --input`), it never creates one: an audited
 * command run from the wrong place says so instead of recording into a stray database.
 */
export async function openExistingCliStore(
  opts: CliStoreOptions,
  { create = false, optionalConfig = false }: { create?: boolean; optionalConfig?: boolean } = {},
): Promise<Store> {
  return openCliStore(cliContext(opts, { optionalConfig }), { create });
}
