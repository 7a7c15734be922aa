import { VigilError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Registry } from '../metrics.js';
import { systemClock, type Clock } from '../runtime.js';
import { nextRuns, validateCron } from './cron-runs.js';
import { schedulerMetrics } from './scheduler-metrics.js';

/** What a job run receives: aborted when the scheduler stops past its deadline. */
export interface JobContext {
  signal: AbortSignal;
  /** The planned instant of this run (for interval jobs without jitter and stagger). */
  scheduledFor: Date;
}

export type JobFn = (ctx: JobContext) => Promise<void>;

export interface Scheduler {
  /** A job on a cron expression (croner syntax) in `opts.timezone` (default UTC). */
  addCron(name: string, expr: string, fn: JobFn, opts?: { timezone?: string }): void;
  /**
   * A job every `everyMs`. The first run is at start (runAtStart) or one period later, plus a
   * stagger offset drawn once in `[0, staggerMs)`; later runs keep that phase (no drift), each
   * fired `[0, jitterMs)` late.
   */
  addInterval(
    name: string,
    everyMs: number,
    fn: JobFn,
    opts?: { staggerMs?: number; jitterMs?: number; runAtStart?: boolean },
  ): void;
  /** Stops future runs of the job; a run in progress finishes (stop() still waits for it). */
  remove(name: string): void;
  start(): void;
  /**
   * Stops taking work, waits up to `deadlineMs` for running jobs, then aborts the signals of those
   * still running and returns without waiting for them to settle.
   */
  stop(deadlineMs: number): Promise<{ finished: string[]; aborted: string[] }>;
  /** Names of the jobs running now. */
  running(): string[];
}

interface Job {
  name: string;
  fn: JobFn;
  /** The first planned run strictly after `afterMs`. */
  plan(afterMs: number): number | undefined;
  /** The first planned run once the scheduler runs. */
  first(nowMs: number): number | undefined;
  jitterMs: number;
  timer?: ReturnType<typeof setTimeout>;
}

interface Run {
  controller: AbortController;
  done: Promise<void>;
}

/** Longest single timer; longer waits re-arm, which also absorbs clock drift. */
const MAX_TIMER_MS = 3_600_000;

/**
 * Runs cron and interval jobs: never two runs of one job at once (the extra tick is skipped,
 * counted in `vigil_scheduler_skipped_total{job}` and logged), a failing job is logged with its
 * name and keeps its schedule, deterministic stagger/jitter from `random`, graceful stop.
 */
export function createScheduler(opts: {
  log: Logger;
  metrics?: Registry;
  clock?: Clock;
  random?: () => number;
}): Scheduler {
  const log = opts.log.child({ component: 'scheduler' });
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? Math.random;
  const metrics = opts.metrics ? schedulerMetrics(opts.metrics) : undefined;
  const jobs = new Map<string, Job>();
  const inflight = new Map<string, Run>();
  let state: 'idle' | 'started' | 'stopped' = 'idle';

  function add(job: Job): void {
    if (jobs.has(job.name)) throw new VigilError('APP_SCHEDULER', `job "${job.name}" is already scheduled`);
    if (state === 'stopped')
      throw new VigilError('APP_SCHEDULER', `cannot add job "${job.name}": the scheduler is stopped`);
    jobs.set(job.name, job);
    if (state === 'started') arm(job, job.first(clock.now()));
  }

  function arm(job: Job, nominal: number | undefined): void {
    if (nominal === undefined) {
      log.warn({ job: job.name }, 'job has no further runs');
      return;
    }
    const fireAt = nominal + (job.jitterMs > 0 ? Math.floor(random() * job.jitterMs) : 0);
    const wait = (): void => {
      const delay = fireAt - clock.now();
      if (delay > MAX_TIMER_MS) {
        job.timer = setTimeout(wait, MAX_TIMER_MS);
        return;
      }
      job.timer = setTimeout(
        () => {
          if (jobs.get(job.name) !== job || state !== 'started') return;
          tick(job, nominal);
          arm(job, job.plan(Math.max(nominal, clock.now())));
        },
        Math.max(0, delay),
      );
    };
    wait();
  }

  function tick(job: Job, nominal: number): void {
    const scheduledFor = new Date(nominal);
    if (inflight.has(job.name)) {
      metrics?.skipped.inc({ job: job.name });
      log.warn({ job: job.name, scheduledFor }, 'previous run still running; tick skipped');
      return;
    }
    const controller = new AbortController();
    const run: Run = { controller, done: Promise.resolve() };
    inflight.set(job.name, run);
    const started = clock.now();
    run.done = Promise.resolve()
      .then(() => job.fn({ signal: controller.signal, scheduledFor }))
      .then(
        () => metrics?.runs.inc({ job: job.name, result: 'ok' }),
        (err: unknown) => {
          metrics?.runs.inc({ job: job.name, result: 'error' });
          log.error({ job: job.name, scheduledFor, err }, 'job failed');
        },
      )
      .finally(() => {
        metrics?.duration.observe({ job: job.name }, (clock.now() - started) / 1000);
        if (inflight.get(job.name) === run) inflight.delete(job.name);
      });
  }

  return {
    addCron(name, expr, fn, o = {}) {
      const timezone = o.timezone ?? 'UTC';
      const bad = validateCron(expr, timezone);
      if (bad !== undefined) throw new VigilError('CFG_SCHEDULE', `job "${name}": ${bad}`);
      const plan = (after: number) =>
        nextRuns(expr, { timezone, from: new Date(after + 1), count: 1 })[0]?.getTime();
      add({ name, fn, plan, first: plan, jitterMs: 0 });
    },

    addInterval(name, everyMs, fn, o = {}) {
      if (!(everyMs > 0))
        throw new VigilError('CFG_SCHEDULE', `job "${name}": interval must be > 0 ms (got ${everyMs})`);
      let anchor = 0;
      const staggerMs = o.staggerMs ?? 0;
      add({
        name,
        fn,
        jitterMs: o.jitterMs ?? 0,
        first(now) {
          anchor =
            (o.runAtStart ? now : now + everyMs) + (staggerMs > 0 ? Math.floor(random() * staggerMs) : 0);
          return anchor;
        },
        plan: (after) => anchor + (Math.floor((after - anchor) / everyMs) + 1) * everyMs,
      });
    },

    remove(name) {
      const job = jobs.get(name);
      if (job?.timer) clearTimeout(job.timer);
      jobs.delete(name);
    },

    start() {
      if (state !== 'idle') throw new VigilError('APP_SCHEDULER', `scheduler cannot start: it is ${state}`);
      state = 'started';
      const now = clock.now();
      for (const job of jobs.values()) arm(job, job.first(now));
      log.info({ jobs: [...jobs.keys()] }, 'scheduler started');
    },

    async stop(deadlineMs) {
      state = 'stopped';
      for (const job of jobs.values()) if (job.timer) clearTimeout(job.timer);
      const pending = [...inflight.entries()];
      const finished: string[] = [];
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadlineMs))));
      await Promise.race([
        Promise.all(pending.map(([name, run]) => run.done.then(() => void finished.push(name)))),
        deadline,
      ]);
      clearTimeout(timer);
      // Snapshot: runs that settle after the deadline (e.g. on abort) must not count as finished.
      const done = [...finished];
      const aborted = pending.filter(([name]) => !done.includes(name));
      for (const [name, run] of aborted) {
        log.warn({ job: name, deadlineMs }, 'job still running at the stop deadline; aborting');
        run.controller.abort(
          new VigilError('APP_SCHEDULER_STOPPED', `scheduler stopped; job "${name}" aborted`),
        );
      }
      return { finished: done, aborted: aborted.map(([name]) => name) };
    },

    running: () => [...inflight.keys()],
  };
}
