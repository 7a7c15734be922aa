import { VigilError } from '../errors.js';
import { mergeRanges, type Range } from './ranges.js';
import {
  namedTimeIntervalSchema,
  parseDayOfMonthRange,
  parseMonthRange,
  parseTimeOfDay,
  parseWeekdayRange,
  parseYearRange,
  type IntRange,
  type NamedTimeIntervalSpec,
} from './time-interval-spec.js';
import { civilFromDays, daysInMonth } from './zoned.js';
import { DAY_MS, MINUTE_MS, zoneOffsets, type ZoneOffsets } from './zone-offsets.js';

/** One TimeInterval, parsed; `undefined` fields match everything (as Alertmanager's nil slices). */
interface CompiledPart {
  zone: ZoneOffsets;
  /** Minutes of the day `[start, end)`, merged; undefined = whole day. */
  minutes: IntRange[] | undefined;
  weekdays: IntRange[] | undefined;
  daysOfMonth: IntRange[] | undefined;
  months: IntRange[] | undefined;
  years: IntRange[] | undefined;
}

/** A named interval ready for evaluation. Build with compileTimeInterval; the parts are internal. */
export interface CompiledTimeInterval {
  readonly name: string;
  /** @internal */
  readonly parts: readonly CompiledPart[];
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
    '',
  );
}

const inAny = (ranges: IntRange[], v: number): boolean => ranges.some(([b, e]) => v >= b && v <= e);

/**
 * Parses and checks a named interval (Alertmanager syntax). `location` defaults to
 * `opts.defaultLocation`, else UTC as in Alertmanager. Throws VigilError CFG_TIME_INTERVAL naming
 * the interval and the field, e.g. `time interval "x": time_intervals[0].weekdays[1]: "munday" is not a weekday`.
 */
export function compileTimeInterval(
  spec: NamedTimeIntervalSpec,
  opts: { defaultLocation?: string } = {},
): CompiledTimeInterval {
  const parsed = namedTimeIntervalSchema.safeParse(spec);
  const label = `time interval "${typeof spec?.name === 'string' ? spec.name : '?'}"`;
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((i) => `${pathText(i.path)}: ${i.message}`);
    throw new VigilError('CFG_TIME_INTERVAL', `${label}: ${msgs.join('; ')}`);
  }
  const fallback = opts.defaultLocation ?? 'UTC';
  const parts = parsed.data.time_intervals.map((ti): CompiledPart => {
    const tz = ti.location ?? fallback;
    let zone: ZoneOffsets;
    try {
      zone = zoneOffsets(tz);
    } catch (err) {
      throw new VigilError('CFG_TIME_INTERVAL', `${label}: location "${tz}" is not a known IANA time zone`, {
        cause: err,
      });
    }
    const ranges = (list: string[] | undefined, parse: (s: string) => { value?: IntRange }) =>
      list?.map((s) => parse(s).value!);
    const minutes = ti.times
      ? mergeRanges(ti.times.map((t): Range => [parseTimeOfDay(t.start_time)!, parseTimeOfDay(t.end_time)!]))
      : undefined;
    return {
      zone,
      minutes,
      weekdays: ranges(ti.weekdays, parseWeekdayRange),
      daysOfMonth: ranges(ti.days_of_month, parseDayOfMonthRange),
      months: ranges(ti.months, parseMonthRange),
      years: ranges(ti.years, parseYearRange),
    };
  });
  return { name: parsed.data.name, parts };
}

/** Whether a local calendar day passes the day-level fields (everything but `times`). */
function dayMatches(p: CompiledPart, days: number): boolean {
  if (!p.weekdays && !p.daysOfMonth && !p.months && !p.years) return true;
  const { year, month, day, weekday } = civilFromDays(days);
  if (p.months && !inAny(p.months, month)) return false;
  if (p.years && !inAny(p.years, year)) return false;
  if (p.weekdays && !inAny(p.weekdays, weekday)) return false;
  if (p.daysOfMonth) {
    // Alertmanager's ContainsTime: negative days count from the month end; a range starting after
    // the month end is skipped; the rest are clamped to the month.
    const dim = daysInMonth(year, month);
    const hit = p.daysOfMonth.some(([b0, e0]) => {
      const b = b0 < 0 ? dim + b0 + 1 : b0;
      const e = e0 < 0 ? dim + e0 + 1 : e0;
      if (b > dim) return false;
      return day >= Math.max(b, -dim) && day <= Math.min(e, dim);
    });
    if (!hit) return false;
  }
  return true;
}

function partActiveAt(p: CompiledPart, atMs: number): boolean {
  const wall = atMs + p.zone.offsetAt(atMs);
  const days = Math.floor(wall / DAY_MS);
  if (p.minutes) {
    const minute = Math.floor((wall - days * DAY_MS) / MINUTE_MS);
    if (!p.minutes.some(([s, e]) => minute >= s && minute < e)) return false;
  }
  return dayMatches(p, days);
}

/** Whether any of the intervals is active at the instant (Alertmanager's ContainsTime, any of). */
export function isActiveAt(intervals: readonly CompiledTimeInterval[], atMs: number): boolean {
  return intervals.some((ti) => ti.parts.some((p) => partActiveAt(p, atMs)));
}

/**
 * The instants in `[fromMs, toMs)` at which any interval is active: sorted, merged, clipped.
 * Wall-clock semantics: the span is cut into stretches of constant UTC offset; inside each, wall
 * time is instant + offset, so each local day's matching minutes map back linearly. A 02:00–03:00
 * range thus matches nothing on a spring-forward day and two real hours on a fall-back day.
 */
export function activeRanges(
  intervals: readonly CompiledTimeInterval[],
  fromMs: number,
  toMs: number,
): Range[] {
  const out: Range[] = [];
  if (!(toMs > fromMs)) return out;
  const segCache = new Map<ZoneOffsets, ReturnType<ZoneOffsets['segments']>>();
  for (const ti of intervals) {
    for (const p of ti.parts) {
      let segs = segCache.get(p.zone);
      if (!segs) segCache.set(p.zone, (segs = p.zone.segments(fromMs, toMs)));
      for (const { start, end, offset } of segs) {
        const ws = start + offset;
        const we = end + offset;
        for (let days = Math.floor(ws / DAY_MS); days * DAY_MS < we; days++) {
          if (!dayMatches(p, days)) continue;
          const d0 = days * DAY_MS;
          for (const [s, e] of p.minutes ?? [[0, 1440]]) {
            const a = Math.max(d0 + s * MINUTE_MS, ws);
            const b = Math.min(d0 + e * MINUTE_MS, we);
            if (a < b) out.push([a - offset, b - offset]);
          }
        }
      }
    }
  }
  return mergeRanges(out);
}

/**
 * The next instant after `atMs` at which the active state of the intervals changes (a mute timer
 * starts or ends), looking at most `horizonMs` ahead (default 400 days); undefined if none.
 */
export function nextTransition(
  intervals: readonly CompiledTimeInterval[],
  atMs: number,
  horizonMs = 400 * DAY_MS,
): number | undefined {
  const active = isActiveAt(intervals, atMs);
  const limit = atMs + horizonMs;
  const step = 32 * DAY_MS;
  for (let cur = atMs; cur < limit;) {
    const end = Math.min(cur + step, limit);
    const first = activeRanges(intervals, cur, end)[0];
    if (active) {
      if (first === undefined || first[0] > cur) return cur > atMs ? cur : undefined;
      if (first[1] < end) return first[1];
    } else if (first !== undefined) {
      return first[0];
    }
    cur = end;
  }
  return undefined;
}
