import type { FindingEvidence, Severity } from '../../core/index.js';
import type { DetectedFinding, LogRecord } from '../types.js';

/** A string field, or undefined. */
export const str = (r: LogRecord, k: string): string | undefined => {
  const v = r.fields[k];
  return typeof v === 'string' ? v : undefined;
};
/** A number field, or undefined. */
export const num = (r: LogRecord, k: string): number | undefined => {
  const v = r.fields[k];
  return typeof v === 'number' ? v : undefined;
};
/** A nested EVE field by dotted path (`alert.signature_id`). */
export const deep = (r: LogRecord, path: string): unknown => {
  let v: unknown = r.fields;
  for (const p of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
};

/** ISO 8601 of epoch seconds (millisecond precision, as stored). */
export const isoOf = (s: number): string => new Date(Math.round(s * 1000)).toISOString();
let lastDay = NaN;
let lastDayText = '';
/** UTC day of epoch seconds, `YYYY-MM-DD`: part of keys of findings that are per day (cached: records come in time order). */
export const dayOf = (s: number): string => {
  if (!Number.isFinite(s)) return 'unknown';
  const d = Math.floor(s / 86_400);
  if (d !== lastDay) {
    lastDay = d;
    lastDayText = new Date(d * 86_400_000).toISOString().slice(0, 10);
  }
  return lastDayText;
};
/** UTC hour of epoch seconds, `YYYY-MM-DDTHH`. */
export const hourOf = (s: number): string =>
  Number.isFinite(s) ? new Date(s * 1000).toISOString().slice(0, 13) : 'unknown';

const ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
/** Whether severity a is at least as severe as b. */
export const atLeast = (a: Severity, b: Severity): boolean => ORDER.indexOf(a) <= ORDER.indexOf(b);
/** Sorts findings most severe first, then by count. */
export const rank = (fs: DetectedFinding[]): DetectedFinding[] =>
  fs.sort((a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity) || b.count - a.count);

/**
 * Accumulates one finding's sightings: first/last time, count, a few evidence lines. Every
 * aggregating detector keeps one per key, so its memory grows with keys, not records.
 */
export class Tally {
  first = Infinity;
  last = -Infinity;
  count = 0;
  evidence: FindingEvidence[] = [];

  add(r: LogRecord, n = 1): void {
    this.count += n;
    if (Number.isFinite(r.ts)) {
      if (r.ts < this.first) this.first = r.ts;
      if (r.ts > this.last) this.last = r.ts;
    }
    if (this.evidence.length < 5) this.evidence.push({ file: r.file, line: r.line });
  }

  /** The finding's time/count/evidence fields. */
  span(): Pick<DetectedFinding, 'firstSeen' | 'lastSeen' | 'count' | 'evidence'> {
    const first = Number.isFinite(this.first) ? this.first : 0;
    const last = Number.isFinite(this.last) ? this.last : first;
    return { firstSeen: isoOf(first), lastSeen: isoOf(last), count: this.count, evidence: this.evidence };
  }
}

/** Gets or makes a map entry. */
export function upsert<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) {
    v = make();
    m.set(k, v);
  }
  return v;
}

/** Shannon entropy of a string, bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Source and destination of a Zeek or EVE record. */
export function endpoints(r: LogRecord): { src?: string; dst?: string; sport?: number; dport?: number } {
  if (r.source === 'suricata') {
    const out: { src?: string; dst?: string; sport?: number; dport?: number } = {};
    const s = str(r, 'src_ip');
    const d = str(r, 'dest_ip');
    const sp = num(r, 'src_port');
    const dp = num(r, 'dest_port');
    if (s) out.src = s;
    if (d) out.dst = d;
    if (sp !== undefined) out.sport = sp;
    if (dp !== undefined) out.dport = dp;
    return out;
  }
  const out: { src?: string; dst?: string; sport?: number; dport?: number } = {};
  const s = str(r, 'id.orig_h') ?? str(r, 'src');
  const d = str(r, 'id.resp_h') ?? str(r, 'dst');
  const sp = num(r, 'id.orig_p') ?? num(r, 'p');
  const dp = num(r, 'id.resp_p');
  if (s) out.src = s;
  if (d) out.dst = d;
  if (sp !== undefined) out.sport = sp;
  if (dp !== undefined) out.dport = dp;
  return out;
}

/** Reads a detector option with a default, checking its type (the config schema checked it already). */
export function opt<T>(o: Record<string, unknown>, k: string, dflt: T): T {
  const v = o[k];
  return v === undefined ? dflt : (v as T);
}
