import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  chmod,
  copyFile,
  lstat,
  mkdir,
  readFile,
  readdir,
  rename,
  rm,
  stat,
  unlink,
  utimes,
  writeFile,
  chown,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { VigilError, errorMessage } from '../../core/index.js';
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

const ID = /^q-[0-9a-f]{16}$/;

/**
 * Quarantine: an infected file is moved to `<dir>/<id>.bin` (mode 0400, so it is not run by
 * accident) with `<dir>/<id>.json` alongside; `vigil scan restore ID` moves it back with its
 * mode, owner and mtime. A move across filesystems copies, verifies the SHA-256, then deletes.
 */
export class Quarantine {
  constructor(readonly dir: string) {}

  async put(
    path: string,
    hits: ScanHit[],
    opts: { runId?: string; now?: Date } = {},
  ): Promise<QuarantineRecord> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const st = await lstat(path);
    const id = `q-${randomBytes(8).toString('hex')}`;
    const rec: QuarantineRecord = {
      id,
      originalPath: path,
      size: st.size,
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      mtimeMs: st.mtimeMs,
      sha256: await sha256(path),
      quarantinedAt: (opts.now ?? new Date()).toISOString(),
      hits,
    };
    if (opts.runId) rec.runId = opts.runId;
    // The metadata first: a crash after it leaves a record pointing at a file still in place,
    // never a moved file nobody knows the origin of.
    await writeFile(join(this.dir, `${id}.json`), `${JSON.stringify(rec, null, 2)}\n`, { mode: 0o600 });
    await move(path, this.blob(id), rec.sha256);
    await chmod(this.blob(id), 0o400);
    return rec;
  }

  async get(id: string): Promise<QuarantineRecord> {
    if (!ID.test(id))
      throw new VigilError('SCN_QUARANTINE', `"${id}" is not a quarantine id (q- and 16 hex digits)`);
    try {
      return JSON.parse(await readFile(join(this.dir, `${id}.json`), 'utf8')) as QuarantineRecord;
    } catch (err) {
      throw new VigilError(
        'SCN_QUARANTINE',
        `no quarantined file ${id} in ${this.dir}: ${errorMessage(err)}`,
        { cause: err },
      );
    }
  }

  async list(): Promise<QuarantineRecord[]> {
    const files = await readdir(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw new VigilError('SCN_QUARANTINE', `cannot list ${this.dir}: ${err.message}`, { cause: err });
    });
    const ids = files
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .filter((id) => ID.test(id));
    return Promise.all(ids.sort().map((id) => this.get(id)));
  }

  /** Moves the file back (or to `to`); refuses to overwrite an existing file unless `force`. */
  async restore(
    id: string,
    opts: { to?: string; force?: boolean } = {},
  ): Promise<QuarantineRecord & { restoredTo: string }> {
    const rec = await this.get(id);
    const target = opts.to ?? rec.originalPath;
    const exists = await stat(target).then(
      () => true,
      () => false,
    );
    if (exists && !opts.force)
      throw new VigilError(
        'SCN_QUARANTINE',
        `${target} exists; restore with --force to overwrite, or --to another path`,
      );
    await mkdir(dirname(target), { recursive: true });
    await move(this.blob(id), target, rec.sha256);
    await chmod(target, rec.mode);
    await chown(target, rec.uid, rec.gid).catch((err: unknown) => {
      throw new VigilError(
        'SCN_QUARANTINE',
        `restored ${target} but cannot give it back to uid ${rec.uid}: ${errorMessage(err)}`,
        { cause: err },
      );
    });
    await utimes(target, new Date(), new Date(rec.mtimeMs));
    await unlink(join(this.dir, `${id}.json`));
    return { ...rec, restoredTo: target };
  }

  private blob(id: string): string {
    return join(this.dir, `${id}.bin`);
  }
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) h.update(chunk);
  return h.digest('hex');
}

async function move(from: string, to: string, expectSha: string): Promise<void> {
  try {
    await rename(from, to);
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') {
      throw new VigilError('SCN_QUARANTINE', `cannot move ${from} to ${to}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }
  await copyFile(from, to);
  if ((await sha256(to)) !== expectSha) {
    await rm(to, { force: true });
    throw new VigilError(
      'SCN_QUARANTINE',
      `copy of ${from} to ${to} does not match its SHA-256; original left in place`,
    );
  }
  await unlink(from);
}
