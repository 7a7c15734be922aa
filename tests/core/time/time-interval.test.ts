import { describe, expect, it } from 'vitest';
import {
  activeRanges,
  compileTimeInterval,
  isActiveAt,
  nextTransition,
  totalMs,
  type Range,
  type TimeIntervalSpec,
} from '../../../core/time/index.js';

const AMS = 'Europe/Amsterdam';
const H = 3_600_000;
const utc = (s: string): number => Date.parse(s);
const iv = (...time_intervals: TimeIntervalSpec[]) => compileTimeInterval({ name: 't', time_intervals });
const show = (r: Range[]) => r.map(([a, b]) => [new Date(a).toISOString(), new Date(b).toISOString()]);
const day = (d: string): [string, string] => [
  `${d}T00:00:00.000Z`,
  new Date(utc(`${d}T00:00:00Z`) + 24 * H).toISOString(),
];

describe('activeRanges across the 2026 DST changes in Europe/Amsterdam', () => {
  const maintenance = iv({
    weekdays: ['saturday'],
    times: [{ start_time: '09:00', end_time: '17:00' }],
    location: AMS,
  });

  it.each([
    // Saturday before spring-forward (CET, UTC+1) and after it (CEST, UTC+2).
    [
      '2026-03-21',
      '2026-04-05',
      [
        ['2026-03-21T08:00:00.000Z', '2026-03-21T16:00:00.000Z'],
        ['2026-03-28T08:00:00.000Z', '2026-03-28T16:00:00.000Z'],
        ['2026-04-04T07:00:00.000Z', '2026-04-04T15:00:00.000Z'],
      ],
    ],
    // Saturday before fall-back (CEST) and after it (CET).
    [
      '2026-10-20',
      '2026-11-01',
      [
        ['2026-10-24T07:00:00.000Z', '2026-10-24T15:00:00.000Z'],
        ['2026-10-31T08:00:00.000Z', '2026-10-31T16:00:00.000Z'],
      ],
    ],
  ])('Saturday 09:00-17:00 from %s to %s', (from, to, expected) => {
    expect(show(activeRanges([maintenance], utc(`${from}T00:00:00Z`), utc(`${to}T00:00:00Z`)))).toEqual(
      expected,
    );
  });

  const night = iv({ times: [{ start_time: '02:00', end_time: '03:00' }], location: AMS });

  it('02:00-03:00 matches nothing on the spring-forward day (2026-03-29)', () => {
    expect(show(activeRanges([night], utc('2026-03-28T00:00:00Z'), utc('2026-03-31T00:00:00Z')))).toEqual([
      ['2026-03-28T01:00:00.000Z', '2026-03-28T02:00:00.000Z'],
      ['2026-03-30T00:00:00.000Z', '2026-03-30T01:00:00.000Z'],
    ]);
  });

  it('02:00-03:00 matches two real hours on the fall-back day (2026-10-25)', () => {
    const r = activeRanges([night], utc('2026-10-25T00:00:00Z'), utc('2026-10-26T00:00:00Z'));
    // 02:00 CEST = 00:00Z, clocks go back at 01:00Z (03:00 CEST -> 02:00 CET), 03:00 CET = 02:00Z.
    expect(show(r)).toEqual([['2026-10-25T00:00:00.000Z', '2026-10-25T02:00:00.000Z']]);
    expect(totalMs(r)).toBe(2 * H);
  });

  it('a whole-day interval is 23 h and 25 h long on the DST days', () => {
    const sundays = iv({ weekdays: ['sunday'], location: AMS });
    const spring = activeRanges([sundays], utc('2026-03-28T00:00:00Z'), utc('2026-03-31T00:00:00Z'));
    const fall = activeRanges([sundays], utc('2026-10-24T00:00:00Z'), utc('2026-10-27T00:00:00Z'));
    expect(show(spring)).toEqual([['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']]);
    expect(show(fall)).toEqual([['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']]);
    expect([totalMs(spring), totalMs(fall)]).toEqual([23 * H, 25 * H]);
  });
});

describe('field semantics (Alertmanager)', () => {
  it.each<[string, TimeIntervalSpec, string, string, [string, string][]]>([
    [
      'weekday range, service hours',
      { weekdays: ['monday:friday'], times: [{ start_time: '09:00', end_time: '17:30' }], location: AMS },
      '2026-01-09',
      '2026-01-13',
      [
        ['2026-01-09T08:00:00.000Z', '2026-01-09T16:30:00.000Z'],
        ['2026-01-12T08:00:00.000Z', '2026-01-12T16:30:00.000Z'],
      ],
    ],
    [
      'names are case-insensitive',
      { weekdays: ['SATURDAY', 'Sunday:sunday'], months: ['JANUARY:March'] },
      '2026-01-02',
      '2026-01-05',
      [['2026-01-03T00:00:00.000Z', '2026-01-05T00:00:00.000Z']],
    ],
    [
      '24:00 ends at midnight and merges with the next day 00:00',
      {
        times: [
          { start_time: '22:00', end_time: '24:00' },
          { start_time: '00:00', end_time: '02:00' },
        ],
      },
      '2026-06-01',
      '2026-06-03',
      [
        ['2026-06-01T00:00:00.000Z', '2026-06-01T02:00:00.000Z'],
        ['2026-06-01T22:00:00.000Z', '2026-06-02T02:00:00.000Z'],
        ['2026-06-02T22:00:00.000Z', '2026-06-03T00:00:00.000Z'],
      ],
    ],
    ['-1 is Feb 28 in 2026', { days_of_month: ['-1'] }, '2026-02-01', '2026-03-15', [day('2026-02-28')]],
    [
      '-1 is Feb 29 in 2028 (leap year)',
      { days_of_month: ['-1'] },
      '2028-02-01',
      '2028-03-15',
      [day('2028-02-29')],
    ],
    [
      '-7:-1 is the last week of Feb 2026',
      { days_of_month: ['-7:-1'] },
      '2026-02-01',
      '2026-03-01',
      [['2026-02-22T00:00:00.000Z', '2026-03-01T00:00:00.000Z']],
    ],
    ['29:31 is skipped in a 28-day February', { days_of_month: ['29:31'] }, '2026-02-01', '2026-03-01', []],
    [
      '25:31 is clamped to the end of February',
      { days_of_month: ['25:31'] },
      '2026-02-01',
      '2026-03-02',
      [['2026-02-25T00:00:00.000Z', '2026-03-01T00:00:00.000Z']],
    ],
    [
      '-31:-29 is days 1-3 of January, nothing in February',
      { days_of_month: ['-31:-29'] },
      '2026-01-01',
      '2026-03-01',
      [['2026-01-01T00:00:00.000Z', '2026-01-04T00:00:00.000Z']],
    ],
    [
      'months by name and number',
      { months: ['november:december', '1'] },
      '2026-10-15',
      '2027-02-15',
      [['2026-11-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z']],
    ],
    [
      'years range',
      { years: ['2027:2028'], months: ['february'], days_of_month: ['1'] },
      '2026-01-01',
      '2030-01-01',
      [day('2027-02-01'), day('2028-02-01')],
    ],
    ['no fields match everything', {}, '2026-05-01', '2026-05-02', [day('2026-05-01')]],
  ])('%s', (_name, spec, from, to, expected) => {
    expect(show(activeRanges([iv(spec)], utc(`${from}T00:00:00Z`), utc(`${to}T00:00:00Z`)))).toEqual(
      expected,
    );
  });

  it('location defaults to UTC, or to opts.defaultLocation; an explicit location wins', () => {
    const spec = { name: 'x', time_intervals: [{ times: [{ start_time: '09:00', end_time: '10:00' }] }] };
    const at = (c: ReturnType<typeof compileTimeInterval>) =>
      show(activeRanges([c], utc('2026-07-01T00:00:00Z'), utc('2026-07-02T00:00:00Z')));
    expect(at(compileTimeInterval(spec))).toEqual([['2026-07-01T09:00:00.000Z', '2026-07-01T10:00:00.000Z']]);
    expect(at(compileTimeInterval(spec, { defaultLocation: AMS }))).toEqual([
      ['2026-07-01T07:00:00.000Z', '2026-07-01T08:00:00.000Z'],
    ]);
    const tokyo = {
      name: 'y',
      time_intervals: [{ times: [{ start_time: '09:00', end_time: '10:00' }], location: 'Asia/Tokyo' }],
    };
    expect(at(compileTimeInterval(tokyo, { defaultLocation: AMS }))).toEqual([
      ['2026-07-01T00:00:00.000Z', '2026-07-01T01:00:00.000Z'],
    ]);
  });

  it('a named interval is active when any of its time intervals is; several named intervals union', () => {
    const a = iv({ weekdays: ['monday'] }, { weekdays: ['wednesday'] });
    const b = compileTimeInterval({ name: 'b', time_intervals: [{ weekdays: ['tuesday'] }] });
    const r = activeRanges([a, b], utc('2026-06-01T00:00:00Z'), utc('2026-06-08T00:00:00Z'));
    expect(show(r)).toEqual([['2026-06-01T00:00:00.000Z', '2026-06-04T00:00:00.000Z']]);
    expect(isActiveAt([a, b], utc('2026-06-02T12:00:00Z'))).toBe(true);
    expect(isActiveAt([a, b], utc('2026-06-04T00:00:00Z'))).toBe(false);
    expect(isActiveAt([], utc('2026-06-02T12:00:00Z'))).toBe(false);
  });

  it('isActiveAt follows wall time at the DST edges', () => {
    const night = iv({ times: [{ start_time: '02:00', end_time: '03:00' }], location: AMS });
    expect(isActiveAt([night], utc('2026-10-25T00:30:00Z'))).toBe(true); // 02:30 CEST
    expect(isActiveAt([night], utc('2026-10-25T01:30:00Z'))).toBe(true); // 02:30 CET
    expect(isActiveAt([night], utc('2026-10-25T02:00:00Z'))).toBe(false); // 03:00 CET
    expect(isActiveAt([night], utc('2026-03-29T00:59:59.999Z'))).toBe(false); // 01:59:59 CET
    expect(isActiveAt([night], utc('2026-03-29T01:00:00Z'))).toBe(false); // 03:00 CEST
  });
});

describe('nextTransition', () => {
  const maintenance = iv({
    weekdays: ['saturday'],
    times: [{ start_time: '09:00', end_time: '17:00' }],
    location: AMS,
  });
  it.each([
    ['inactive: next start', '2026-03-23T12:00:00Z', '2026-03-28T08:00:00.000Z'],
    ['active: its end', '2026-03-28T09:00:00Z', '2026-03-28T16:00:00.000Z'],
    ['at the end instant: the next start', '2026-03-28T16:00:00Z', '2026-04-04T07:00:00.000Z'],
  ])('%s', (_n, at, expected) => {
    expect(new Date(nextTransition([maintenance], utc(at))!).toISOString()).toBe(expected);
  });

  it('finds an end past the 32-day scan step and gives up at the horizon', () => {
    const summer = iv({ months: ['june:august'] });
    expect(new Date(nextTransition([summer], utc('2026-06-10T00:00:00Z'))!).toISOString()).toBe(
      '2026-09-01T00:00:00.000Z',
    );
    expect(nextTransition([summer], utc('2026-09-10T00:00:00Z'), 30 * 24 * H)).toBeUndefined();
    expect(nextTransition([iv({})], utc('2026-09-10T00:00:00Z'))).toBeUndefined();
  });
});
