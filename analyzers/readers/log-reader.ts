import { basename } from 'node:path';
import { readLines } from './line-source.js';
import { ZeekTsvParser, type ZeekTsvHeader } from './zeek-tsv.js';
import { parseZeekJsonLine } from './zeek-json.js';
import { parseEveLine } from './suricata-eve.js';
import type { BadRecord, LogRecord } from '../types.js';

export type LogFormat = 'zeek-tsv' | 'zeek-json' | 'suricata-eve';

/** Reader state kept in a checkpoint: enough to resume mid-file. */
export interface ReadState {
  format?: LogFormat;
  header?: ZeekTsvHeader;
  line: number;
}

export interface ReadResult {
  endOffset: number;
  sha256: string;
  records: number;
  badRecords: number;
  /** The first `maxErrors` bad records with their line numbers. */
  errors: BadRecord[];
  state: ReadState;
  pendingBytes: number;
  format?: LogFormat;
}

export interface ReadLogOptions {
  fromOffset?: number;
  state?: ReadState;
  final?: boolean;
  maxErrors?: number;
  batchSize?: number;
}

/** The log path a Zeek JSON file without `_path` gets from its name (`conn.00:00:00-01:00:00.log.gz` → conn). */
export function pathFromFileName(file: string): string {
  return basename(file).split('.')[0] ?? '';
}

function sniff(line: string): LogFormat {
  if (line.startsWith('{'))
    return /"event_type"\s*:/.test(line) && /"timestamp"\s*:/.test(line) ? 'suricata-eve' : 'zeek-json';
  return 'zeek-tsv';
}

/**
 * Reads a Zeek TSV, Zeek JSON or Suricata EVE file (plain or gzip, sniffed from its first line)
 * as batches of records. Bad lines are counted and skipped, never thrown: the result says how
 * many and where. Memory stays constant: only a batch of lines is held at a time.
 */
export async function* readLog(
  path: string,
  opts: ReadLogOptions = {},
): AsyncGenerator<LogRecord[], ReadResult> {
  const maxErrors = opts.maxErrors ?? 100;
  let format = opts.state?.format;
  let tsv: ZeekTsvParser | undefined =
    format === 'zeek-tsv' ? new ZeekTsvParser(path, opts.state?.header) : undefined;
  const defaultPath = pathFromFileName(path);
  const errors: BadRecord[] = [];
  let records = 0;
  let bad = 0;
  const lines = readLines(path, {
    fromOffset: opts.fromOffset ?? 0,
    linesBefore: opts.state?.line ?? 0,
    final: opts.final ?? true,
    ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
  });
  const addBad = (line: number, message: string): void => {
    bad++;
    if (errors.length < maxErrors) errors.push({ file: path, line, message });
  };
  for (;;) {
    const next = await lines.next();
    if (next.done) {
      const r = next.value;
      return {
        endOffset: r.endOffset,
        sha256: r.sha256,
        records,
        badRecords: bad,
        errors,
        state: {
          ...(format ? { format } : {}),
          ...(tsv?.header ? { header: tsv.header } : {}),
          line: r.lastLine,
        },
        pendingBytes: r.pendingBytes,
        ...(format ? { format } : {}),
      };
    }
    const out: LogRecord[] = [];
    const { lines: batch, firstLine } = next.value;
    for (let i = 0; i < batch.length; i++) {
      const text = batch[i]!;
      const lineNo = firstLine + i;
      if (text === '') continue;
      if (!format) {
        // comments before the first record (a `### BTest` line) say nothing about the format
        if (text.startsWith('#') && !text.startsWith('#separator') && !text.startsWith('#fields')) continue;
        format = sniff(text);
        if (format === 'zeek-tsv') tsv = new ZeekTsvParser(path);
      }
      if (format === 'zeek-tsv') {
        const r = tsv!.feed(text, lineNo);
        if (r.kind === 'record') out.push(r.rec);
        else if (r.kind === 'bad') addBad(lineNo, r.message);
        continue;
      }
      const r =
        format === 'zeek-json'
          ? parseZeekJsonLine(text, path, lineNo, defaultPath)
          : parseEveLine(text, path, lineNo);
      if (r.kind === 'record') out.push(r.rec);
      else addBad(lineNo, r.message);
    }
    records += out.length;
    if (out.length > 0) yield out;
  }
}
