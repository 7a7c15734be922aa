/**
 * Half-open millisecond ranges [from, to) and the few set operations the SLA computation needs.
 * Kept local to the pure computation so it has no dependency beyond plain numbers; every function
 * returns sorted, non-overlapping, non-empty ranges.
 */
export type MsRange = readonly [from: number, to: number];

/** Sorts and merges overlapping or touching ranges; drops empty ones. */
export function mergeMs(ranges: readonly MsRange[]): MsRange[] {
  const sorted = ranges.filter((r) => r[1] > r[0]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [f, t] of sorted) {
    const last = out[out.length - 1];
    if (last && f <= last[1]) last[1] = Math.max(last[1], t);
    else out.push([f, t]);
  }
  return out;
}

/** The parts of `a` that lie inside `b` (both merged first). */
export function intersectMs(a: readonly MsRange[], b: readonly MsRange[]): MsRange[] {
  const x = mergeMs(a);
  const y = mergeMs(b);
  const out: MsRange[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const [af, at] = x[i]!;
    const [bf, bt] = y[j]!;
    const f = Math.max(af, bf);
    const t = Math.min(at, bt);
    if (t > f) out.push([f, t]);
    if (at < bt) i++;
    else j++;
  }
  return out;
}

/** The parts of `a` outside `b`. */
export function subtractMs(a: readonly MsRange[], b: readonly MsRange[]): MsRange[] {
  const y = mergeMs(b);
  const out: MsRange[] = [];
  for (const [af, at] of mergeMs(a)) {
    let cur = af;
    for (const [bf, bt] of y) {
      if (bt <= cur) continue;
      if (bf >= at) break;
      if (bf > cur) out.push([cur, bf]);
      cur = Math.max(cur, bt);
      if (cur >= at) break;
    }
    if (cur < at) out.push([cur, at]);
  }
  return out;
}

/** Total length in ms of merged ranges. */
export function totalMsOf(ranges: readonly MsRange[]): number {
  let sum = 0;
  for (const [f, t] of mergeMs(ranges)) sum += t - f;
  return sum;
}

/** Length in ms of the overlap of `[f, t)` with sorted, merged `ranges`. */
export function overlapMs(f: number, t: number, ranges: readonly MsRange[]): number {
  let sum = 0;
  for (const [rf, rt] of ranges) {
    if (rt <= f) continue;
    if (rf >= t) break;
    sum += Math.min(t, rt) - Math.max(f, rf);
  }
  return sum;
}
