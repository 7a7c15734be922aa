import { stat } from 'node:fs/promises';
import fg from 'fast-glob';
import type { Checkpoint } from '../../core/index.js';
import { headHash, isGzip } from '../readers/index.js';
import { createHash } from 'node:crypto';

/** A file to read in a run, with its identity and where to start. */
export interface PlannedInput {
  path: string;
  dev: string;
  ino: string;
  size: number;
  mtimeMs: number;
  gzip: boolean;
  /** The checkpoint key: SHA-256 of the first content bytes (decompressed) and how many. */
  inputKey: string;
  headHash: string;
  headLen: number;
  head: Buffer;
}

/** How many leading content bytes identify a file. Zeek's header (with `#open` time) fits in it. */
export const HEAD_BYTES = 1024;

/** Expands globs (absolute or relative to cwd), oldest file first so rotated logs precede the live one. */
export async function expandInputs(globs: string[], exclude: string[] = []): Promise<string[]> {
  if (globs.length === 0) return [];
  const files = await fg(globs, { absolute: true, onlyFiles: true, ignore: exclude, dot: false });
  const withTime = await Promise.all(files.map(async (f) => ({ f, m: (await stat(f)).mtimeMs })));
  return withTime.sort((a, b) => a.m - b.m || a.f.localeCompare(b.f)).map((x) => x.f);
}

/**
 * Identifies each file by its first content bytes, not its name or inode: zeekctl moves a live
 * `current/conn.log` to `YYYY-MM-DD/conn.HH:MM:SS-HH:MM:SS.log.gz` (compressed, a new inode), and
 * the rotated file's content starts with the same bytes (header with its `#open` time). A file
 * whose head matches a checkpoint's head (also a shorter head: the live file was still small)
 * resumes at that checkpoint's offset (`findCheckpoint`); dev/ino are recorded for the report.
 */
export async function planInputs(paths: string[]): Promise<PlannedInput[]> {
  const out: PlannedInput[] = [];
  for (const path of paths) {
    const st = await stat(path);
    const h = await headHash(path, HEAD_BYTES);
    const gzip = await isGzip(path);
    const input: PlannedInput = {
      path,
      dev: String(st.dev),
      ino: String(st.ino),
      size: st.size,
      mtimeMs: st.mtimeMs,
      gzip,
      inputKey: `head:${h.hash}`,
      headHash: h.hash,
      headLen: h.length,
      head: h.bytes,
    };
    out.push(input);
  }
  return out;
}

/** The checkpoint of a file: same head, or a checkpoint taken when the file's head was shorter. */
export function findCheckpoint(
  cps: Checkpoint[],
  input: Pick<PlannedInput, 'inputKey' | 'head' | 'headLen'>,
): Checkpoint | undefined {
  const exact = cps.find((c) => c.inputKey === input.inputKey);
  if (exact) return exact;
  for (const c of cps) {
    const len = Number(c.state?.headLen ?? -1);
    if (len <= 0 || len >= input.headLen) continue;
    const prefix = createHash('sha256').update(input.head.subarray(0, len)).digest('hex');
    if (prefix === c.headHash) return c;
  }
  return undefined;
}
