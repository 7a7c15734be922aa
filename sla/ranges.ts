import { intersectRanges, mergeRanges, subtractRanges, totalMs, type Range } from '../core/index.js';

/**
 * Half-open millisecond ranges [from, to) for the SLA computation: the set operations are core's
 * (core/time/ranges.ts); this file keeps the computation's names and its read-only range type.
 * Every function returns sorted, non-overlapping, non-empty ranges.
 */
export type MsRange = readonly [from: number, to: number];

// core's Range is a mutable tuple; the operations never modify their input, so a read-only
// range can be passed as one.
const asRanges = (r: readonly MsRange[]): Range[] => r as unknown as Range[];

/** Sorts and merges overlapping or touching ranges; drops empty ones. */
export function mergeMs(ranges: readonly MsRange[]): MsRange[] {
  return mergeRanges(asRanges(ranges));
}

/** The parts of `a` that are also in `b`. */
export function intersectMs(a: readonly MsRange[], b: readonly MsRange[]): MsRange[] {
  return intersectRanges(asRanges(a), asRanges(b));
}

/** The parts of `a` that are not in `b`. */
export function subtractMs(a: readonly MsRange[], b: readonly MsRange[]): MsRange[] {
  return subtractRanges(asRanges(a), asRanges(b));
}

/** Total length in ms of the union of the ranges. */
export function totalMsOf(ranges: readonly MsRange[]): number {
  return totalMs(asRanges(ranges));
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
