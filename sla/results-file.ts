import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ParseError, errorMessage } from '../core/index.js';
import type { SlaSample } from './timeline.js';

/**
 * Parses one results line (DESIGN.md §7): `{"ts","ok","totalMs","location"?}`; ts is ISO 8601
 * or epoch ms; `loopDelayFlagged` is honoured when present. Returns an error text when malformed.
 */
export function parseResultLine(line: string): SlaSample | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    return `not JSON: ${errorMessage(err)}`;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
  const o = v as Record<string, unknown>;
  const ts = typeof o.ts === 'number' ? o.ts : typeof o.ts === 'string' ? Date.parse(o.ts) : NaN;
  if (!Number.isFinite(ts))
    return `"ts" must be an ISO 8601 time or epoch milliseconds, got ${JSON.stringify(o.ts)}`;
  if (typeof o.ok !== 'boolean') return `"ok" must be true or false, got ${JSON.stringify(o.ok)}`;
  if (typeof o.totalMs !== 'number' || !Number.isFinite(o.totalMs) || o.totalMs < 0) {
    return `"totalMs" must be a non-negative number, got ${JSON.stringify(o.totalMs)}`;
  }
  if (o.location !== undefined && typeof o.location !== 'string') return `"location" must be a string`;
  const s: SlaSample = {
    ts,
    ok: o.ok,
    totalMs: o.totalMs,
    location: (o.location as string | undefined) ?? 'default',
  };
  if (o.loopDelayFlagged === true) s.loopDelayFlagged = true;
  return s;
}

/** Reads a JSONL results file; blank lines are skipped; a bad line throws ParseError naming file:line. */
export async function readResultsFile(path: string): Promise<SlaSample[]> {
  const out: SlaSample[] = [];
  let n = 0;
  try {
    const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
    for await (const line of rl) {
      n++;
      if (line.trim() === '') continue;
      const r = parseResultLine(line);
      if (typeof r === 'string') throw new ParseError('SLA_RESULTS', path, n, r);
      out.push(r);
    }
  } catch (err) {
    if (err instanceof ParseError) throw err;
    throw new ParseError('SLA_RESULTS', path, n, `cannot read: ${errorMessage(err)}`, { cause: err });
  }
  return out;
}
