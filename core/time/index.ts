// core/time: Alertmanager `time_intervals`, evaluated DST-correctly, range algebra and zone helpers.
export type { Range } from './ranges.js';
export { mergeRanges, intersectRanges, subtractRanges, totalMs } from './ranges.js';
export type { TimeIntervalSpec, NamedTimeIntervalSpec } from './time-interval-spec.js';
export { timeIntervalSpecSchema, namedTimeIntervalSchema } from './time-interval-spec.js';
export type { CompiledTimeInterval } from './time-interval.js';
export { compileTimeInterval, isActiveAt, activeRanges, nextTransition } from './time-interval.js';
export type { ZonedParts } from './zoned.js';
export { zonedParts, zonedToUtc, calendarMonthRange, calendarDayRanges, daysInMonth } from './zoned.js';
