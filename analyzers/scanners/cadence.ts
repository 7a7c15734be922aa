import { Cron } from 'croner';

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
  const end = from.getTime() + (opts.horizonDays ?? 366) * DAY;
  const cron = new Cron(pattern, { paused: true, ...(opts.timezone ? { timezone: opts.timezone } : {}) });
  const runs: number[] = [from.getTime()];
  let prev: Date | undefined = from;
  // Bounded: at most one run a minute over a year is 527k; a denser pattern trivially passes.
  while (runs.length < 600_000) {
    const next: Date | null = cron.nextRun(prev);
    if (!next || next.getTime() > end) break;
    runs.push(next.getTime());
    prev = next;
  }
  cron.stop();
  let minRuns = Infinity;
  let worst: number | undefined;
  for (let i = 0; i < runs.length; i++) {
    const start = runs[i]!;
    if (start + DAY > end) break;
    // Runs strictly after `start` and at most 24 h later: what the window (start, start + 24h] holds.
    let n = 0;
    for (let j = i + 1; j < runs.length && runs[j]! <= start + DAY; j++) if (++n >= min) break;
    if (n < minRuns) {
      minRuns = n;
      worst = start;
    }
    if (minRuns === 0) break;
  }
  const out: CadenceCheck = { ok: minRuns >= min, minRuns: minRuns === Infinity ? 0 : minRuns };
  if (worst !== undefined) out.worstWindowStart = new Date(worst).toISOString();
  return out;
}
