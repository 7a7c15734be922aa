import { randomBytes } from 'node:crypto';
import { lstat, readdir, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import canonicalizeModule from 'canonicalize';
import { VigilError, errorMessage } from '../../core/index.js';
import {
  checkPrivateDir,
  copyFd,
  createExclusive,
  ensureRealDir,
  loadOrCreateKey,
  macMatches,
  openNoFollow,
  recordMac,
} from './quarantine-fs.js';
import type { ScanHit } from './types.js';

/** The metadata JSON kept next to a quarantined file: enough to restore it exactly and to audit. */
export interface QuarantineRecord {
  id: string;
  originalPath: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  sha256: string;
  quarantinedAt: string;
  runId?: string;
  hits: ScanHit[];
}

/**
 * The identity of the file that was scanned (lstat when it was listed): dev and ino, and size
 * and mtime when known — a freed inode number is soon reused for the next new file.
 */
export interface ScannedIdentity {
  dev: number;
  ino: number;
  size?: number;
  mtimeMs?: number;
}

const sameFile = (
  st: { dev: number; ino: number; size: number; mtimeMs: number },
  id: ScannedIdentity,
): boolean =>
  st.dev === id.dev &&
  st.ino === id.ino &&
  (id.size === undefined || st.size === id.size) &&
  (id.mtimeMs === undefined || st.mtimeMs === id.mtimeMs);

// RFC 8785 canonical JSON, so the MAC does not depend on key order. The package is CommonJS:
// its module object is the function (its typings declare an ES default export).
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

const ID = /^q-[0-9a-f]{16}$/;
const MAX_RECORD_BYTES = 1 << 20;
const err = (message: string, cause?: unknown): VigilError =>
  new VigilError('SCN_QUARANTINE', message, cause === undefined ? undefined : { cause });

/** Where vigil keeps the key of the quarantine records: in its data directory, mode 0600. */
export const quarantineKeyFile = (dataDir: string): string => join(resolve(dataDir), 'quarantine.key');

/**
 * Quarantine: an infected file is copied to `<dir>/<id>.bin` (mode 0400) from the descriptor it
 * was opened on — with no-follow, checked to be the very file that was scanned — and then
 * removed; `<dir>/<id>.json` holds its metadata, authenticated with an HMAC whose key lives in
 * `keyFile` (default `<dir>/.quarantine.key`; vigil passes `<data>/quarantine.key`). `vigil scan
 * restore ID` writes it back through no symlinked folder, never over a symlink.
 */
export class Quarantine {
  readonly #keyFile: string;

  constructor(
    readonly dir: string,
    opts: { keyFile?: string } = {},
  ) {
    this.#keyFile = opts.keyFile ?? join(dir, '.quarantine.key');
  }

  /**
   * Moves the file at `path` into quarantine. With `scanned`, the file opened must be the one
   * scanned (same dev and ino): a file swapped for a link or another file since is refused.
   */
  async put(
    path: string,
    hits: ScanHit[],
    opts: { runId?: string; now?: Date; scanned?: ScannedIdentity } = {},
  ): Promise<QuarantineRecord> {
    await checkPrivateDir(this.dir, 'quarantine folder');
    const key = await loadOrCreateKey(this.#keyFile);
    const src = await openNoFollow(path);
    const id = `q-${randomBytes(8).toString('hex')}`;
    let rec: QuarantineRecord;
    try {
      const st = await src.stat();
      if (!st.isFile()) throw err(`${path} is no longer a regular file; left in place`);
      if (opts.scanned && !sameFile(st, opts.scanned))
        throw err(`${path} is not the file that was scanned (it was replaced since); left in place`);
      // Neutralise exactly the scanned file at once: nobody runs or reads it while it is copied.
      await src.chmod(0o000);
      const blob = await createExclusive(this.blob(id), 0o400);
      let sha256: string;
      try {
        sha256 = await copyFd(src, blob);
      } finally {
        await blob.close();
      }
      rec = {
        id,
        originalPath: resolve(path),
        size: st.size,
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        mtimeMs: st.mtimeMs,
        sha256,
        quarantinedAt: (opts.now ?? new Date()).toISOString(),
        hits,
      };
      if (opts.runId) rec.runId = opts.runId;
      await this.#writeRecord(key, rec);
      // Remove the name only while it still names the file we copied (it may have been swapped).
      const now = await lstat(path);
      if (now.dev !== st.dev || now.ino !== st.ino)
        throw err(`${path} was replaced while it was quarantined; the quarantined copy is ${id}`);
      await unlink(path);
    } finally {
      await src.close();
    }
    return rec;
  }

  /** The record of `id`, refused unless its HMAC proves vigil wrote it. */
  async get(id: string): Promise<QuarantineRecord> {
    if (!ID.test(id)) throw err(`"${id}" is not a quarantine id (q- and 16 hex digits)`);
    await checkPrivateDir(this.dir, 'quarantine folder');
    const key = await loadOrCreateKey(this.#keyFile);
    let text: string;
    try {
      const fh = await openNoFollow(join(this.dir, `${id}.json`));
      try {
        const st = await fh.stat();
        if (!st.isFile() || st.size > MAX_RECORD_BYTES) throw err(`${id}.json is not a quarantine record`);
        text = await fh.readFile('utf8');
      } finally {
        await fh.close();
      }
    } catch (e) {
      throw err(`no quarantined file ${id} in ${this.dir}: ${errorMessage(e)}`, e);
    }
    let parsed: { record?: QuarantineRecord; mac?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch (e) {
      throw err(`quarantine record ${id} is not JSON: ${errorMessage(e)}`, e);
    }
    const rec = parsed.record;
    if (!rec || rec.id !== id || !macMatches(recordMac(key, canonicalize(rec) ?? ''), parsed.mac))
      throw err(`quarantine record ${id} is not authenticated (forged or from another key); refusing it`);
    return rec;
  }

  async list(): Promise<QuarantineRecord[]> {
    const files = await readdir(this.dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [] as string[];
      throw err(`cannot list ${this.dir}: ${e.message}`, e);
    });
    const ids = files
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .filter((id) => ID.test(id));
    return Promise.all(ids.sort().map((id) => this.get(id)));
  }

  /**
   * Writes the file back (or to `to`) with its mode, owner and mtime. Refuses a symlinked folder
   * on the way, a symlink or folder at the target, and an existing file unless `force`.
   */
  async restore(
    id: string,
    opts: { to?: string; force?: boolean } = {},
  ): Promise<QuarantineRecord & { restoredTo: string }> {
    const rec = await this.get(id);
    const target = resolve(opts.to ?? rec.originalPath);
    await ensureRealDir(dirname(target));
    const existing = await lstat(target).catch(() => undefined);
    if (existing?.isSymbolicLink()) throw err(`${target} is a symbolic link; refusing to restore over it`);
    if (existing && !existing.isFile()) throw err(`${target} exists and is not a regular file`);
    if (existing && !opts.force)
      throw err(`${target} exists; restore with --force to overwrite, or --to another path`);
    const blob = await openNoFollow(this.blob(id));
    const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.restore`);
    try {
      const out = await createExclusive(tmp, 0o600);
      try {
        if ((await copyFd(blob, out)) !== rec.sha256)
          throw err(`quarantined file ${id} does not match its SHA-256; not restored`);
        await out.chown(rec.uid, rec.gid);
        await out.chmod(rec.mode);
        await out.utimes(new Date(), new Date(rec.mtimeMs));
      } finally {
        await out.close();
      }
      // The folders again, right before the rename: none may have become a link meanwhile.
      await ensureRealDir(dirname(target));
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e instanceof VigilError ? e : err(`cannot restore ${target}: ${errorMessage(e)}`, e);
    } finally {
      await blob.close();
    }
    await unlink(this.blob(id));
    await unlink(join(this.dir, `${id}.json`));
    return { ...rec, restoredTo: target };
  }

  async #writeRecord(key: Buffer, rec: QuarantineRecord): Promise<void> {
    const mac = recordMac(key, canonicalize(rec) ?? '');
    const fh = await createExclusive(join(this.dir, `${rec.id}.json`), 0o600);
    try {
      await fh.writeFile(`${JSON.stringify({ record: rec, mac }, null, 2)}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  private blob(id: string): string {
    return join(this.dir, `${id}.bin`);
  }
}
