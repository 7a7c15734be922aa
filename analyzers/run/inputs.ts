import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import fg from 'fast-glob';
import type { Checkpoint } from '../../core/index.js';
import { headHash } from '../readers/index.js';

/** A file to read in a run, with its identity. */
export interface PlannedInput {
  path: string;
  dev: string;
  ino: string;
  size: number;
  mtimeMs: number;
  gzip: boolean;
  /** The checkpoint key: `fp:` + SHA-256 of the first FINGERPRINT_BYTES content bytes (decompressed). */
  inputKey: string;
  /** SHA-256 of the first `headLen` content bytes. */
  headHash: string;
  headLen: number;
  head: Buffer;
}

/** An input that was listed but not read, and why (a symlink, a FIFO, unreadable). */
export interface SkippedInput {
  path: string;
  reason: string;
}

/**
 * How many leading content bytes fingerprint a file. Zeek's header (`#open` time, `#fields`) is
 * far shorter, and files from one test suite or one sensor can share their first KiB; 64 KiB
 * holds hundreds of records, so two different logs share it only when they are copies.
 */
export const FINGERPRINT_BYTES = 64 * 1024;
/** Kept for callers that name the old constant. */
export const HEAD_BYTES = FINGERPRINT_BYTES;

/**
 * Expands globs (absolute or relative to cwd), oldest file first so rotated logs precede the live
 * one. Symbolic links are never followed (vigil runs as root: a link planted in a log folder must
 * not make it read another file): linked directories are not entered, and a matched link or
 * non-regular file is returned in `skipped` with the reason.
 */
export async function expandInputs(
  globs: string[],
  exclude: string[] = [],
): Promise<{ files: string[]; skipped: SkippedInput[] }> {
  if (globs.length === 0) return { files: [], skipped: [] };
  const found = await fg(globs, {
    absolute: true,
    onlyFiles: false,
    ignore: exclude,
    dot: false,
    followSymbolicLinks: false,
  });
  const skipped: SkippedInput[] = [];
  const withTime: { f: string; m: number }[] = [];
  for (const f of found) {
    const st = await lstat(f).catch((err: Error) => err);
    if (st instanceof Error) skipped.push({ path: f, reason: st.message });
    else if (st.isSymbolicLink()) skipped.push({ path: f, reason: 'symbolic link not followed' });
    else if (st.isFile()) withTime.push({ f, m: st.mtimeMs });
    else if (!st.isDirectory()) skipped.push({ path: f, reason: 'not a regular file' });
  }
  const files = withTime.sort((a, b) => a.m - b.m || a.f.localeCompare(b.f)).map((x) => x.f);
  return { files, skipped };
}

/**
 * Files under the given paths: a file as it is, a directory walked recursively (zeekctl's
 * `logs/YYYY-MM-DD/` layout) in name order. Symbolic links are reported, never followed.
 */
export async function walkInputs(paths: string[]): Promise<{ files: string[]; skipped: SkippedInput[] }> {
  const files: string[] = [];
  const skipped: SkippedInput[] = [];
  const visit = async (p: string, top: boolean): Promise<void> => {
    const st = await lstat(p).catch((err: Error) => err);
    if (st instanceof Error) return void skipped.push({ path: p, reason: st.message });
    if (st.isSymbolicLink()) return void skipped.push({ path: p, reason: 'symbolic link not followed' });
    if (st.isFile()) return void files.push(p);
    if (!st.isDirectory()) return void skipped.push({ path: p, reason: 'not a regular file' });
    const names = (await readdir(p)).sort();
    for (const n of names) if (top || !n.startsWith('.')) await visit(join(p, n), false);
  };
  for (const p of paths) await visit(p, true);
  return { files, skipped };
}

/**
 * Identifies each file by a fingerprint of its first content bytes (decompressed), not its name
 * or inode: zeekctl moves a live `current/conn.log` to `YYYY-MM-DD/conn.HH:MM:SS-HH:MM:SS.log.gz`
 * (compressed, a new inode) and the rotated content starts with the same bytes. Which checkpoint
 * a file continues is decided by `findCheckpoint`, and proven while reading by the hash of the
 * bytes just before the checkpoint's offset (`windowHash`).
 */
export async function planInputs(
  paths: string[],
): Promise<{ planned: PlannedInput[]; skipped: SkippedInput[] }> {
  const planned: PlannedInput[] = [];
  const skipped: SkippedInput[] = [];
  const keys = new Set<string>();
  for (const path of paths) {
    let h;
    try {
      h = await headHash(path, FINGERPRINT_BYTES);
    } catch (err) {
      skipped.push({ path, reason: (err as Error).message.replace(`${path}: `, '') });
      continue;
    }
    let inputKey = `fp:${h.hash}`;
    // two different files with the same first 64 KiB in one run keep apart by where they live
    if (keys.has(inputKey)) inputKey = `${inputKey}:${h.dev}:${h.ino}`;
    keys.add(inputKey);
    planned.push({
      path,
      dev: String(h.dev),
      ino: String(h.ino),
      size: h.size,
      mtimeMs: h.mtimeMs,
      gzip: h.gzip,
      inputKey,
      headHash: h.hash,
      headLen: h.length,
      head: h.bytes,
    });
  }
  return { planned, skipped };
}

/**
 * The checkpoint a file continues: one taken on the same content head (or on a shorter head: the
 * live file was still small), the one on the same dev/inode first. Checkpoints already taken by
 * another input of this run are passed in `claimed` and not offered again.
 */
export function findCheckpoint(
  cps: Checkpoint[],
  input: Pick<PlannedInput, 'inputKey' | 'head' | 'headLen' | 'headHash' | 'dev' | 'ino'>,
  claimed: ReadonlySet<string> = new Set(),
): Checkpoint | undefined {
  const fits: Checkpoint[] = [];
  for (const c of cps) {
    if (claimed.has(c.inputKey)) continue;
    const len = Number(c.state?.headLen ?? -1);
    if (c.headHash === input.headHash && (len === input.headLen || len < 0)) fits.push(c);
    else if (len > 0 && len < input.headLen) {
      const prefix = createHash('sha256').update(input.head.subarray(0, len)).digest('hex');
      if (prefix === c.headHash) fits.push(c);
    }
  }
  return (
    fits.find((c) => c.dev === input.dev && c.ino === input.ino) ??
    fits.find((c) => c.inputKey === input.inputKey) ??
    fits[0]
  );
}
