import type { TestProject } from 'vitest/node';
import { startPostgresCluster, type PgClusterInfo } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's shared PostgreSQL cluster, or why it could not start. */
    vigilPostgres: PgClusterInfo | { error: string };
  }
}

/**
 * vitest globalSetup: ONE private PostgreSQL cluster for the whole run, handed to the test
 * workers with `provide` (read it with `inject('vigilPostgres')`, or use `usePostgresDatabase()`).
 * A failure to start is handed on too, so only the tests that need PostgreSQL fail, each with
 * the reason (e.g. the package to install), instead of the whole run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    const cluster = await startPostgresCluster();
    const { host, port, user, password, adminUrl } = cluster;
    project.provide('vigilPostgres', { host, port, user, password, adminUrl });
    // For child processes and scripts that cannot call inject().
    process.env['VIGIL_TEST_PG_URL'] = adminUrl;
    return () => cluster.stop();
  } catch (err) {
    project.provide('vigilPostgres', { error: err instanceof Error ? err.message : String(err) });
    return async () => {};
  }
}
