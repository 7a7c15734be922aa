import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  activeRanges,
  compileTimeInterval,
  isActiveAt,
  mergeRanges,
  zonedParts,
  zonedToUtc,
  type TimeIntervalSpec,
} from '../../../core/time/index.js';

const ZONES = [
  'UTC',
  'Europe/Amsterdam',
  'America/New_York',
  'America/Santiago',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
];
const T0 = Date.parse('2025-06-01T00:00:00Z');
const T1 = Date.parse('2028-06-01T00:00:00Z');
const hhmm = (m: number) =>
  m === 1440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const timeRange = fc
  .tuple(fc.integer({ min: 0, max: 1440 }), fc.integer({ min: 0, max: 1440 }))
  .filter(([a, b]) => a !== b)
  .map(([a, b]) => ({ start_time: hhmm(Math.min(a, b)), end_time: hhmm(Math.max(a, b)) }));

const spec: fc.Arbitrary<TimeIntervalSpec> = fc.record(
  {
    times: fc.array(timeRange, { minLength: 1, maxLength: 3 }),
    weekdays: fc.subarray(['monday:friday', 'saturday', 'sunday', 'wednesday:thursday'], { minLength: 1 }),
    days_of_month: fc.subarray(['1:5', '-1', '-7:-1', '15', '29:31', '-31:-29'], { minLength: 1 }),
    months: fc.subarray(['january:march', '10', 'november:december', 'june'], { minLength: 1 }),
    years: fc.subarray(['2025', '2026:2027'], { minLength: 1 }),
    location: fc.constantFrom(...ZONES),
  },
  { requiredKeys: [] },
);
const intervals = fc
  .array(fc.array(spec, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 })
  .map((list) =>
    list.map((time_intervals, i) =>
      compileTimeInterval({ name: `p${i}`, time_intervals }, { defaultLocation: 'Europe/Amsterdam' }),
    ),
  );
const instant = fc.integer({ min: T0, max: T1 });
const span = fc.integer({ min: 1, max: 90 * 86_400_000 });

describe('time interval properties', () => {
  it('activeRanges over [a,c) is the union of [a,b) and [b,c)', () => {
    fc.assert(
      fc.property(intervals, instant, span, span, (ivs, a, d1, d2) => {
        const b = a + d1;
        const c = b + d2;
        expect(activeRanges(ivs, a, c)).toEqual(
          mergeRanges([...activeRanges(ivs, a, b), ...activeRanges(ivs, b, c)]),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('isActiveAt(t) agrees with membership in activeRanges', () => {
    fc.assert(
      fc.property(
        intervals,
        instant,
        span,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (ivs, a, d, fracs) => {
          const ranges = activeRanges(ivs, a, a + d);
          // Probe random points and every range edge (the edge and the ms before it).
          const points = [
            ...fracs.map((f) => a + Math.floor(f * (d - 1))),
            ...ranges.flatMap(([x, y]) => [x, x - 1, y, y - 1]),
          ].filter((t) => t >= a && t < a + d);
          for (const t of points) expect(isActiveAt(ivs, t)).toBe(ranges.some(([x, y]) => t >= x && t < y));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('zonedParts agrees with Intl.DateTimeFormat and zonedToUtc inverts it', () => {
    const fmts = new Map(
      ZONES.map((tz) => [
        tz,
        new Intl.DateTimeFormat('en-US', {
          timeZone: tz,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
          weekday: 'short',
        }),
      ]),
    );
    const WD = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, (tz, t0) => {
        const t = Math.floor(t0 / 1000) * 1000;
        const f = Object.fromEntries(
          fmts
            .get(tz)!
            .formatToParts(t)
            .map((p) => [p.type, p.value]),
        );
        const p = zonedParts(t, tz);
        expect(p).toEqual({
          year: +f.year!,
          month: +f.month!,
          day: +f.day!,
          hour: +f.hour!,
          minute: +f.minute!,
          second: +f.second!,
          weekday: WD.indexOf(f.weekday!),
        });
        const back = zonedToUtc(p, tz);
        expect(back).toBeLessThanOrEqual(t);
        expect(zonedParts(back, tz)).toEqual(p);
      }),
      { numRuns: 500 },
    );
  });
});
