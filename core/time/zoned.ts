import { DAY_MS, wallMs, zoneOffsets } from './zone-offsets.js';
import type { Range } from './ranges.js';

/** Wall-clock fields of an instant in a zone; month 1–12, weekday 0 = Sunday. */
export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/**
 * Civil date of a day number (days since 1970-01-01), after H. Hinnant's `civil_from_days`
 * (proleptic Gregorian), so day iteration needs no Date objects.
 */
export function civilFromDays(days: number): { year: number; month: number; day: number; weekday: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  // 1970-01-01 was a Thursday (4).
  const weekday = (((days + 4) % 7) + 7) % 7;
  return { year, month, day, weekday };
}

/** Number of days in a month (1–12) of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Wall-clock fields of `atMs` in zone `tz` (IANA name, "UTC" or "Local"). */
export function zonedParts(atMs: number, tz: string): ZonedParts {
  const wall = atMs + zoneOffsets(tz).offsetAt(atMs);
  const days = Math.floor(wall / DAY_MS);
  const msOfDay = wall - days * DAY_MS;
  const date = civilFromDays(days);
  return {
    ...date,
    hour: Math.floor(msOfDay / 3_600_000),
    minute: Math.floor(msOfDay / 60_000) % 60,
    second: Math.floor(msOfDay / 1000) % 60,
  };
}

/**
 * The instant at which zone `tz` shows the given wall time. Fields may overflow (day 32, month 13,
 * hour 24) and are normalised as by Date.UTC. When the wall time occurs twice (fall-back), the
 * earliest instant is returned; when it does not exist (spring-forward gap), the instant just after
 * the gap, i.e. the first instant of the new offset (02:30 on a 02:00→03:00 day gives 03:00).
 */
export function zonedToUtc(
  parts: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number },
  tz: string,
): number {
  const wall = wallMs(
    parts.year,
    parts.month,
    parts.day,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  // Real offsets lie within ±26 h, so the answer is inside this span.
  const segs = zoneOffsets(tz).segments(wall - 2 * DAY_MS, wall + 2 * DAY_MS);
  for (const s of segs) {
    const t = wall - s.offset;
    if (t >= s.start && t < s.end) return t;
  }
  for (const s of segs) if (s.start + s.offset > wall) return s.start;
  throw new RangeError(`cannot map wall time ${new Date(wall).toISOString()} in zone ${tz}`);
}

/** `[local 1st 00:00, local 1st of next month 00:00)` for month 1–12 in zone `tz`. */
export function calendarMonthRange(year: number, month: number, tz: string): Range {
  return [zonedToUtc({ year, month, day: 1 }, tz), zonedToUtc({ year, month: month + 1, day: 1 }, tz)];
}

/**
 * Local-day buckets covering `[fromMs, toMs)` in zone `tz`, each `[local 00:00, next local 00:00)`
 * clipped to `[fromMs, toMs)`; a DST day is 23 h or 25 h long.
 */
export function calendarDayRanges(fromMs: number, toMs: number, tz: string): Range[] {
  const out: Range[] = [];
  if (!(toMs > fromMs)) return out;
  const p = zonedParts(fromMs, tz);
  let start = zonedToUtc({ year: p.year, month: p.month, day: p.day }, tz);
  let day = p.day;
  while (start < toMs) {
    day += 1;
    const end = zonedToUtc({ year: p.year, month: p.month, day }, tz);
    out.push([Math.max(start, fromMs), Math.min(end, toMs)]);
    start = end;
  }
  return out;
}
