import { minRunsInWindow } from '../../core/index.js';

const DAY = 24 * 3600_000;

export interface CadenceCheck {
  ok: boolean;
  /** The fewest runs found in any 24 h window over the horizon. */
  minRuns: number;
  /** Start of the worst 24 h window, ISO. */
  worstWindowStart?: string;
}

/**
 * Proves the S10 cadence (DESIGN.md §5): every 24 h window over the next `horizonDays` (DST
 * changes included, as croner evaluates the pattern in the time zone) holds at least `min` runs.
 * The worst windows start just after a run, so it suffices that runs[i + min] - runs[i] <= 24 h for
 * every i, and that `min` runs fall within 24 h of `from`. Local until core/schedule exports its
 * `minRunsInWindow`; the wiring prefers that one when it exists.
 */
export function checkCadence(
  pattern: string,
  opts: { timezone?: string; min?: number; from?: Date; horizonDays?: number } = {},
): CadenceCheck {
  const min = opts.min ?? 4;
  const from = opts.from ?? new Date();
  // core/schedule decides what a cron time means around clock changes, for the proof and the
  // scheduler alike, so the proof is about the runs that really happen.
  const { min: minRuns, windowStart } = minRunsInWindow(pattern, {
    timezone: opts.timezone ?? 'UTC',
    from,
    until: new Date(from.getTime() + (opts.horizonDays ?? 366) * DAY - DAY),
    windowMs: DAY,
  });
  return { ok: minRuns >= min, minRuns, worstWindowStart: windowStart.toISOString() };
}
