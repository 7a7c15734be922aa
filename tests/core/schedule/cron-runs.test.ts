import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { VigilError } from '../../../core/errors.js';
import { minRunsInWindow, nextRuns, validateCron } from '../../../core/schedule/index.js';

const AMS = 'Europe/Amsterdam';
const DAY = 86_400_000;
const iso = (d: Date[]) => d.map((x) => x.toISOString());
// Calendar year 2026 in Amsterdam: local 2026-01-01 00:00 CET .. 2027-01-01 00:00 CET.
const Y2026 = {
  from: new Date('2025-12-31T23:00:00Z'),
  until: new Date('2026-12-31T23:00:00Z'),
  windowMs: DAY,
};

describe('validateCron', () => {
  it.each([
    ['0 0,6,12,18 * * *', undefined, undefined],
    ['*/10 * * * * *', 'Europe/Amsterdam', undefined],
    ['@daily', 'UTC', undefined],
    ['61 * * * *', undefined, '"61 * * * *" is not a valid cron expression: Invalid value for minute: 61'],
    ['every day', undefined, 'is not a valid cron expression'],
    ['0 0 30 2 *', undefined, '"0 0 30 2 *" never runs'],
    ['0 0 * * *', 'Mars/Olympus', '"Mars/Olympus" is not a known IANA time zone'],
  ])('%s in %s', (expr, tz, error) => {
    const got = validateCron(expr, tz);
    if (error === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(error);
  });
});

describe('nextRuns', () => {
  it.each([
    // Spring-forward: 02:00 does not exist on 2026-03-29 and runs at 03:00 CEST (01:00Z).
    [
      '0 2 * * *',
      '2026-03-27T12:00:00Z',
      [
        '2026-03-28T01:00:00.000Z',
        '2026-03-29T01:00:00.000Z',
        '2026-03-30T00:00:00.000Z',
        '2026-03-31T00:00:00.000Z',
      ],
    ],
    // Fall-back: 02:00 happens twice on 2026-10-25; it runs once, the first time (02:00 CEST = 00:00Z).
    [
      '0 2 * * *',
      '2026-10-23T12:00:00Z',
      [
        '2026-10-24T00:00:00.000Z',
        '2026-10-25T00:00:00.000Z',
        '2026-10-26T01:00:00.000Z',
        '2026-10-27T01:00:00.000Z',
      ],
    ],
    // 02:00 and 02:30 fall in the gap and collapse with 03:00 CEST into one run at 01:00Z.
    [
      '*/30 * * * *',
      '2026-03-29T00:00:00Z',
      [
        '2026-03-29T00:00:00.000Z',
        '2026-03-29T00:30:00.000Z',
        '2026-03-29T01:00:00.000Z',
        '2026-03-29T01:30:00.000Z',
      ],
    ],
    // The repeated hour runs once: 02:00, 02:30 CEST (00:00Z, 00:30Z), then 03:00 CET (02:00Z).
    [
      '*/30 * * * *',
      '2026-10-24T23:30:00Z',
      [
        '2026-10-24T23:30:00.000Z',
        '2026-10-25T00:00:00.000Z',
        '2026-10-25T00:30:00.000Z',
        '2026-10-25T02:00:00.000Z',
      ],
    ],
  ])('%s from %s in Europe/Amsterdam', (expr, from, expected) => {
    expect(iso(nextRuns(expr, { timezone: AMS, from: new Date(from), count: 4 }))).toEqual(expected);
  });

  it('includes a run at `from`, excludes one at `until`, defaults to 10 runs', () => {
    const runs = nextRuns('0 * * * *', {
      timezone: 'UTC',
      from: new Date('2026-01-01T00:00:00Z'),
      until: new Date('2026-01-01T03:00:00Z'),
    });
    expect(iso(runs)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T01:00:00.000Z',
      '2026-01-01T02:00:00.000Z',
    ]);
    expect(nextRuns('0 * * * *', { timezone: 'UTC', from: new Date('2026-01-01T00:00:00Z') })).toHaveLength(
      10,
    );
  });

  it('throws CFG_SCHEDULE for a bad expression', () => {
    expect(() => nextRuns('nope', { timezone: 'UTC', from: new Date() })).toThrow(VigilError);
  });

  // Away from DST edges the fast path (croner on wall time + core/time) equals croner's timezone mode;
  // these spans cross DST changes only through runs that are not in a gap or repeated hour.
  it.each([
    ['0 12 * * *', AMS, '2026-03-20T00:00:00Z'],
    ['30 9 * * 1-5', AMS, '2026-10-15T00:00:00Z'],
    ['0 0,6,12,18 * * *', AMS, '2026-10-20T00:00:00Z'],
    ['15 0,6,12,18 * * *', 'America/New_York', '2026-03-06T00:00:00Z'],
    ['15 */4 * * *', 'America/New_York', '2026-10-30T00:00:00Z'],
    ['0 12 * * *', 'America/Santiago', '2026-09-03T00:00:00Z'],
    ['*/15 9-10 * * *', 'Australia/Lord_Howe', '2026-10-02T00:00:00Z'],
    ['0 9 * * 1-5', 'Asia/Kolkata', '2026-01-01T00:00:00Z'],
    ['0 0 1 * *', 'Europe/Amsterdam', '2026-01-01T00:00:00Z'],
  ])('%s in %s from %s matches croner timezone mode', (expr, tz, from) => {
    const start = new Date(from);
    const reference = new Cron(expr, { timezone: tz, paused: true }).nextRuns(
      30,
      new Date(start.getTime() - 1),
    );
    expect(iso(nextRuns(expr, { timezone: tz, from: start, count: 30 }))).toEqual(iso(reference));
  });
});

describe('minRunsInWindow (hand-derived, calendar year 2026)', () => {
  it.each([
    // UTC has no DST: four runs 6 h apart, so every 24 h window holds exactly 4, first at `from`.
    ['0 0,6,12,18 * * *', 'UTC', 4, '2025-12-31T23:00:00.000Z'],
    // Amsterdam: on 2026-10-25 the 00:00 CEST (22:00Z) -> 06:00 CET (05:00Z) gap is 7 h. The window
    // opening just after 06:00 CEST on 10-24 (04:00Z) holds 10:00Z, 16:00Z, 22:00Z; the next run,
    // 05:00Z on 10-25, is 25 h after 04:00Z. So only 3. (Spring-forward shortens a gap to 5 h: >= 4.)
    ['0 0,6,12,18 * * *', AMS, 3, '2026-10-24T04:00:00.001Z'],
    ['0 0,12 * * *', 'UTC', 2, '2025-12-31T23:00:00.000Z'],
    // 12:00 CEST 10-24 (10:00Z) -> 00:00 CEST 10-25 (22:00Z) -> 12:00 CET 10-25 (11:00Z): 12 h + 13 h.
    ['0 0,12 * * *', AMS, 1, '2026-10-24T10:00:00.001Z'],
    // One clump a day, but each 24 h window holds each daily time exactly once when the offset is fixed.
    ['0 1-4 * * *', 'UTC', 4, '2025-12-31T23:00:00.000Z'],
    // 2026-03-29: 02:00 does not exist and collapses with 03:00 CEST (01:00Z): runs 00Z, 01Z, 02Z only;
    // the window after 04:00 CET on 03-28 (03:00Z) holds just those 3.
    ['0 1-4 * * *', AMS, 3, '2026-03-28T03:00:00.001Z'],
    // Daily 02:00: 10-25 runs at the first 02:00 (CEST, 00:00Z), 10-26 at 02:00 CET (01:00Z): 25 h apart,
    // so the window opening just after 00:00Z on 10-25 holds none.
    ['0 2 * * *', AMS, 0, '2026-10-25T00:00:00.001Z'],
    // Five runs 5 h apart (gaps 5,5,5,5,4; fall-back makes one 6 h): at least 4 everywhere.
    ['0 0,5,10,15,20 * * *', AMS, 4, '2026-10-24T03:00:00.001Z'],
  ])('%s in %s: min %i', (expr, tz, min, windowStart) => {
    const got = minRunsInWindow(expr, { timezone: tz, ...Y2026 });
    expect({ min: got.min, windowStart: got.windowStart.toISOString() }).toEqual({ min, windowStart });
  });

  it('0 2 * * * across the spring-forward day still runs once in every 24 h', () => {
    const got = minRunsInWindow('0 2 * * *', {
      timezone: AMS,
      from: new Date('2026-03-27T00:00:00Z'),
      until: new Date('2026-03-31T00:00:00Z'),
      windowMs: DAY,
    });
    expect(got.min).toBe(1);
  });

  it('agrees with a brute-force count over windows starting every minute and every run + 1 ms', () => {
    const opts = {
      timezone: AMS,
      from: new Date('2026-10-23T00:00:00Z'),
      until: new Date('2026-10-27T00:00:00Z'),
      windowMs: DAY,
    };
    const runs = nextRuns('0 0,6,12,18 * * *', {
      timezone: AMS,
      from: opts.from,
      until: new Date(opts.until.getTime() + DAY),
    }).map((d) => d.getTime());
    const count = (s: number) => runs.filter((r) => r >= s && r < s + DAY).length;
    let brute = Infinity;
    for (let s = opts.from.getTime(); s <= opts.until.getTime(); s += 60_000)
      brute = Math.min(brute, count(s), count(s + 1));
    expect(minRunsInWindow('0 0,6,12,18 * * *', opts).min).toBe(brute);
  });

  it('rejects an empty window', () => {
    expect(() =>
      minRunsInWindow('0 * * * *', { timezone: 'UTC', from: new Date(0), until: new Date(0), windowMs: 0 }),
    ).toThrow(/windowMs > 0/);
  });
});

describe('minRunsInWindow limits', () => {
  it('refuses a schedule too dense to walk run by run, naming it', () => {
    expect(() =>
      minRunsInWindow('* * * * * *', {
        timezone: 'UTC',
        from: new Date('2026-01-01T00:00:00Z'),
        until: new Date('2026-01-31T00:00:00Z'),
        windowMs: DAY,
      }),
    ).toThrow(/"\* \* \* \* \* \*" runs more than 600000 times/);
  });
});
