import { readLog, recordToNdjson } from '../readers/index.js';
import { walkInputs } from './inputs.js';

export interface CatLogsOptions {
  /** Writes a chunk of NDJSON; resolves when the consumer can take more. */
  write(text: string): Promise<void> | void;
  /** A problem line (`file:line: message`), for stderr. */
  problem(line: string): void;
  /** Called after each file with files done/total and records so far (the CLI's progress line). */
  progress?(p: { filesDone: number; filesTotal: number; records: number; bytes: number }): void;
  maxErrors?: number;
  maxLineBytes?: number;
}

export interface CatLogsResult {
  files: number;
  records: number;
  badRecords: number;
  /** Files (or directories) that could not be read to their end: missing, a link, a broken gzip. */
  unreadable: number;
}

/**
 * `vigil logs cat`: every record of every file (directories walked recursively, in name order, as
 * zeekctl lays out `logs/YYYY-MM-DD/`) as normalised NDJSON. A bad line is reported with its file
 * and line and skipped; a file that cannot be read (or whose gzip stream breaks) is reported and
 * the next file is read: one broken file never hides the others.
 */
export async function catLogs(paths: string[], o: CatLogsOptions): Promise<CatLogsResult> {
  const { files, skipped } = await walkInputs(paths);
  const res: CatLogsResult = { files: files.length, records: 0, badRecords: 0, unreadable: skipped.length };
  for (const s of skipped) o.problem(`${s.path}: not read: ${s.reason}`);
  let bytes = 0;
  for (const [i, f] of files.entries()) {
    try {
      const it = readLog(f, {
        ...(o.maxErrors ? { maxErrors: o.maxErrors } : {}),
        ...(o.maxLineBytes ? { maxLineBytes: o.maxLineBytes } : {}),
      });
      for (;;) {
        const n = await it.next();
        if (n.done) {
          const r = n.value;
          res.records += r.records;
          bytes += r.endOffset;
          if (r.error) res.unreadable++;
          res.badRecords += r.badRecords - (r.error ? 1 : 0);
          for (const e of r.errors) o.problem(`${e.file}:${e.line}: ${e.message}`);
          if (r.badRecords > r.errors.length)
            o.problem(`${f}: ${r.badRecords - r.errors.length} more bad records`);
          break;
        }
        await o.write(`${n.value.map(recordToNdjson).join('\n')}\n`);
      }
    } catch (err) {
      res.unreadable++;
      o.problem(`${f}: not read: ${(err as Error).message.replace(`${f}: `, '')}`);
    }
    o.progress?.({ filesDone: i + 1, filesTotal: files.length, records: res.records, bytes });
  }
  return res;
}

/** Exit code of `logs cat`: 0 every record read, 1 bad records (skipped), 2 a file could not be read. */
export function catExitCode(r: CatLogsResult): 0 | 1 | 2 {
  return r.unreadable > 0 ? 2 : r.badRecords > 0 ? 1 : 0;
}
