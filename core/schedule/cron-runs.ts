import { Cron } from 'croner';
import { VigilError, errorMessage } from '../errors.js';
import { zonedParts, zonedToUtc } from '../time/index.js';

const DAY_MS = 86_400_000;
const MAX_PROOF_RUNS = 600_000;

/**
 * DST semantics (vigil's, documented; the scheduler and the proof both use nextRuns, so they agree):
 * croner only enumerates wall-clock times, in its fixed-offset mode (utcOffset 0: wall time read as
 * UTC), and core/time maps each wall time to an instant:
 * - a wall time that does not exist (spring-forward gap) runs at the end of the gap (02:30 → 03:00),
 *   and several such times collapse into one run (as Vixie cron runs skipped jobs at once);
 * - a wall time that occurs twice (fall-back) runs once, at its first occurrence (as Vixie cron).
 * croner's own timezone mode is not used: it is ~50x slower (Intl on every step, ~1 ms per run here),
 * too slow to walk a year of a frequent schedule, and at DST edges its choice depends on the zone
 * (repeated 02:00 in Amsterdam runs at the later occurrence, repeated 23:00 in Santiago at the earlier;
 * a 02:30 in the gap runs at 03:30). Outside DST edges both give the same runs (tested).
 */
function wallCron(expr: string): Cron {
  return new Cron(expr, { utcOffset: 0, paused: true });
}

function checkZone(timezone: string): string | undefined {
  try {
    zonedParts(0, timezone);
    return undefined;
  } catch (err) {
    return `"${timezone}" is not a known IANA time zone (${errorMessage(err)})`;
  }
}

/**
 * Checks a cron expression (croner syntax: 5 fields, or 6 with seconds first; `@daily` etc.) and an
 * optional IANA time zone. Returns an error message, or undefined when valid.
 */
export function validateCron(expr: string, timezone?: string): string | undefined {
  if (timezone !== undefined) {
    const bad = checkZone(timezone);
    if (bad) return bad;
  }
  let cron: Cron;
  try {
    cron = wallCron(expr);
  } catch (err) {
    return `"${expr}" is not a valid cron expression: ${errorMessage(err).replace(/^CronPattern: /, '')}`;
  }
  if (!cron.nextRun()) return `"${expr}" never runs`;
  return undefined;
}

/** Run instants at or after `fromMs`, ascending, deduplicated; stops at `untilMs` (exclusive). */
function* runInstants(expr: string, timezone: string, fromMs: number, untilMs: number): Generator<number> {
  const bad = validateCron(expr, timezone);
  if (bad !== undefined) throw new VigilError('CFG_SCHEDULE', bad);
  const cron = wallCron(expr);
  const p = zonedParts(fromMs, timezone);
  // Wall time can step back at most a few hours (fall-back), so start two days early and filter.
  let wall: Date | null = new Date(Date.UTC(p.year, p.month - 1, p.day) - 2 * DAY_MS);
  let last = -Infinity;
  while (true) {
    wall = cron.nextRun(wall);
    if (!wall) return;
    const t = zonedToUtc(
      {
        year: wall.getUTCFullYear(),
        month: wall.getUTCMonth() + 1,
        day: wall.getUTCDate(),
        hour: wall.getUTCHours(),
        minute: wall.getUTCMinutes(),
        second: wall.getUTCSeconds(),
      },
      timezone,
    );
    if (t >= untilMs) return;
    if (t >= fromMs && t !== last) {
      last = t;
      yield t;
    }
  }
}

/**
 * The runs of `expr` in `timezone` at or after `from` and before `until` (exclusive), at most
 * `count` (default 10 when `until` is not given, else unlimited). Throws VigilError CFG_SCHEDULE
 * for an invalid expression or zone.
 */
export function nextRuns(
  expr: string,
  opts: { timezone: string; from: Date; count?: number; until?: Date },
): Date[] {
  const count = opts.count ?? (opts.until ? Infinity : 10);
  const out: Date[] = [];
  if (count <= 0) return out;
  for (const t of runInstants(expr, opts.timezone, opts.from.getTime(), opts.until?.getTime() ?? Infinity)) {
    out.push(new Date(t));
    if (out.length >= count) break;
  }
  return out;
}

/**
 * The fewest runs in any sliding window `[s, s + windowMs)` with `s` in `[from, until]`, and the
 * first `s` where that minimum is found (the ≥ 4 runs / 24 h proof, DESIGN.md S10).
 *
 * Why checking `s = from` and `s = run + 1 ms` for every run suffices: on the millisecond grid,
 * count(s) = #runs in [s, s + w). Moving s to s + 1 loses a run only if s itself is a run, and can
 * only gain runs otherwise. So from any s that is neither `from` nor just after a run, stepping back
 * one millisecond at a time never raises the count, until a candidate is reached: the minimum is
 * attained at a candidate. Cost: one pass over the runs in `[from, until + windowMs)`; more than
 * `maxRuns` (default 600k) of them is refused with CFG_SCHEDULE.
 */
export function minRunsInWindow(
  expr: string,
  opts: { timezone: string; from: Date; until: Date; windowMs: number; maxRuns?: number },
): { min: number; windowStart: Date } {
  const from = opts.from.getTime();
  const until = opts.until.getTime();
  const w = opts.windowMs;
  if (!(w > 0) || !(until >= from)) {
    throw new VigilError(
      'CFG_SCHEDULE',
      `minRunsInWindow: need windowMs > 0 and until >= from (got ${w}, ${opts.from.toISOString()}..${opts.until.toISOString()})`,
    );
  }
  const maxRuns = opts.maxRuns ?? MAX_PROOF_RUNS;
  const runs: number[] = [];
  for (const t of runInstants(expr, opts.timezone, from, until + w)) {
    // Bounded work: a year of a once-a-minute schedule is 527k runs (~10 s); denser ones are refused.
    if (runs.length >= maxRuns) {
      throw new VigilError(
        'CFG_SCHEDULE',
        `"${expr}" runs more than ${maxRuns} times between ${opts.from.toISOString()} and ${new Date(until + w).toISOString()}; too dense to check run by run`,
      );
    }
    runs.push(t);
  }
  let best = { min: Infinity, windowStart: from };
  let i = 0;
  let j = 0;
  const consider = (s: number): void => {
    while (i < runs.length && runs[i]! < s) i++;
    while (j < runs.length && runs[j]! < s + w) j++;
    if (j - i < best.min) best = { min: j - i, windowStart: s };
  };
  consider(from);
  for (const r of runs) if (r < until) consider(r + 1);
  return { min: best.min, windowStart: new Date(best.windowStart) };
}
