/** A half-open span of time `[fromMs, toMs)` in epoch milliseconds. */
export type Range = [number, number];

/**
 * Sorts ranges and merges overlapping or touching ones (`[a,b)` and `[b,c)` become `[a,c)`).
 * Empty ranges (`from >= to`) are dropped. The input is not modified.
 */
export function mergeRanges(r: readonly Range[]): Range[] {
  const sorted = r.filter(([a, b]) => a < b).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: Range[] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && a <= last[1]) {
      if (b > last[1]) last[1] = b;
    } else {
      out.push([a, b]);
    }
  }
  return out;
}

/** The time covered by both `a` and `b`, sorted and merged. */
export function intersectRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const x = mergeRanges(a);
  const y = mergeRanges(b);
  const out: Range[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const [a0, a1] = x[i]!;
    const [b0, b1] = y[j]!;
    const from = Math.max(a0, b0);
    const to = Math.min(a1, b1);
    if (from < to) out.push([from, to]);
    // Advance whichever range ends first; the other may still overlap the next one.
    if (a1 < b1) i++;
    else j++;
  }
  return out;
}

/** The time covered by `a` but not by `b`, sorted and merged. */
export function subtractRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const x = mergeRanges(a);
  const y = mergeRanges(b);
  const out: Range[] = [];
  let j = 0;
  for (const [a0, a1] of x) {
    let cur = a0;
    // Skip cuts that end before this range starts; they cannot touch later ranges either.
    while (j < y.length && y[j]![1] <= cur) j++;
    let k = j;
    while (k < y.length && y[k]![0] < a1) {
      const [b0, b1] = y[k]!;
      if (b0 > cur) out.push([cur, b0]);
      cur = Math.max(cur, b1);
      if (cur >= a1) break;
      k++;
    }
    if (cur < a1) out.push([cur, a1]);
  }
  return out;
}

/** Total milliseconds covered, counting overlapping time once. */
export function totalMs(r: readonly Range[]): number {
  let sum = 0;
  for (const [a, b] of mergeRanges(r)) sum += b - a;
  return sum;
}
