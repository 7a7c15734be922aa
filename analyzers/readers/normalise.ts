import { formatIsoMicros } from './zeek-time.js';
import type { LogRecord } from '../types.js';

/**
 * The normalised NDJSON form of a record (`vigil logs cat`): `_source`, `_path` first, then `ts`,
 * then the other fields in sorted order, times as ISO 8601 UTC with microseconds, unset fields
 * left out. The TSV and JSON forms of the same Zeek record give the same line.
 */
export function normaliseRecord(rec: LogRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { _source: rec.source, _path: rec.path };
  const times = new Set(rec.timeFields);
  const keys = Object.keys(rec.fields).sort();
  if ('ts' in rec.fields) keys.unshift(...keys.splice(keys.indexOf('ts'), 1));
  for (const k of keys) {
    const v = rec.fields[k];
    if (times.has(k))
      out[k] = Array.isArray(v)
        ? v.map((x) => (typeof x === 'number' ? formatIsoMicros(x) : x))
        : typeof v === 'number'
          ? formatIsoMicros(v)
          : v;
    else out[k] = v;
  }
  return out;
}

/** One NDJSON line of a record. */
export function recordToNdjson(rec: LogRecord): string {
  return JSON.stringify(normaliseRecord(rec));
}
