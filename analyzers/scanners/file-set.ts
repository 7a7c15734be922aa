import { lstat, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Stats } from 'node:fs';
import fg from 'fast-glob';
import { errorMessage } from '../../core/index.js';
import type { FileFacts } from './types.js';

export interface FileSetOptions {
  /** Files, folders (scanned recursively) and fast-glob patterns. */
  paths: string[];
  /** fast-glob patterns left out (e.g. `**\/*.partial`). */
  exclude: string[];
  /** Follow symbolic links (to files and into folders); when false they are skipped and counted. */
  followSymlinks: boolean;
  /** Files larger than this are not scanned; they are errors, never clean. */
  maxFileSize: number;
}

/** A path that cannot be scanned as asked; it becomes an `error` result. */
export interface FileProblem {
  path: string;
  reason: string;
  size?: number;
}

export interface FileSet {
  files: FileFacts[];
  problems: FileProblem[];
  skippedSymlinks: string[];
}

/** Turns a Stats into the facts engines and the incremental index use. */
export function factsOf(path: string, st: Stats): FileFacts {
  return { path, size: st.size, mtimeMs: st.mtimeMs, dev: st.dev, ino: st.ino, uid: st.uid };
}

/**
 * Expands the configured paths into the regular files to scan. A configured path that does not
 * exist, a FIFO or device, a file over the size limit: each is a problem (an error result),
 * because leaving it out silently would read as "clean".
 */
export async function collectFiles(opts: FileSetOptions): Promise<FileSet> {
  const out: FileSet = { files: [], problems: [], skippedSymlinks: [] };
  const seen = new Set<string>();
  for (const p of opts.paths) {
    let entries: string[];
    try {
      entries = await expand(p, opts);
    } catch (err) {
      out.problems.push({ path: p, reason: `cannot list: ${errorMessage(err)}` });
      continue;
    }
    for (const path of entries) {
      if (seen.has(path)) continue;
      seen.add(path);
      await classify(path, opts, out);
    }
  }
  return out;
}

async function expand(p: string, opts: FileSetOptions): Promise<string[]> {
  const globOpts = {
    absolute: true,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: opts.followSymlinks,
    ignore: opts.exclude,
    suppressErrors: false,
  };
  if (fg.isDynamicPattern(p)) return (await fg(p, globOpts)).sort();
  const abs = resolve(p);
  const st = await lstat(abs); // a missing configured path throws ENOENT: reported as a problem
  if (st.isDirectory() || (st.isSymbolicLink() && opts.followSymlinks && (await stat(abs)).isDirectory())) {
    return (await fg('**/*', { ...globOpts, cwd: abs })).sort();
  }
  return [abs];
}

async function classify(path: string, opts: FileSetOptions, out: FileSet): Promise<void> {
  let st: Stats;
  try {
    st = await lstat(path);
    if (st.isSymbolicLink()) {
      if (!opts.followSymlinks) {
        out.skippedSymlinks.push(path);
        return;
      }
      st = await stat(path);
    }
  } catch (err) {
    out.problems.push({ path, reason: `cannot stat: ${errorMessage(err)}` });
    return;
  }
  if (st.isDirectory()) return;
  if (!st.isFile()) {
    out.problems.push({ path, reason: `not a regular file (${kindOf(st)}); not scanned` });
    return;
  }
  if (st.size > opts.maxFileSize) {
    out.problems.push({
      path,
      size: st.size,
      reason: `${st.size} bytes is over max_file_size (${opts.maxFileSize}); not scanned`,
    });
    return;
  }
  out.files.push(factsOf(path, st));
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  return 'special file';
}
