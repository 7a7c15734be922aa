import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { expandEnv } from '../core/index.js';
import { defaultConfigPath } from './paths.js';

/** The options by which a command names its store. */
export interface CliStoreOptions {
  store?: string;
  config?: string;
  data?: string;
}

/**
 * The store a command works on, resolved the way the store commands do: `--store`, else
 * `store.url` of the config (`--config`, else the default config when it exists), else
 * `sqlite:vigil.db`; a relative SQLite path is resolved against `--data` when the command has
 * one, else the working directory. The config is read as plain YAML (with `${ENV}` expanded), so
 * a config with problems elsewhere still names its store.
 */
export function cliStoreLocation(opts: CliStoreOptions): { url: string; baseDir: string } {
  const baseDir = resolve(opts.data ?? process.cwd());
  if (opts.store) return { url: opts.store, baseDir };
  const file = opts.config ?? defaultConfigPath();
  let url = 'sqlite:vigil.db';
  if (existsSync(file)) {
    const top = parseYaml(readFileSync(file, 'utf8')) as { store?: { url?: unknown } } | null;
    if (typeof top?.store?.url === 'string') url = expandEnv(top.store.url, process.env).value;
  }
  return { url, baseDir };
}
