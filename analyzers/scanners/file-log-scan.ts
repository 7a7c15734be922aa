import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { errorMessage, type AnalysisInput, type Severity } from '../../core/index.js';
import { readFileLog } from './file-logs.js';
import { findingFromSighting, type ScanFinding } from './findings.js';
import type { HashLists } from './hash-lists.js';
import type { LogCheckpoint, ScanRunStore } from './scan-run.js';

export interface FileLogScan {
  findings: ScanFinding[];
  inputs: AnalysisInput[];
  /** To be committed with the findings, never before them. */
  checkpoints: LogCheckpoint[];
  errors: string[];
}

/**
 * Matches the digests in Zeek files.log / Suricata fileinfo against the hash lists, from each
 * log's checkpoint on. A rotated log (new dev/ino) or a truncated one (smaller than the
 * checkpoint) is read from the start; findings are keyed by log and offset, so a re-read dedups.
 * The checkpoints are returned, to be committed in the same transaction as the findings.
 */
export async function scanFileLogs(
  logs: string[],
  lists: HashLists,
  opts: { analyzer: string; severity: Severity; store?: Pick<ScanRunStore, 'getCheckpoint'> },
): Promise<FileLogScan> {
  const out: FileLogScan = { findings: [], inputs: [], checkpoints: [], errors: [] };
  for (const log of logs) {
    try {
      const st = await stat(log);
      const inputKey = `file-log:${log}`;
      const cp = await opts.store?.getCheckpoint(opts.analyzer, inputKey);
      const sameFile = cp && cp.dev === String(st.dev) && cp.ino === String(st.ino) && cp.offset <= st.size;
      const from = sameFile ? cp.offset : 0;
      const read = await readFileLog(log, from);
      for (const s of read.sightings) {
        for (const d of [s.sha256, s.sha1, s.md5]) {
          const entry = lists.match(d);
          if (entry) {
            out.findings.push(findingFromSighting(s, entry, opts.severity));
            break;
          }
        }
      }
      out.inputs.push({
        path: log,
        sha256: await sliceSha256(log, from, read.toOffset),
        fromOffset: from,
        toOffset: read.toOffset,
        records: read.records,
        badRecords: read.badRecords,
      });
      out.checkpoints.push({
        analyzer: opts.analyzer,
        inputKey,
        path: log,
        dev: String(st.dev),
        ino: String(st.ino),
        offset: read.toOffset,
      });
    } catch (err) {
      out.errors.push(`file log ${log}: ${errorMessage(err)}`);
    }
  }
  return out;
}

/** SHA-256 of the bytes [from, to) of a file: what this run read. For .gz, of the whole file. */
async function sliceSha256(path: string, from: number, to: number): Promise<string> {
  const h = createHash('sha256');
  const fh = await open(path, 'r');
  try {
    const gz = path.endsWith('.gz');
    const end = gz ? (await fh.stat()).size : to;
    let pos = gz ? 0 : from;
    const buf = Buffer.alloc(1 << 20);
    while (pos < end) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - pos), pos);
      if (bytesRead === 0) break;
      h.update(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return h.digest('hex');
}
