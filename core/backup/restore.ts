import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  chmodSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { VigilError } from '../errors.js';
import { BACKUP_DB_NAME } from './versions.js';
import { verifyBackupFolder, type BackupKeyFiles } from './sqlite-backup.js';

export interface RestoreOptions {
  /** A version folder, or the `vigil.db` inside one. */
  from: string;
  /** Where the store goes (the SQLite file of the data directory it is restored into). */
  storeFile: string;
  /** Where each key file of the version goes, by its name inside `keys/`. */
  keyTargets: BackupKeyFiles;
  /** Replace an existing store and differing keys (vigil must be stopped). */
  force: boolean;
}

/** The version folder named by `from`: the folder itself, or the folder of its `vigil.db`. */
export function versionFolderOf(from: string): string {
  return basename(from) === BACKUP_DB_NAME && !statSync(from).isDirectory() ? dirname(from) : from;
}

function differs(a: string, b: string): boolean {
  return !readFileSync(a).equals(readFileSync(b));
}

/**
 * Restores a version into a data directory. The version is verified first (integrity, audit
 * chain); an existing store is never overwritten, nor a different key replaced, without `force`
 * (a live store holds what happened since the backup). The copy lands under a temporary name and
 * is renamed into place; the old store's WAL and shared-memory files go with it, so SQLite does
 * not replay a WAL that belongs to another database onto the restored one.
 */
export async function restoreBackup(opts: RestoreOptions): Promise<{ auditEntries: number }> {
  if (!existsSync(opts.from)) throw new VigilError('STO_BACKUP_RESTORE', `no backup at ${opts.from}`);
  const folder = versionFolderOf(opts.from);
  const check = await verifyBackupFolder(folder);
  if (!check.ok)
    throw new VigilError(
      'STO_BACKUP_VERIFY',
      `not restored: ${folder} failed its verification: ${check.problem}`,
    );
  const keys = Object.entries(opts.keyTargets).filter(([name]) => existsSync(join(folder, 'keys', name)));
  if (!opts.force) {
    if (existsSync(opts.storeFile) && statSync(opts.storeFile).size > 0)
      throw new VigilError(
        'STO_BACKUP_EXISTS',
        `not restored: a store exists at ${opts.storeFile}; restore into a fresh data directory, or stop vigil and pass --force to replace it`,
      );
    for (const [name, to] of keys)
      if (existsSync(to) && differs(join(folder, 'keys', name), to))
        throw new VigilError(
          'STO_BACKUP_EXISTS',
          `not restored: a different key exists at ${to}; pass --force to replace it`,
        );
  }
  mkdirSync(dirname(opts.storeFile), { recursive: true });
  const tmp = `${opts.storeFile}.restoring`;
  copyFileSync(join(folder, BACKUP_DB_NAME), tmp);
  chmodSync(tmp, 0o600);
  for (const suffix of ['-wal', '-shm']) rmSync(`${opts.storeFile}${suffix}`, { force: true });
  renameSync(tmp, opts.storeFile);
  for (const [name, to] of keys) {
    mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
    copyFileSync(join(folder, 'keys', name), to);
    chmodSync(to, 0o600);
  }
  return { auditEntries: check.auditEntries };
}
