import { createHash } from 'node:crypto';
import { lstat, mkdir, open, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../../core/index.js';

/** Files clamd loads from a database directory (clamd's cli_strbcasestr list, signatures(5)). */
const DB_FILE =
  /\.(cvd|cld|cud|hdb|hsb|hdu|hsu|mdb|msb|mdu|msu|ndb|ndu|ldb|ldu|idb|cdb|cfg|crb|pdb|gdb|wdb|ftm|ign|ign2|fp|sfp|info|yar|yara|cat|crt)$/i;
/** ClamAV's signed databases as freshclam writes them; their header names when they were built. */
const OFFICIAL = /\.(cvd|cld|cud)$/i;

/**
 * vigil's built-in signature: the EICAR anti-virus test file (https://www.eicar.org/download-anti-malware-testfile/),
 * as an extended (.ndb) hex signature. It is loaded only when there is no other signature, so
 * clamd (which refuses an empty database) starts before freshclam has run or any custom signature
 * was added. It is no protection: vigil logs an error and raises VigilClamavSignaturesStale.
 */
export const BUILTIN_NDB = `Vigil.Builtin.EICAR:0:*:${Buffer.from(
  'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*',
).toString('hex')}\n`;
const BUILTIN_FILE = 'vigil-builtin.ndb';

/** What the active database is made of. */
export interface ActiveDatabase {
  dir: string;
  /** freshclam's files linked in (main.cvd, daily.cld, …). */
  official: string[];
  /** vigil's own database files (the managed directory) linked in. */
  own: string[];
  /** Neither had any: only the built-in EICAR test signature is loaded (clamd refuses an empty directory). */
  builtinOnly: boolean;
}

/** Regular database files directly in `dir` (never a symlink: a file there must not point elsewhere). */
export async function databaseFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return [] as string[];
    throw err;
  });
  const out: string[] = [];
  for (const n of names.sort()) {
    if (!DB_FILE.test(n)) continue;
    const st = await lstat(join(dir, n)).catch(() => undefined);
    if (st?.isFile() && st.size > 0) out.push(n);
  }
  return out;
}

/**
 * Builds the directory clamd loads (clamd takes one DatabaseDirectory): links to freshclam's
 * database in `systemDir` and to vigil's own files in `ownDir`, plus the built-in signature.
 * Rebuilt before every start and reload, so a freshclam update or a new signature file is seen.
 */
export async function buildActiveDatabase(
  dir: string,
  ownDir: string,
  systemDir: string | undefined,
): Promise<ActiveDatabase> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const official = systemDir ? await databaseFiles(systemDir) : [];
  const own = await databaseFiles(ownDir);
  const taken = new Set<string>([BUILTIN_FILE]);
  for (const n of official) {
    await symlink(join(systemDir!, n), join(dir, n));
    taken.add(n);
  }
  for (const n of own) {
    // A name in both folders would shadow one of them; vigil's own file gets a prefix.
    const as = taken.has(n) ? `vigil-own-${n}` : n;
    await symlink(join(ownDir, n), join(dir, as));
    taken.add(as);
  }
  const builtinOnly = official.length === 0 && own.length === 0;
  if (builtinOnly) await writeFile(join(dir, BUILTIN_FILE), BUILTIN_NDB);
  return { dir, official, own, builtinOnly };
}

/**
 * When the newest official database file was built: the `stime` field (Unix seconds) of its
 * 512-byte header `ClamAV-VDB:time:version:sigs:level:md5:dsig:builder:stime`, else its mtime.
 * Undefined when `systemDir` holds none.
 */
export async function officialDatabaseBuiltAt(systemDir: string | undefined): Promise<number | undefined> {
  if (!systemDir) return undefined;
  let newest: number | undefined;
  for (const n of (await databaseFiles(systemDir)).filter((f) => OFFICIAL.test(f))) {
    const at = await builtAt(join(systemDir, n)).catch(() => undefined);
    if (at !== undefined && (newest === undefined || at > newest)) newest = at;
  }
  return newest;
}

async function builtAt(file: string): Promise<number> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, 512, 0);
    const header = buf.subarray(0, bytesRead).toString('latin1');
    const stime = Number(header.startsWith('ClamAV-VDB:') ? header.split(':')[8]?.trim() : NaN);
    if (Number.isFinite(stime) && stime > 0) return stime * 1000;
    return (await fh.stat()).mtimeMs;
  } finally {
    await fh.close();
  }
}

/** Changes when any official file is replaced (name, size, mtime: freshclam writes a new file). */
export async function systemFingerprint(systemDir: string | undefined): Promise<string> {
  const h = createHash('sha256');
  if (systemDir) {
    for (const n of await databaseFiles(systemDir)) {
      const st = await stat(join(systemDir, n)).catch((err: unknown) => errorMessage(err));
      h.update(n)
        .update('\0')
        .update(typeof st === 'string' ? st : `${st.size}:${st.mtimeMs}`)
        .update('\0');
    }
  }
  return h.digest('hex');
}
