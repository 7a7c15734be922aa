import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { VigilError, errorMessage } from '../errors.js';
import {
  loadOrCreateAuditKey,
  parsePublicKeys,
  storeSegment,
  verifyAuditChain,
  type AuditTables,
  type AuditPublicKey,
} from '../audit/index.js';
import { BACKUP_DB_NAME, listBackups, pruneBackups, versionName, type BackupVersion } from './versions.js';

/** The key files a version carries, by the name they have inside its `keys/` folder. */
export type BackupKeyFiles = Readonly<Record<string, string>>;

/** The audit key's name inside a version (its public half verifies the copied chain). */
export const AUDIT_KEY_NAME = 'audit-ed25519.pem';

export interface MakeBackupOptions {
  /** The live SQLite store file. */
  storeFile: string;
  /** The backup folder. */
  dir: string;
  /** Key files to carry (the audit key, the key for secrets at rest): a restore needs them. */
  keyFiles: BackupKeyFiles;
  /** Daily versions kept after this one is in place. */
  keep: number;
  nowMs: number;
}

export interface BackupOutcome {
  version: BackupVersion;
  auditEntries: number;
  pruned: string[];
}

/**
 * Takes one consistent backup of the SQLite store: `VACUUM INTO` reads the whole database in one
 * read transaction (https://sqlite.org/lang_vacuum.html#vacuuminto), so writers go on (WAL) and
 * the copy is the state of one instant. The copy goes to a `.partial` folder, is verified (integrity
 * check, audit chain) and only then renamed into place, so a listed version is always a good one;
 * then retention runs. The folder is 0700: a version holds the keys as well as the data.
 */
export async function makeBackup(opts: MakeBackupOptions): Promise<BackupOutcome> {
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  chmodSync(opts.dir, 0o700);
  for (const n of readdirSync(opts.dir))
    if (n.startsWith('vigil-') && n.endsWith('.partial'))
      rmSync(join(opts.dir, n), { recursive: true, force: true });
  const name = versionName(opts.nowMs);
  const partial = join(opts.dir, `${name}.partial`);
  mkdirSync(join(partial, 'keys'), { recursive: true, mode: 0o700 });
  try {
    const file = join(partial, BACKUP_DB_NAME);
    const src = new Database(opts.storeFile, { fileMustExist: true });
    try {
      src.pragma('busy_timeout = 5000');
      src.prepare('VACUUM INTO ?').run(file);
    } finally {
      src.close();
    }
    chmodSync(file, 0o600);
    for (const [keyName, from] of Object.entries(opts.keyFiles)) {
      if (!existsSync(from)) continue;
      const to = join(partial, 'keys', keyName);
      copyFileSync(from, to);
      chmodSync(to, 0o600);
    }
    const check = await verifyBackupFolder(partial);
    if (!check.ok)
      throw new VigilError('STO_BACKUP_VERIFY', `backup ${name} failed its verification: ${check.problem}`);
    renameSync(partial, join(opts.dir, name));
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    if (err instanceof VigilError) throw err;
    throw new VigilError(
      'STO_BACKUP_WRITE',
      `cannot back up ${opts.storeFile} to ${opts.dir}: ${errorMessage(err)}`,
      {
        cause: err,
      },
    );
  }
  const pruned = pruneBackups(opts.dir, opts.keep);
  const version = listBackups(opts.dir).find((v) => v.name === name)!;
  const check = await verifyBackupFolder(version.dir);
  return { version, auditEntries: check.ok ? check.auditEntries : 0, pruned };
}

/** The result of verifying one version. */
export type BackupCheck = { ok: true; auditEntries: number } | { ok: false; problem: string };

/** The public keys that verify a version's audit chain: its own audit key, plus any given. */
function trustedKeys(folder: string, extra: readonly AuditPublicKey[]): AuditPublicKey[] {
  const keyFile = join(folder, 'keys', AUDIT_KEY_NAME);
  const own = existsSync(keyFile) ? parsePublicKeys(loadOrCreateAuditKey(keyFile).publicPem, keyFile) : [];
  return [...own, ...extra];
}

/**
 * Verifies a version folder (or a bare `vigil.db` given as `file`): it opens read-only, passes
 * `PRAGMA integrity_check`, and its audit log's hash chain and signed checkpoints verify
 * against the version's own audit key (and `extraKeys`).
 */
export async function verifyBackupFolder(
  folder: string,
  extraKeys: readonly AuditPublicKey[] = [],
): Promise<BackupCheck> {
  const file = join(folder, BACKUP_DB_NAME);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    return { ok: false, problem: `cannot open ${file}: ${errorMessage(err)}` };
  }
  const db = new Kysely<AuditTables>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    const rows = sqlite.pragma('integrity_check') as { integrity_check: string }[];
    const msgs = rows.map((r) => r.integrity_check);
    if (msgs.length !== 1 || msgs[0] !== 'ok')
      return { ok: false, problem: `integrity check: ${msgs.slice(0, 5).join('; ')}` };
    const seg = await storeSegment(db, {});
    const r = await verifyAuditChain(seg.entries, seg.checkpoints, {
      keys: trustedKeys(folder, extraKeys),
      firstSeq: seg.firstSeq,
    });
    if (!r.ok) return { ok: false, problem: `audit log broken at entry ${r.seq}: ${r.problem}` };
    return { ok: true, auditEntries: r.entries };
  } catch (err) {
    return { ok: false, problem: errorMessage(err) };
  } finally {
    await db.destroy();
  }
}
