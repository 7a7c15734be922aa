import type { Command } from 'commander';
import { VigilError, errorMessage, listBackups, makeBackup, restoreBackup } from '../../core/index.js';
import { backupPlan, type BackupPlan } from '../backup-plan.js';
import { cliContext, placeOptions, type PlaceOptions } from '../cli-store.js';
import { CliExit } from '../cli-exit.js';

function sqlitePlan(opts: PlaceOptions, what: string): BackupPlan & { storeFile: string } {
  const ctx = cliContext(opts, { optionalConfig: true });
  const plan = backupPlan(ctx.config, ctx.places.dataDir, ctx.storeUrl);
  if (!plan.storeFile)
    throw new VigilError(
      'APP_ARGS',
      `vigil backup ${what} works on the embedded SQLite store; on PostgreSQL run pg_basebackup with WAL archiving or pg_dump (docs/operations.md)`,
    );
  return { ...plan, storeFile: plan.storeFile };
}

async function run(what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    process.stderr.write(`vigil backup ${what}: ${errorMessage(err)}\n`);
    throw new CliExit(2);
  }
}

/** `vigil backup now | list | restore FILE` (docs/operations.md). */
export function registerBackupCommands(program: Command): void {
  const backup = program
    .command('backup')
    .description("vigil's own data: take, list and restore verified backups of the SQLite store");

  placeOptions(backup.command('now'))
    .description('take a consistent backup now, verify it (integrity, audit chain), apply retention')
    .action(async (opts: PlaceOptions) =>
      run('now', async () => {
        const plan = sqlitePlan(opts, 'now');
        const r = await makeBackup({
          storeFile: plan.storeFile,
          dir: plan.dir,
          keyFiles: plan.keyFiles,
          keep: plan.cfg.keep,
          nowMs: Date.now(),
        });
        process.stdout.write(
          `backup ${r.version.dir}: ${r.version.bytes} bytes, integrity ok, audit chain intact (${r.auditEntries} entries)` +
            `${r.pruned.length > 0 ? `; removed ${r.pruned.join(', ')}` : ''}\n`,
        );
      }),
    );

  placeOptions(backup.command('list'))
    .description('list the backup versions, newest first')
    .option('--json', 'one JSON object per line')
    .action(async (opts: PlaceOptions & { json?: boolean }) =>
      run('list', async () => {
        const plan = sqlitePlan(opts, 'list');
        for (const v of listBackups(plan.dir)) {
          const at = new Date(v.takenAt).toISOString();
          process.stdout.write(
            opts.json
              ? `${JSON.stringify({ name: v.name, path: v.dir, takenAt: at, bytes: v.bytes })}\n`
              : `${at}  ${String(v.bytes).padStart(12)}  ${v.dir}\n`,
          );
        }
      }),
    );

  placeOptions(backup.command('restore'))
    .argument('<file>', 'a backup version folder, or the vigil.db inside one')
    .description(
      'verify a backup and restore it into the data directory (a fresh one; --force replaces a stopped store)',
    )
    .option('--force', 'replace an existing store and keys (stop vigil first)')
    .action(async (file: string, opts: PlaceOptions & { force?: boolean }) =>
      run('restore', async () => {
        const plan = sqlitePlan(opts, 'restore');
        const r = await restoreBackup({
          from: file,
          storeFile: plan.storeFile,
          keyTargets: plan.keyFiles,
          force: opts.force === true,
        });
        process.stdout.write(
          `restored ${file} to ${plan.storeFile} (audit chain intact, ${r.auditEntries} entries)\n`,
        );
      }),
    );
}
