import { looksIso, parseIsoSeconds } from './zeek-time.js';
import type { LogRecord } from '../types.js';

/**
 * Zeek JSON logs: `LogAscii::use_json=T` (epoch-double times) and the json-streaming-logs form
 * (`_path`, `_write_ts`, ISO 8601 times). Times become epoch seconds: ISO strings anywhere, and
 * numbers in the fields Zeek types as `time`. `_write_ts` is write metadata of the streaming
 * writer, absent from TSV, and dropped so both forms normalise alike.
 */

/** Fields Zeek logs type as `time` (for the epoch-double JSON form, where types are not written). */
const KNOWN_TIME_FIELDS = new Set([
  'ts',
  'certificate.not_valid_before',
  'certificate.not_valid_after',
  'seen.ts',
  'start_time',
  'end_time',
]);

/**
 * Zeek's ASCII writer prints intervals and doubles with six decimals (`%.6f`, its time resolution
 * is a microsecond) while its JSON writer prints the full double; rounding JSON's to six decimals
 * makes both forms of a record equal.
 */
const roundMicros = (x: number): number => Math.round(x * 1e6) / 1e6;

/** One NDJSON line parsed to an object, or why it is not one (counted as a bad record, never thrown). */
export function parseJsonObject(
  line: string,
): { kind: 'object'; obj: Record<string, unknown> } | { kind: 'bad'; message: string } {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch (err) {
    return { kind: 'bad', message: `broken JSON: ${(err as Error).message}` };
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    return { kind: 'bad', message: 'not a JSON object' };
  return { kind: 'object', obj: obj as Record<string, unknown> };
}

export type JsonLineResult = { kind: 'record'; rec: LogRecord } | { kind: 'bad'; message: string };

/** Parses one line of a Zeek JSON log; `defaultPath` is used when the record has no `_path` (named from the file). */
export function parseZeekJsonLine(
  line: string,
  file: string,
  lineNo: number,
  defaultPath: string,
): JsonLineResult {
  const parsed = parseJsonObject(line);
  if (parsed.kind === 'bad') return parsed;
  const src = parsed.obj;
  const fields: Record<string, unknown> = {};
  const timeFields: string[] = [];
  let path = defaultPath;
  for (const k of Object.keys(src)) {
    const v = src[k];
    if (k === '_path') {
      if (typeof v === 'string') path = v;
      continue;
    }
    if (k === '_write_ts' || v === null) continue;
    if (typeof v === 'string' && looksIso(v)) {
      fields[k] = parseIsoSeconds(v);
      timeFields.push(k);
    } else if (typeof v === 'number' && KNOWN_TIME_FIELDS.has(k)) {
      fields[k] = v;
      timeFields.push(k);
    } else if (typeof v === 'number' && !Number.isInteger(v)) fields[k] = roundMicros(v);
    else if (Array.isArray(v) && v.some((x) => typeof x === 'number' && !Number.isInteger(x)))
      fields[k] = v.map((x: unknown) => (typeof x === 'number' ? roundMicros(x) : x));
    else fields[k] = v;
    if (
      (k.endsWith('_p') || k.endsWith('.port')) &&
      typeof v === 'number' &&
      (!Number.isInteger(v) || v < 0 || v > 65535)
    ) {
      return { kind: 'bad', message: `${k}: port ${v} out of range 0–65535` };
    }
  }
  const ts = typeof fields.ts === 'number' ? fields.ts : NaN;
  return { kind: 'record', rec: { source: 'zeek', path, ts, fields, timeFields, file, line: lineNo } };
}
