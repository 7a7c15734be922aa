import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { VigilError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';

const MIGRATIONS_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'migrations');

/**
 * Every file in core/store/migrations is one migration, named `NNNN_domain_what.ts`, exporting
 * `up(db)` (and `down(db)`). Files, not a list, so each domain adds its own without touching a
 * shared file. Ranges: 0000 core, 0100 probes, 0200 sla, 0300 alerting, 0400 analyzers,
 * 0500 scanners, 0600 evidence/server.
 */
class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(MIGRATIONS_DIR)).filter(
      (f) => /^\d{4}_[a-z0-9_]+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'),
    );
    const out: Record<string, Migration> = {};
    for (const f of files.sort()) {
      const mod = (await import(pathToFileURL(join(MIGRATIONS_DIR, f)).href)) as Migration;
      out[f.replace(/\.(ts|js)$/, '')] = mod;
    }
    return out;
  }
}

/** Brings the schema to the latest version; throws STO_MIGRATE naming the migration that failed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>, log?: Logger): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new FolderMigrationProvider(),
    // Domains add migrations independently, so a new one may sort before one already applied.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new VigilError(
      'STO_MIGRATE',
      `store migration ${failed?.migrationName ?? '(none)'} failed: ${errorMessage(error)}`,
      { cause: error },
    );
  }
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (applied.length > 0) log?.info({ applied }, 'store migrated');
  return applied;
}
