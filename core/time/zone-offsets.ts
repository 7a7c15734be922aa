/**
 * UTC offsets of an IANA time zone, learnt from the runtime's zone data (Intl.DateTimeFormat) and
 * cached: each ~384-day chunk of the time line is probed once per day, and every change of offset
 * found is pinned to the second by binary search. After that, offset lookups are a search in a
 * short array, with no Intl call on the hot path. Limitation, documented: two changes within one
 * probing day that cancel out (none exist in current tzdata since 1970) would be missed.
 */
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
const PROBE_STEP_MS = DAY_MS;
const CHUNK_MS = 384 * DAY_MS;

/** A stretch of time with one UTC offset: `[start, end)`, wall time = instant + offset. */
export interface OffsetSegment {
  start: number;
  end: number;
  offset: number;
}

interface Chunk {
  /** Offset in effect at the chunk start. */
  offset: number;
  /** Changes inside the chunk, ascending: from `at` on, `offset` applies. */
  changes: { at: number; offset: number }[];
}

/** Epoch ms of a wall-clock date read as if it were UTC; handles years 0–99 that Date.UTC remaps. */
export function wallMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (year >= 0 && year < 100) return new Date(ms).setUTCFullYear(year);
  return ms;
}

export class ZoneOffsets {
  readonly tz: string;
  private readonly fmt: Intl.DateTimeFormat | undefined;
  private readonly chunks = new Map<number, Chunk>();

  constructor(tz: string) {
    this.tz = tz;
    this.fmt =
      tz === 'UTC'
        ? undefined
        : new Intl.DateTimeFormat('en-US', {
            timeZone: tz,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          });
  }

  /** Offset straight from Intl, for an instant on a whole second. */
  private probe(t: number): number {
    if (this.fmt === undefined) return 0;
    const f: Record<string, number> = {};
    for (const p of this.fmt.formatToParts(t)) if (p.type !== 'literal') f[p.type] = Number(p.value);
    return wallMs(f.year!, f.month!, f.day!, f.hour!, f.minute!, f.second!) - t;
  }

  private chunk(index: number): Chunk {
    const cached = this.chunks.get(index);
    if (cached !== undefined) return cached;
    const start = index * CHUNK_MS;
    const end = start + CHUNK_MS;
    const chunk: Chunk = { offset: this.probe(start), changes: [] };
    let prevT = start;
    let prevO = chunk.offset;
    while (this.fmt !== undefined && prevT < end) {
      const t = Math.min(prevT + PROBE_STEP_MS, end);
      const o = this.probe(t);
      if (o !== prevO) {
        // Zone changes happen on whole seconds: search seconds in (lo, hi].
        let lo = prevT;
        let hi = t;
        while (hi - lo > 1000) {
          const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
          if (this.probe(mid) === prevO) lo = mid;
          else hi = mid;
        }
        const at = this.probe(hi);
        chunk.changes.push({ at: hi, offset: at });
        // A second change inside the same probing step (never seen in practice) is still caught
        // when it differs from the value probed at t.
        if (at !== o && t > hi) chunk.changes.push({ at: t, offset: o });
      }
      prevT = t;
      prevO = o;
    }
    this.chunks.set(index, chunk);
    return chunk;
  }

  /** UTC offset in ms at an instant (wall time = instant + offset). */
  offsetAt(t: number): number {
    const c = this.chunk(Math.floor(t / CHUNK_MS));
    let o = c.offset;
    for (const ch of c.changes) {
      if (ch.at > t) break;
      o = ch.offset;
    }
    return o;
  }

  /** `[from, to)` cut into stretches of constant offset, ascending. */
  segments(from: number, to: number): OffsetSegment[] {
    const out: OffsetSegment[] = [];
    if (!(to > from)) return out;
    let cur: OffsetSegment = { start: from, end: to, offset: this.offsetAt(from) };
    const last = Math.floor((to - 1) / CHUNK_MS);
    for (let i = Math.floor(from / CHUNK_MS); i <= last; i++) {
      for (const ch of this.chunk(i).changes) {
        if (ch.at <= from || ch.at >= to || ch.offset === cur.offset) continue;
        cur.end = ch.at;
        out.push(cur);
        cur = { start: ch.at, end: to, offset: ch.offset };
      }
    }
    out.push(cur);
    return out;
  }
}

const zones = new Map<string, ZoneOffsets>();

/** The process's own zone, which Alertmanager calls "Local". */
export function localZoneName(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * The cached offsets of a zone. Accepts IANA names (as the runtime knows them), "UTC" and "Local".
 * Throws a RangeError for an unknown zone.
 */
export function zoneOffsets(tz: string): ZoneOffsets {
  const hit = zones.get(tz);
  if (hit !== undefined) return hit;
  const name = tz === 'Local' ? localZoneName() : tz;
  const canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  const zone = zones.get(canonical) ?? new ZoneOffsets(canonical === 'Etc/UTC' ? 'UTC' : canonical);
  zones.set(canonical, zone);
  zones.set(tz, zone);
  return zone;
}

/** Whether the runtime knows the zone (IANA name, "UTC" or "Local"). */
export function isKnownZone(tz: string): boolean {
  if (tz === 'Local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch (err) {
    if (err instanceof RangeError) return false;
    throw err;
  }
}
