import { lstat } from 'node:fs/promises';
import { errorMessage } from '../../core/index.js';
import {
  combineVerdicts,
  type EngineVerdict,
  type FileFacts,
  type FileScanResult,
  type Scanner,
} from './types.js';
import type { FileProblem } from './file-set.js';

export interface ScanFilesOptions {
  /** Files scanned at once; each runs every engine in parallel. */
  concurrency?: number;
  signal?: AbortSignal;
  onResult?: (r: FileScanResult) => void | Promise<void>;
}

/**
 * Runs every engine over every file and combines the verdicts (types.ts `combineVerdicts`). The
 * file is checked again right before the engines open it: one that vanished or turned into a
 * FIFO since it was listed is an error, and no engine blocks on a FIFO.
 */
export async function scanFiles(
  files: FileFacts[],
  scanners: Scanner[],
  opts: ScanFilesOptions = {},
): Promise<FileScanResult[]> {
  const results: FileScanResult[] = new Array<FileScanResult>(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const file = files[i]!;
      const r = await scanOne(file, scanners, opts.signal);
      results[i] = r;
      await opts.onResult?.(r);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, worker));
  return results;
}

/** Scans one file with every engine. */
export async function scanOne(
  file: FileFacts,
  scanners: Scanner[],
  signal?: AbortSignal,
): Promise<FileScanResult> {
  try {
    const st = await lstat(file.path);
    if (!st.isFile())
      return problemResult({ path: file.path, reason: 'no longer a regular file when scanned' });
  } catch (err) {
    return problemResult({ path: file.path, reason: `vanished before it was scanned: ${errorMessage(err)}` });
  }
  if (signal?.aborted) return problemResult({ path: file.path, reason: 'scan aborted' });
  const verdicts = await Promise.all(
    scanners.map(async (s): Promise<[string, EngineVerdict]> => {
      try {
        return [s.name, await s.scan(file, signal)];
      } catch (err) {
        return [s.name, { status: 'error', reason: errorMessage(err) }];
      }
    }),
  );
  return combineVerdicts(file.path, Object.fromEntries(verdicts), file.size);
}

/** A file that could not be scanned at all, as an error result. */
export function problemResult(p: FileProblem): FileScanResult {
  const r: FileScanResult = { path: p.path, status: 'error', reason: p.reason, hits: [], engines: {} };
  if (p.size !== undefined) r.size = p.size;
  return r;
}
