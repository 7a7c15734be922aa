import { describe, expect, it } from 'vitest';
import {
  evaluateWindow,
  intervalResolver,
  monthRange,
  slaPolicySchema,
  type SlaSample,
} from '../../sla/index.js';

const TZ = 'Europe/Amsterdam';
const MIN = 60_000;
const intervals = [
  {
    name: 'saturday-maintenance',
    time_intervals: [{ weekdays: ['saturday'], times: [{ start_time: '09:00', end_time: '17:00' }] }],
  },
  {
    name: 'service-hours',
    time_intervals: [{ weekdays: ['monday:friday'], times: [{ start_time: '09:00', end_time: '17:30' }] }],
  },
];
const policy = slaPolicySchema.parse({
  id: 'standard',
  availability: '99.9%',
  latency: { average_ms: 50 },
  maintenance: ['saturday-maintenance'],
  service_hours: 'service-hours',
});

/** A sample every minute from one location over [from, to), down inside any of `down`. */
function minuteSamples(from: number, to: number, down: [number, number][]): SlaSample[] {
  const out: SlaSample[] = [];
  for (let t = from; t < to; t += MIN)
    out.push({ ts: t, ok: !down.some(([f, e]) => t >= f && t < e), totalMs: 30, location: 'ams' });
  return out;
}

function evalMonth(month: string, down: [number, number][]) {
  const [fromMs, toMs] = monthRange(month, TZ);
  return evaluateWindow({
    policy,
    resolve: intervalResolver(intervals, TZ),
    probeIntervalMs: MIN,
    samples: minuteSamples(fromMs - 5 * MIN, toMs + 5 * MIN, down),
    planned: [],
    fromMs,
    toMs,
  }).figures;
}

describe('calendar months in local time, DST and maintenance (hand-computed)', () => {
  it('March 2026 (spring forward on the 29th): 743 h, 4 Saturday windows, an outage across the gap lasts one real hour', () => {
    // Local 01:30 → 03:30 on 2026-03-29 is 00:30Z → 01:30Z: the clock jumps 02:00 → 03:00.
    const f = evalMonth('2026-03', [[Date.UTC(2026, 2, 29, 0, 30), Date.UTC(2026, 2, 29, 1, 30)]]);
    expect(f.eligibleSeconds + f.excludedSeconds).toBe(743 * 3600);
    expect(f.excludedSeconds).toBe(4 * 8 * 3600); // Saturdays 7, 14, 21, 28, 09:00–17:00
    expect(f.downSeconds).toBe(3600);
    expect(f.unknownSeconds).toBe(0);
    expect(f.availability).toBeCloseTo(1 - 3600 / (743 * 3600 - 32 * 3600), 12);
    // 22 working days × 8.5 h of service hours; the Sunday outage is outside them.
    expect(f.serviceHoursSeconds).toBe(22 * 8.5 * 3600);
    expect(f.serviceHoursAvailability).toBe(1);
  });

  it('October 2026 (fall back on the 25th): 745 h, 5 Saturday windows, 01:30 CEST → 03:30 CET is three hours', () => {
    const f = evalMonth('2026-10', [[Date.UTC(2026, 9, 24, 23, 30), Date.UTC(2026, 9, 25, 2, 30)]]);
    expect(f.eligibleSeconds + f.excludedSeconds).toBe(745 * 3600);
    expect(f.excludedSeconds).toBe(5 * 8 * 3600); // Saturdays 3, 10, 17, 24, 31
    expect(f.downSeconds).toBe(3 * 3600);
    expect(f.availabilityMet).toBe(false);
    expect(f.budgetRemainingSeconds).toBeCloseTo(
      Math.round(0.001 * (745 - 40) * 3600 * 1000) / 1000 - 10800,
      3,
    );
  });

  it('a Saturday outage straddling 17:00 counts only after the maintenance window ends', () => {
    // Sat 2026-03-14 16:00 → 18:00 local (CET, UTC+1) = 15:00Z → 17:00Z; window ends 16:00Z.
    const f = evalMonth('2026-03', [[Date.UTC(2026, 2, 14, 15), Date.UTC(2026, 2, 14, 17)]]);
    expect(f.downSeconds).toBe(3600);
    expect(f.down).toEqual([[Date.UTC(2026, 2, 14, 16), Date.UTC(2026, 2, 14, 17)]]);
  });

  it('an outage across local midnight at a month boundary is split between the months', () => {
    // Local 2026-03-31 23:30 → 2026-04-01 00:30 (CEST, UTC+2) = 21:30Z → 22:30Z.
    const down: [number, number][] = [[Date.UTC(2026, 2, 31, 21, 30), Date.UTC(2026, 2, 31, 22, 30)]];
    const march = evalMonth('2026-03', down);
    const april = evalMonth('2026-04', down);
    expect(monthRange('2026-04', TZ)[0]).toBe(Date.UTC(2026, 2, 31, 22));
    expect(march.downSeconds).toBe(1800);
    expect(april.downSeconds).toBe(1800);
  });

  it('a working-day outage lowers service-hours availability more than the overall figure', () => {
    // Tue 2026-06-09 10:00 → 11:00 CEST = 08:00Z → 09:00Z.
    const f = evalMonth('2026-06', [[Date.UTC(2026, 5, 9, 8), Date.UTC(2026, 5, 9, 9)]]);
    const shSeconds = 22 * 8.5 * 3600; // June 2026: 22 working days
    expect(f.serviceHoursSeconds).toBe(shSeconds);
    expect(f.serviceHoursAvailability).toBeCloseTo(1 - 3600 / shSeconds, 12);
    expect(f.availability).toBeCloseTo(1 - 3600 / f.eligibleSeconds, 12);
  });

  it.each([['2026-13'], ['2026-1'], ['march']])('rejects month %s', (m) => {
    expect(() => monthRange(m, TZ)).toThrow(/is not a month/);
  });
});
