import { describe, expect, it } from 'vitest';
import {
  calendarDayRanges,
  calendarMonthRange,
  totalMs,
  zonedParts,
  zonedToUtc,
  type Range,
} from '../../../core/time/index.js';

const AMS = 'Europe/Amsterdam';
const H = 3_600_000;
const utc = (s: string): number => Date.parse(s);
const show = (r: Range[]) => r.map(([a, b]) => [new Date(a).toISOString(), new Date(b).toISOString()]);

describe('zone helpers', () => {
  it.each([
    [
      'winter (CET, +1)',
      '2026-01-15T12:34:56.789Z',
      AMS,
      { year: 2026, month: 1, day: 15, hour: 13, minute: 34, second: 56, weekday: 4 },
    ],
    [
      'last CET instant before spring-forward',
      '2026-03-29T00:59:59Z',
      AMS,
      { year: 2026, month: 3, day: 29, hour: 1, minute: 59, second: 59, weekday: 0 },
    ],
    [
      'first CEST instant',
      '2026-03-29T01:00:00Z',
      AMS,
      { year: 2026, month: 3, day: 29, hour: 3, minute: 0, second: 0, weekday: 0 },
    ],
    [
      '02:30 CEST on the fall-back day',
      '2026-10-25T00:30:00Z',
      AMS,
      { year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0, weekday: 0 },
    ],
    [
      '02:30 CET on the fall-back day',
      '2026-10-25T01:30:00Z',
      AMS,
      { year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0, weekday: 0 },
    ],
    [
      'New Year in UTC',
      '2027-01-01T00:00:00Z',
      'UTC',
      { year: 2027, month: 1, day: 1, hour: 0, minute: 0, second: 0, weekday: 5 },
    ],
    [
      'half-hour zone',
      '2026-07-01T00:00:00Z',
      'Asia/Kolkata',
      { year: 2026, month: 7, day: 1, hour: 5, minute: 30, second: 0, weekday: 3 },
    ],
  ])('zonedParts: %s', (_n, at, tz, expected) => {
    expect(zonedParts(utc(at), tz)).toEqual(expected);
  });

  it.each([
    ['ordinary time', { year: 2026, month: 7, day: 1, hour: 9 }, AMS, '2026-07-01T07:00:00.000Z'],
    [
      'midnight, defaults for hour/minute/second',
      { year: 2026, month: 1, day: 1 },
      AMS,
      '2025-12-31T23:00:00.000Z',
    ],
    [
      'gap 02:30 on 2026-03-29 gives the instant just after the gap (03:00 CEST)',
      { year: 2026, month: 3, day: 29, hour: 2, minute: 30 },
      AMS,
      '2026-03-29T01:00:00.000Z',
    ],
    [
      'repeated 02:30 on 2026-10-25 gives the earliest (CEST)',
      { year: 2026, month: 10, day: 25, hour: 2, minute: 30 },
      AMS,
      '2026-10-25T00:30:00.000Z',
    ],
    ['overflowing day normalises', { year: 2026, month: 1, day: 32 }, 'UTC', '2026-02-01T00:00:00.000Z'],
    [
      'missing local midnight in Santiago (2026-09-06) gives 01:00 -03',
      { year: 2026, month: 9, day: 6 },
      'America/Santiago',
      '2026-09-06T04:00:00.000Z',
    ],
  ])('zonedToUtc: %s', (_n, parts, tz, expected) => {
    expect(new Date(zonedToUtc(parts, tz)).toISOString()).toBe(expected);
  });

  it.each([
    [2026, 3, ['2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z'], 31 * 24 - 1],
    [2026, 10, ['2026-09-30T22:00:00.000Z', '2026-10-31T23:00:00.000Z'], 31 * 24 + 1],
    [2026, 12, ['2026-11-30T23:00:00.000Z', '2026-12-31T23:00:00.000Z'], 31 * 24],
    [2028, 2, ['2028-01-31T23:00:00.000Z', '2028-02-29T23:00:00.000Z'], 29 * 24],
  ])('calendarMonthRange %i-%i in Europe/Amsterdam', (year, month, expected, hours) => {
    const r = calendarMonthRange(year, month, AMS);
    expect(show([r])).toEqual([expected]);
    expect(totalMs([r])).toBe(hours * H);
  });

  it('calendarDayRanges: 23 h and 25 h days, clipped to the window', () => {
    const spring = calendarDayRanges(utc('2026-03-28T12:00:00Z'), utc('2026-03-30T12:00:00Z'), AMS);
    expect(show(spring)).toEqual([
      ['2026-03-28T12:00:00.000Z', '2026-03-28T23:00:00.000Z'],
      ['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
      ['2026-03-29T22:00:00.000Z', '2026-03-30T12:00:00.000Z'],
    ]);
    const fall = calendarDayRanges(utc('2026-10-24T22:00:00Z'), utc('2026-10-25T23:00:00Z'), AMS);
    expect(fall.map(([a, b]) => (b - a) / H)).toEqual([25]);
    const santiago = calendarDayRanges(
      utc('2026-04-04T03:00:00Z'),
      utc('2026-09-07T03:00:00Z'),
      'America/Santiago',
    );
    expect(santiago[0]![1] - santiago[0]![0]).toBe(25 * H);
    expect(santiago[santiago.length - 1]).toEqual([utc('2026-09-06T04:00:00Z'), utc('2026-09-07T03:00:00Z')]);
    expect(calendarDayRanges(5, 5, AMS)).toEqual([]);
  });
});
