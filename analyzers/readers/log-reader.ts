import { basename } from 'node:path';
import { DEFAULT_MAX_LINE_BYTES, readLines } from './line-source.js';
import { ZeekTsvParser, type ZeekTsvHeader } from './zeek-tsv.js';
import { parseZeekJsonLine } from './zeek-json.js';
import { parseEveLine } from './suricata-eve.js';
import type { BadRecord, LogRecord } from '../types.js';

export type LogFormat = 'zeek-tsv' | 'zeek-json' | 'suricata-eve' | 'json-document';

/** Reader state kept in a checkpoint: enough to resume mid-file. */
export interface ReadState {
  format?: LogFormat;
  header?: ZeekTsvHeader;
  line: number;
  /** The offset is this many bytes into a line over the length cap. */
  skipping?: number;
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
  /** SHA-256 of the content bytes just before endOffset (the checkpoint's proof of identity). */
  windowHash: string;
  /** The read stopped early (a broken or truncated gzip stream): what was read before is in the counts. */
  error?: string;
  /** The file is not the one the checkpoint was taken on (bytes before the offset differ); nothing was read. */
  mismatch?: boolean;
}

export interface ReadLogOptions {
  fromOffset?: number;
  state?: ReadState;
  final?: boolean;
  maxErrors?: number;
  batchSize?: number;
  /** Line length cap in bytes (longer lines are bad records). */
  maxLineBytes?: number;
  /** The checkpoint's windowHash at fromOffset, verified before reading on. */
  expectWindow?: string;
}

/** The log path a Zeek JSON file without `_path` gets from its name (`conn.00:00:00-01:00:00.log.gz` → conn). */
export function pathFromFileName(file: string): string {
  return basename(file).split('.')[0] ?? '';
}

function sniff(line: string): LogFormat {
  const t = line.trimEnd();
  // a JSON array (`jq .` or an API export of EVE) or one object printed over many lines
  if (t === '{' || t.startsWith('[')) return 'json-document';
  if (line.startsWith('{'))
    return /"event_type"\s*:/.test(line) && /"timestamp"\s*:/.test(line) ? 'suricata-eve' : 'zeek-json';
  return 'zeek-tsv';
}

const JSON_DOCUMENT =
  'the file is pretty-printed JSON or a JSON array, not one JSON object per line (NDJSON) as Zeek and Suricata write it; convert it with `jq -c ".[]?, objects"` and read the result';

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
    ...(opts.maxLineBytes ? { maxLineBytes: opts.maxLineBytes } : {}),
    ...(opts.expectWindow ? { expectWindow: opts.expectWindow } : {}),
    ...(opts.state?.skipping ? { skipping: opts.state.skipping } : {}),
  });
  const addBad = (line: number, message: string): void => {
    bad++;
    if (errors.length < maxErrors) errors.push({ file: path, line, message });
  };
  for (;;) {
    const next = await lines.next();
    if (next.done) {
      const r = next.value;
      if (r.error) addBad(r.lastLine + 1, r.error);
      return {
        endOffset: r.endOffset,
        sha256: r.sha256,
        windowHash: r.windowHash,
        records,
        badRecords: bad,
        errors,
        state: {
          ...(format ? { format } : {}),
          ...(tsv?.header ? { header: tsv.header } : {}),
          line: r.lastLine,
          ...(r.skipping ? { skipping: r.skipping } : {}),
        },
        pendingBytes: r.pendingBytes,
        ...(format ? { format } : {}),
        ...(r.error ? { error: r.error } : {}),
        ...(r.mismatch ? { mismatch: true } : {}),
      };
    }
    const out: LogRecord[] = [];
    const { lines: batch, firstLine, overlong } = next.value;
    if (overlong)
      for (const o of overlong)
        addBad(
          o.line,
          `line of ${o.bytes} bytes is over the ${opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES}-byte cap; skipped`,
        );
    for (let i = 0; i < batch.length; i++) {
      let text = batch[i]!;
      const lineNo = firstLine + i;
      if (text === '') continue;
      // a UTF-8 byte order mark (Windows editors, some exports) is not part of the first line
      if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (format === 'json-document') continue;
      if (!format) {
        // comments before the first record (a `### BTest` line) say nothing about the format
        if (text.startsWith('#') && !text.startsWith('#separator') && !text.startsWith('#fields')) continue;
        format = sniff(text);
        if (format === 'zeek-tsv') tsv = new ZeekTsvParser(path);
        if (format === 'json-document') {
          // say once what the file is, instead of one "bad record" per line
          addBad(lineNo, JSON_DOCUMENT);
          continue;
        }
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
