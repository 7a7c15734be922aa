import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { LoadedConfig } from './wire/types.js';

/** This process's id among the instances on one store: host, pid and a random part (a reused pid must not pass for its predecessor). */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

/**
 * A short hash of the loaded config (its values after defaults, secrets included only as part of
 * the hash), shown per instance in `vigil cluster status` so a config that differs stands out.
 */
export function configHashOf(config: LoadedConfig): string {
  return createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 12);
}
