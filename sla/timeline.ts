import type { MsRange } from './ranges.js';

/** One probe sample as the SLA computation sees it (DESIGN.md §7 results line, or a ProbeResult). */
export interface SlaSample {
  /** Epoch ms of the probe's start. */
  ts: number;
  ok: boolean;
  totalMs: number;
  location: string;
  /** The probing process was itself too slow: latency not trusted (DESIGN.md §5, S1). */
  loopDelayFlagged?: boolean;
  /** The probing process's event-loop delay, when known (for a policy's own threshold). */
  loopDelayMs?: number;
}

export interface TimelineOptions {
  /** How long a sample's state holds at most (DESIGN.md §5: 2 × the probe interval). */
  stalenessMs: number;
  /** Locations that must say down; undefined = a majority of the locations with a known state. */
  quorum?: number;
}

/** The service's combined state over time: merged up and down ranges; the rest is unknown. */
export interface Timeline {
  up: MsRange[];
  down: MsRange[];
}

interface Runs {
  starts: number[];
  ends: number[];
  down: boolean[];
}

/** Per location: each sample's state holds until the next sample, but never past staleness. */
function locationRuns(samples: readonly SlaSample[], stalenessMs: number): Runs {
  // Ties on ts: a failure sorts last so it wins, whatever order the results came in.
  const s = [...samples].sort((a, b) => a.ts - b.ts || Number(b.ok) - Number(a.ok));
  const runs: Runs = { starts: [], ends: [], down: [] };
  for (let i = 0; i < s.length; i++) {
    const cur = s[i]!;
    const next = s[i + 1];
    const end = Math.min(next ? next.ts : Infinity, cur.ts + stalenessMs);
    if (end <= cur.ts) continue;
    const n = runs.starts.length - 1;
    if (n >= 0 && runs.ends[n] === cur.ts && runs.down[n] === !cur.ok) runs.ends[n] = end;
    else {
      runs.starts.push(cur.ts);
      runs.ends.push(end);
      runs.down.push(!cur.ok);
    }
  }
  return runs;
}

/**
 * The verdict at an instant from the locations' states (DESIGN.md §5). Down when at least
 * `quorum` locations say down (default: a strict majority of those with a known state). With an
 * explicit quorum and fewer known locations than it, a down report cannot be confirmed: unknown.
 */
export function verdict(up: number, down: number, quorum: number | undefined): 'up' | 'down' | 'unknown' {
  const known = up + down;
  if (known === 0) return 'unknown';
  if (quorum === undefined) return down * 2 > known ? 'down' : 'up';
  if (down >= quorum) return 'down';
  if (down > 0 && known < quorum) return 'unknown';
  return 'up';
}

function pushRange(list: [number, number][], f: number, t: number): void {
  const last = list[list.length - 1];
  if (last && last[1] === f) last[1] = t;
  else list.push([f, t]);
}

/** Builds the combined timeline over all locations with one k-way sweep: O(samples × locations). */
export function buildTimeline(samples: readonly SlaSample[], opts: TimelineOptions): Timeline {
  const byLoc = new Map<string, SlaSample[]>();
  for (const s of samples) {
    let list = byLoc.get(s.location);
    if (!list) byLoc.set(s.location, (list = []));
    list.push(s);
  }
  const locs = [...byLoc.values()].map((l) => locationRuns(l, opts.stalenessMs));
  const ptr = locs.map(() => 0);
  const up: [number, number][] = [];
  const down: [number, number][] = [];
  let t = Infinity;
  for (const r of locs) if (r.starts.length > 0) t = Math.min(t, r.starts[0]!);
  while (t < Infinity) {
    let nUp = 0;
    let nDown = 0;
    let next = Infinity;
    for (let k = 0; k < locs.length; k++) {
      const r = locs[k]!;
      let p = ptr[k]!;
      while (p < r.ends.length && r.ends[p]! <= t) p++;
      ptr[k] = p;
      if (p >= r.starts.length) continue;
      if (r.starts[p]! <= t) {
        if (r.down[p]) nDown++;
        else nUp++;
        next = Math.min(next, r.ends[p]!);
      } else next = Math.min(next, r.starts[p]!);
    }
    if (next === Infinity) break;
    const v = verdict(nUp, nDown, opts.quorum);
    if (v === 'up') pushRange(up, t, next);
    else if (v === 'down') pushRange(down, t, next);
    t = next;
  }
  return { up, down };
}
