import { afterAll, beforeAll, inject } from 'vitest';
import {
  createDatabase,
  dropDatabase,
  startPostgresCluster,
  type PgCluster,
  type PgClusterInfo,
} from './postgres.js';

let ownCluster: Promise<PgCluster> | undefined;

/**
 * The PostgreSQL cluster of this run: the one global-setup.ts started (vitest.config.ts
 * `test.globalSetup`), else, when a file runs without it, a private cluster for this file that
 * `releaseOwnCluster` stops. Throws why PostgreSQL is unavailable (e.g. the package to install).
 */
export async function getPgCluster(): Promise<PgClusterInfo> {
  const provided = inject('vigilPostgres');
  if (provided && 'error' in provided) throw new Error(provided.error);
  if (provided) return provided;
  ownCluster ??= startPostgresCluster();
  return ownCluster;
}

/** Stops the private cluster `getPgCluster` started when the run has no global one. */
export async function releaseOwnCluster(): Promise<void> {
  const own = ownCluster;
  ownCluster = undefined;
  if (own) await (await own).stop();
}

/**
 * Registers hooks giving this describe block (or file) a fresh empty PostgreSQL database; returns
 * a getter for its URL. The database is dropped afterwards.
 */
export function usePostgresDatabase(): () => string {
  let url: string | undefined;
  let info: PgClusterInfo | undefined;
  beforeAll(async () => {
    info = await getPgCluster();
    url = await createDatabase(info);
  });
  afterAll(async () => {
    if (info && url) await dropDatabase(info, url);
    await releaseOwnCluster();
  });
  return () => {
    if (!url) throw new Error('usePostgresDatabase(): the database is only available inside tests and hooks');
    return url;
  };
}
