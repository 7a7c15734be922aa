import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The store `vigil start` opens when the config names none: SQLite, relative to the data directory. */
export const DEFAULT_STORE_URL = 'sqlite:vigil.db';

/** The config file used when --config is not given: $VIGIL_CONFIG, else ./vigil.yaml. */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.VIGIL_CONFIG || 'vigil.yaml';
}

/** The data directory used when --data is not given: $VIGIL_DATA, else ./data. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.VIGIL_DATA || 'data';
}

/** The store URL of a loaded config (`store.url`), else the default — the one rule `vigil start` follows. */
export function storeUrlOf(config: Readonly<Record<string, unknown>> | undefined): string {
  return (config?.store as { url?: string } | undefined)?.url ?? DEFAULT_STORE_URL;
}

/** Where a command finds its config and data, resolved as `vigil start` resolves them. */
export interface CliPlaces {
  /** Absolute path of the config file. */
  configFile: string;
  /** True when the user named the config (--config or $VIGIL_CONFIG): then it must exist. */
  configNamed: boolean;
  /** Absolute path of the data directory. */
  dataDir: string;
}

/**
 * Resolves --config (else $VIGIL_CONFIG, else ./vigil.yaml) and --data (else $VIGIL_DATA, else
 * ./data) to absolute paths, exactly as `vigil start` does.
 */
export function cliPlaces(
  opts: { config?: string; data?: string },
  env: NodeJS.ProcessEnv = process.env,
): CliPlaces {
  return {
    configFile: resolve(opts.config ?? defaultConfigPath(env)),
    configNamed: opts.config !== undefined || Boolean(env.VIGIL_CONFIG),
    dataDir: resolve(opts.data ?? defaultDataDir(env)),
  };
}

/** True when a config was named, or the default ./vigil.yaml exists: the command must load it. */
export function configWanted(places: CliPlaces): boolean {
  return places.configNamed || existsSync(places.configFile);
}
