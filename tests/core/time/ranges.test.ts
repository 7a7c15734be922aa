import { describe, expect, it } from 'vitest';
import {
  intersectRanges,
  mergeRanges,
  subtractRanges,
  totalMs,
  type Range,
} from '../../../core/time/index.js';

describe('range helpers', () => {
  it.each<[string, Range[], Range[]]>([
    ['empty', [], []],
    [
      'drops empty and inverted ranges',
      [
        [5, 5],
        [7, 3],
        [1, 2],
      ],
      [[1, 2]],
    ],
    [
      'sorts and merges overlaps',
      [
        [10, 20],
        [0, 5],
        [3, 12],
      ],
      [[0, 20]],
    ],
    [
      'merges touching ranges',
      [
        [0, 5],
        [5, 9],
      ],
      [[0, 9]],
    ],
    [
      'keeps gaps',
      [
        [0, 5],
        [6, 9],
        [6, 7],
      ],
      [
        [0, 5],
        [6, 9],
      ],
    ],
  ])('mergeRanges: %s', (_n, input, expected) => {
    const copy = structuredClone(input);
    expect(mergeRanges(input)).toEqual(expected);
    expect(input).toEqual(copy);
  });

  it.each<[string, Range[], Range[], Range[]]>([
    ['disjoint', [[0, 5]], [[5, 10]], []],
    [
      'inner',
      [[0, 10]],
      [
        [2, 3],
        [5, 7],
      ],
      [
        [2, 3],
        [5, 7],
      ],
    ],
    [
      'staggered',
      [
        [0, 4],
        [6, 10],
      ],
      [
        [3, 7],
        [9, 12],
      ],
      [
        [3, 4],
        [6, 7],
        [9, 10],
      ],
    ],
    [
      'unsorted input',
      [
        [6, 10],
        [0, 4],
      ],
      [
        [9, 12],
        [3, 7],
      ],
      [
        [3, 4],
        [6, 7],
        [9, 10],
      ],
    ],
  ])('intersectRanges: %s', (_n, a, b, expected) => {
    expect(intersectRanges(a, b)).toEqual(expected);
    expect(intersectRanges(b, a)).toEqual(expected);
  });

  it.each<[string, Range[], Range[], Range[]]>([
    ['nothing to cut', [[0, 10]], [], [[0, 10]]],
    [
      'middle hole',
      [[0, 10]],
      [[3, 5]],
      [
        [0, 3],
        [5, 10],
      ],
    ],
    [
      'covers all',
      [
        [2, 4],
        [6, 8],
      ],
      [[0, 10]],
      [],
    ],
    [
      'edges',
      [[0, 10]],
      [
        [0, 2],
        [8, 10],
      ],
      [[2, 8]],
    ],
    [
      'one cut spanning two ranges',
      [
        [0, 4],
        [6, 10],
      ],
      [[3, 7]],
      [
        [0, 3],
        [7, 10],
      ],
    ],
    [
      'overlapping cuts',
      [[0, 10]],
      [
        [2, 5],
        [4, 6],
        [9, 20],
      ],
      [
        [0, 2],
        [6, 9],
      ],
    ],
  ])('subtractRanges: %s', (_n, a, b, expected) => {
    expect(subtractRanges(a, b)).toEqual(expected);
  });

  it('totalMs counts overlapping time once', () => {
    expect(
      totalMs([
        [0, 10],
        [5, 15],
        [20, 21],
      ]),
    ).toBe(16);
    expect(totalMs([])).toBe(0);
  });
});
