import {
  VigilError,
  activeRanges,
  calendarMonthRange,
  compileTimeInterval,
  type CompiledTimeInterval,
  type NamedTimeIntervalSpec,
} from '../core/index.js';
import type { IntervalResolver } from './exclusions.js';

export const DEFAULT_TIMEZONE = 'Europe/Amsterdam';

/**
 * Compiles the named `time_intervals` (Alertmanager syntax, core/time) once and resolves names to
 * active ranges. An interval without its own `location` is read in the policy's time zone, so
 * "Saturdays 09:00–17:00" means local time, DST included.
 */
export function intervalResolver(
  specs: readonly NamedTimeIntervalSpec[],
  defaultLocation: string,
): IntervalResolver {
  const compiled = new Map<string, CompiledTimeInterval>();
  for (const s of specs) compiled.set(s.name, compileTimeInterval(s, { defaultLocation }));
  return (name, fromMs, toMs) => {
    const c = compiled.get(name);
    if (!c) throw new VigilError('SLA_INTERVAL', `time interval "${name}" is not defined in time_intervals`);
    return activeRanges([c], fromMs, toMs);
  };
}

/** Parses "YYYY-MM" into the month's [start, end) in `tz`; throws SLA_MONTH on bad input. */
export function monthRange(month: string, tz: string): [number, number] {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const mm = m ? Number(m[2]) : 0;
  if (!m || mm < 1 || mm > 12)
    throw new VigilError('SLA_MONTH', `--month "${month}" is not a month (use YYYY-MM)`);
  return calendarMonthRange(Number(m[1]), mm, tz);
}
