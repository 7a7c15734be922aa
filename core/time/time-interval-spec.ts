import { z } from 'zod';
import { isKnownZone } from './zone-offsets.js';

/**
 * Alertmanager's `time_intervals` syntax (https://prometheus.io/docs/alerting/latest/configuration/
 * #time_interval, parsing as in prometheus/alertmanager timeinterval/timeinterval.go): names are
 * case-insensitive, ranges are inclusive `begin:end`, `times` end is exclusive and may be 24:00.
 */
export interface TimeIntervalSpec {
  times?: { start_time: string; end_time: string }[];
  weekdays?: string[];
  days_of_month?: string[];
  months?: string[];
  years?: string[];
  location?: string;
}

/** A named interval, active when any of its `time_intervals` matches. */
export interface NamedTimeIntervalSpec {
  name: string;
  time_intervals: TimeIntervalSpec[];
}

/** An inclusive integer range, parsed. */
export type IntRange = [number, number];

type Parsed<T> = { value: T; error?: undefined } | { error: string; value?: undefined };

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const INT = /^[+-]?\d+$/;

/** "HH:MM" to minutes of the day, 00:00–24:00 (Alertmanager's validTime pattern). */
export function parseTimeOfDay(text: string): number | undefined {
  if (!/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/.test(text)) return undefined;
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

/** Splits "a:b" or "a" (lower-cased, as Alertmanager does) and maps each member. */
function parseRange(text: string, member: (s: string) => number | undefined, what: string): Parsed<IntRange> {
  const parts = text.toLowerCase().split(':');
  if (parts.length > 2) return { error: `"${text}" is not a ${what} range (use "begin:end")` };
  const nums: number[] = [];
  for (const p of parts) {
    const n = member(p);
    if (n === undefined) return { error: `"${parts.length === 1 ? text : p}" is not a ${what}` };
    nums.push(n);
  }
  return { value: [nums[0]!, nums[nums.length - 1]!] };
}

const int = (s: string): number | undefined => (INT.test(s) ? Number(s) : undefined);

export function parseWeekdayRange(text: string): Parsed<IntRange> {
  const r = parseRange(text, (s) => (WEEKDAYS.includes(s) ? WEEKDAYS.indexOf(s) : undefined), 'weekday');
  if (r.value && r.value[0] > r.value[1])
    return { error: `"${text}": start day is after end day (weeks run sunday:saturday)` };
  return r;
}

export function parseMonthRange(text: string): Parsed<IntRange> {
  const member = (s: string): number | undefined => {
    if (MONTHS.includes(s)) return MONTHS.indexOf(s) + 1;
    const n = int(s);
    return n !== undefined && n >= 1 && n <= 12 ? n : undefined;
  };
  const r = parseRange(text, member, 'month');
  if (r.value && r.value[0] > r.value[1]) return { error: `"${text}": end month is before start month` };
  return r;
}

export function parseYearRange(text: string): Parsed<IntRange> {
  const r = parseRange(
    text,
    (s) => {
      const n = int(s);
      return n !== undefined && n >= 1 && n <= 9999 ? n : undefined;
    },
    'year',
  );
  if (r.value && r.value[0] > r.value[1]) return { error: `"${text}": end year is before start year` };
  return r;
}

/** Alertmanager's checks: ±1..31, a negative start needs a negative end, begin ≤ end in a 28-day month. */
export function parseDayOfMonthRange(text: string): Parsed<IntRange> {
  const r = parseRange(
    text,
    (s) => {
      const n = int(s);
      return n !== undefined && n !== 0 && n >= -31 && n <= 31 ? n : undefined;
    },
    'day of the month (1 to 31, or -31 to -1 counting from the month end)',
  );
  if (!r.value) return r;
  const [b, e] = r.value;
  if (b < 0 && e > 0) return { error: `"${text}": end day must be negative if start day is negative` };
  if ((b < 0 ? 28 + b : b) > (e < 0 ? 28 + e : e))
    return { error: `"${text}": end day ${e} is always before start day ${b}` };
  return r;
}

const rangeList = (parse: (s: string) => Parsed<IntRange>, what: string) =>
  z
    .array(
      z.string().superRefine((s, ctx) => {
        const r = parse(s);
        if (r.error !== undefined) ctx.addIssue({ code: 'custom', message: r.error });
      }),
    )
    .min(1, `must list at least one ${what} (omit the field to match every ${what})`);

const timeRangeSchema = z
  .strictObject({ start_time: z.string(), end_time: z.string() })
  .superRefine((t, ctx) => {
    const start = parseTimeOfDay(t.start_time);
    const end = parseTimeOfDay(t.end_time);
    if (start === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['start_time'],
        message: `"${t.start_time}" is not a time of day (HH:MM, 00:00 to 24:00)`,
      });
    if (end === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['end_time'],
        message: `"${t.end_time}" is not a time of day (HH:MM, 00:00 to 24:00)`,
      });
    if (start !== undefined && end !== undefined && start >= end)
      ctx.addIssue({
        code: 'custom',
        path: ['end_time'],
        message: `end_time "${t.end_time}" must be after start_time "${t.start_time}"`,
      });
  });

/** One Alertmanager TimeInterval; validates every field and names the bad element. */
export const timeIntervalSpecSchema: z.ZodType<TimeIntervalSpec> = z.strictObject({
  times: z
    .array(timeRangeSchema)
    .min(1, 'must list at least one time range (omit the field to match the whole day)')
    .optional(),
  weekdays: rangeList(parseWeekdayRange, 'weekday').optional(),
  days_of_month: rangeList(parseDayOfMonthRange, 'day').optional(),
  months: rangeList(parseMonthRange, 'month').optional(),
  years: rangeList(parseYearRange, 'year').optional(),
  location: z
    .string()
    .superRefine((tz, ctx) => {
      if (!isKnownZone(tz))
        ctx.addIssue({
          code: 'custom',
          message: `"${tz}" is not a known IANA time zone (e.g. Europe/Amsterdam, UTC, Local)`,
        });
    })
    .optional(),
});

/** A named interval as written under the top-level `time_intervals` key. */
export const namedTimeIntervalSchema: z.ZodType<NamedTimeIntervalSpec> = z.strictObject({
  name: z.string().min(1, 'must not be empty'),
  time_intervals: z.array(timeIntervalSpecSchema),
});
