import { describe, expect, it } from 'vitest';
import { VigilError } from '../../../core/errors.js';
import {
  compileTimeInterval,
  namedTimeIntervalSchema,
  timeIntervalSpecSchema,
} from '../../../core/time/index.js';

describe('time interval specs', () => {
  it.each<[string, unknown, string]>([
    ['misspelt weekday', { weekdays: ['monday', 'munday'] }, 'weekdays[1]: "munday" is not a weekday'],
    [
      'weekday range backwards',
      { weekdays: ['saturday:monday'] },
      'weekdays[0]: "saturday:monday": start day is after end day',
    ],
    [
      'three-part range',
      { weekdays: ['monday:tuesday:friday'] },
      'weekdays[0]: "monday:tuesday:friday" is not a weekday range',
    ],
    ['day 0', { days_of_month: ['0'] }, 'days_of_month[0]: "0" is not a day of the month'],
    ['day 32', { days_of_month: ['1:32'] }, 'days_of_month[0]: "32" is not a day of the month'],
    [
      'negative start, positive end',
      { days_of_month: ['-3:5'] },
      'days_of_month[0]: "-3:5": end day must be negative if start day is negative',
    ],
    [
      'always-empty day range',
      { days_of_month: ['20:-15'] },
      'days_of_month[0]: "20:-15": end day -15 is always before start day 20',
    ],
    ['month 13', { months: ['13'] }, 'months[0]: "13" is not a month'],
    ['month name', { months: ['januray'] }, 'months[0]: "januray" is not a month'],
    [
      'month range backwards',
      { months: ['march:january'] },
      'months[0]: "march:january": end month is before start month',
    ],
    ['year text', { years: ['twenty'] }, 'years[0]: "twenty" is not a year'],
    [
      'year range backwards',
      { years: ['2022:2020'] },
      'years[0]: "2022:2020": end year is before start year',
    ],
    [
      'time 25:00',
      { times: [{ start_time: '25:00', end_time: '26:00' }] },
      'times[0].start_time: "25:00" is not a time of day',
    ],
    [
      'time without leading zero',
      { times: [{ start_time: '9:00', end_time: '17:00' }] },
      'times[0].start_time: "9:00" is not a time of day',
    ],
    [
      '24:01',
      { times: [{ start_time: '00:00', end_time: '24:01' }] },
      'times[0].end_time: "24:01" is not a time of day',
    ],
    [
      'start equal to end',
      { times: [{ start_time: '09:00', end_time: '09:00' }] },
      'times[0].end_time: end_time "09:00" must be after start_time "09:00"',
    ],
    ['missing end_time', { times: [{ start_time: '09:00' }] }, 'times[0].end_time:'],
    [
      'unknown zone',
      { location: 'Mars/Olympus_Mons' },
      'location: "Mars/Olympus_Mons" is not a known IANA time zone',
    ],
    ['unknown key', { weekday: ['monday'] }, 'Unrecognized key: "weekday"'],
    ['empty list', { weekdays: [] }, 'weekdays: must list at least one weekday'],
  ])('rejects %s, naming the field', (_name, ti, message) => {
    const spec = { name: 'maint', time_intervals: [{}, ti] };
    let caught: unknown;
    try {
      compileTimeInterval(spec as never);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(VigilError);
    expect((caught as VigilError).code).toBe('CFG_TIME_INTERVAL');
    expect((caught as VigilError).message).toContain(
      `time interval "maint": time_intervals[1]${message.startsWith('Unrecognized') ? ': ' : '.'}${message}`,
    );
    expect(timeIntervalSpecSchema.safeParse(ti).success).toBe(false);
  });

  it.each<[string, unknown]>([
    [
      'Alertmanager example',
      { weekdays: ['Monday:Friday'], times: [{ start_time: '09:00', end_time: '24:00' }], location: 'Local' },
    ],
    [
      'numbers and negatives',
      {
        days_of_month: ['1:5', '-1', '-3:-1', '+7'],
        months: ['1:3', 'December'],
        years: ['2020:2022', '2030'],
      },
    ],
    ['end of month', { days_of_month: ['-31:-29'] }],
  ])('accepts %s', (_name, ti) => {
    expect(timeIntervalSpecSchema.safeParse(ti).success).toBe(true);
    expect(namedTimeIntervalSchema.safeParse({ name: 'ok', time_intervals: [ti] }).success).toBe(true);
    expect(compileTimeInterval({ name: 'ok', time_intervals: [ti as never] }).name).toBe('ok');
  });

  it('rejects an unknown default location', () => {
    expect(() =>
      compileTimeInterval({ name: 'z', time_intervals: [{}] }, { defaultLocation: 'Nowhere/Land' }),
    ).toThrow(/location "Nowhere\/Land"/);
  });
});
