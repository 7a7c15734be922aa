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
    obj = JSON.parse(BIG_INT.test(line) ? quoteBigIntegers(line) : line);
  } catch (err) {
    return { kind: 'bad', message: `broken JSON: ${(err as Error).message}` };
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    return { kind: 'bad', message: 'not a JSON object' };
  // Nesting only a crafted line can have would overflow the stack of every later step (printing
  // it, Sigma's field walk): a line shorter than this cannot nest that deep, so most skip the check.
  if (line.length > MAX_DEPTH * 2 && depthOver(obj, MAX_DEPTH))
    return { kind: 'bad', message: `JSON nested deeper than ${MAX_DEPTH} levels` };
  return { kind: 'object', obj: obj as Record<string, unknown> };
}

const MAX_DEPTH = 64;

function depthOver(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > max) return true;
    if (v !== null && typeof v === 'object')
      for (const c of Object.values(v as Record<string, unknown>))
        if (c !== null && typeof c === 'object') stack.push([c, d + 1]);
  }
  return false;
}

/** A run of 16+ digits: the only way a JSON integer can exceed 2^53 (9007199254740992 has 16). */
const BIG_INT = /\d{16}/;

/**
 * JSON.parse rounds integers above 2^53 (Zeek's 64-bit counts, Suricata's flow ids): such number
 * tokens outside strings become strings holding their exact decimal text, as the TSV reader
 * keeps them, so both forms give the same value and nothing is changed silently.
 */
export function quoteBigIntegers(line: string): string {
  let out = '';
  let last = 0;
  let inStr = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (inStr) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inStr = false;
      continue;
    }
    if (c === 0x22) {
      inStr = true;
      continue;
    }
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
      // the whole number token: sign, digits, fraction, exponent
      let j = i + 1;
      let integer = true;
      while (j < line.length) {
        const d = line.charCodeAt(j);
        if (d >= 0x30 && d <= 0x39) j++;
        else if (d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) {
          integer = false;
          j++;
        } else break;
      }
      const tok = line.slice(i, j);
      if (integer && tok !== '-' && !Number.isSafeInteger(Number(tok))) {
        out += `${line.slice(last, i)}"${tok}"`;
        last = j;
      }
      i = j - 1;
    }
  }
  return last === 0 ? line : out + line.slice(last);
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
