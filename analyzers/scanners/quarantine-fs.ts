import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, parse, resolve, sep } from 'node:path';
import { VigilError, errorMessage } from '../../core/index.js';

// vigil runs as root and the folders it scans are writable by others: every step here works on
// what was opened (a file descriptor), never on a path that may since point somewhere else.

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = constants;

const fail = (message: string, cause?: unknown): VigilError =>
  new VigilError('SCN_QUARANTINE', message, cause === undefined ? undefined : { cause });

const myUid = (): number => process.getuid?.() ?? 0;

/**
 * The quarantine folder, created 0700 if missing. Refused when it is a symlink, not a folder,
 * owned by someone else, or writable by group or others: whoever can write there can plant
 * records and files that `scan restore` would put anywhere.
 */
export async function checkPrivateDir(dir: string, what: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  if (st.isSymbolicLink()) throw fail(`${what} ${dir} is a symbolic link; refusing to use it`);
  if (!st.isDirectory()) throw fail(`${what} ${dir} is not a folder`);
  if (st.uid !== myUid())
    throw fail(`${what} ${dir} is owned by uid ${st.uid}, not by vigil (uid ${myUid()}); refusing to use it`);
  if ((st.mode & 0o022) !== 0)
    throw fail(
      `${what} ${dir} can be written by others (mode ${(st.mode & 0o777).toString(8)}); run chmod go-w ${dir}`,
    );
}

/** Opens a file without following a symlink in its last component, and without blocking on a FIFO. */
export async function openNoFollow(path: string): Promise<FileHandle> {
  try {
    return await open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw fail(`${path} is a symbolic link; refusing to follow it`, err);
    throw fail(`cannot open ${path}: ${errorMessage(err)}`, err);
  }
}

/** Creates a new file (never an existing one, never through a symlink) for writing. */
export async function createExclusive(path: string, mode: number): Promise<FileHandle> {
  try {
    return await open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
  } catch (err) {
    throw fail(`cannot create ${path}: ${errorMessage(err)}`, err);
  }
}

/** Copies everything readable from `from` to `to` from offset 0, returning its SHA-256. */
export async function copyFd(from: FileHandle, to: FileHandle): Promise<string> {
  const h = createHash('sha256');
  const buf = Buffer.alloc(1 << 16);
  for (let pos = 0; ;) {
    const { bytesRead } = await from.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) break;
    h.update(buf.subarray(0, bytesRead));
    await to.write(buf, 0, bytesRead);
    pos += bytesRead;
  }
  await to.sync();
  return h.digest('hex');
}

/** Owned by root or vigil, and (for a folder) writable by nobody else: only they could have made it. */
const trustedOwner = (st: { uid: number; mode: number }, folder: boolean): boolean =>
  (st.uid === 0 || st.uid === myUid()) && (!folder || (st.mode & 0o022) === 0);

/**
 * Makes sure no component of `dir` is a symlink someone else could have planted, creating missing
 * folders (0700) one at a time: `scan restore` must not write through a folder swapped for a
 * link to /etc/cron.d. A link owned by root in a folder only root can write (`/bin → usr/bin` on
 * a merged-/usr system) is followed, and its target is checked the same way.
 */
export async function ensureRealDir(dir: string, hops = 0): Promise<void> {
  const abs = resolve(dir);
  const root = parse(abs).root;
  const parts = abs.slice(root.length).split(sep).filter(Boolean);
  let cur = root;
  for (let i = 0; i < parts.length; i++) {
    const parent = cur;
    cur = join(cur, parts[i]!);
    let st = await lstat(cur).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw fail(`cannot check ${cur}: ${errorMessage(err)}`, err);
    });
    if (!st) {
      await mkdir(cur, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw fail(`cannot create ${cur}: ${errorMessage(err)}`, err);
      });
      st = await lstat(cur);
    }
    if (st.isSymbolicLink()) {
      if (hops >= 40 || !trustedOwner(st, false) || !trustedOwner(await lstat(parent), true))
        throw fail(`${cur} is a symbolic link; refusing to restore through it`);
      const target = resolve(parent, await readlink(cur));
      return ensureRealDir(join(target, ...parts.slice(i + 1)), hops + 1);
    }
    if (!st.isDirectory()) throw fail(`${cur} is not a folder`);
  }
}

/**
 * The key that authenticates quarantine records (HMAC-SHA256), created on first use: 32 random
 * bytes, mode 0600, owned by vigil. A key file that is a link, someone else's, or readable by
 * others is refused.
 */
export async function loadOrCreateKey(file: string): Promise<Buffer> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let fh: FileHandle;
  try {
    fh = await open(file, O_RDONLY | O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw fail(`cannot open the quarantine key ${file}: ${errorMessage(err)}`, err);
    const key = randomBytes(32);
    const out = await open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600).catch((e: unknown) => {
      throw fail(`cannot create the quarantine key ${file}: ${errorMessage(e)}`, e);
    });
    try {
      await out.write(key);
      await out.sync();
    } finally {
      await out.close();
    }
    return key;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.uid !== myUid() || (st.mode & 0o077) !== 0 || st.size !== 32)
      throw fail(`the quarantine key ${file} must be a 32-byte file of vigil's with mode 0600; refusing it`);
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** HMAC-SHA256 of a record's canonical text (hex). */
export const recordMac = (key: Buffer, text: string): string =>
  createHmac('sha256', key).update(text).digest('hex');

/** Constant-time comparison of two hex MACs. */
export function macMatches(want: string, got: unknown): boolean {
  if (typeof got !== 'string' || got.length !== want.length) return false;
  return timingSafeEqual(Buffer.from(want), Buffer.from(got));
}
