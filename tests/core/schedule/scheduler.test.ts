import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VigilError } from '../../../core/errors.js';
import { createMetricsRegistry } from '../../../core/metrics.js';
import { createScheduler, type JobContext } from '../../../core/schedule/index.js';
import { captureLogger, sequence } from './helpers.js';

const T0 = Date.parse('2026-03-28T00:00:00Z');

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A job that records when it ran and what it was told, then resolves. */
function recorder() {
  const calls: { at: number; scheduledFor: string }[] = [];
  const fn = async (ctx: JobContext) => {
    calls.push({ at: Date.now(), scheduledFor: ctx.scheduledFor.toISOString() });
  };
  return { calls, fn };
}

describe('scheduler (fake timers)', () => {
  it('runs a cron job at its DST-correct instants', async () => {
    const s = createScheduler({ log: captureLogger().log });
    const r = recorder();
    s.addCron('nightly', '0 2 * * *', r.fn, { timezone: 'Europe/Amsterdam' });
    s.start();
    await vi.advanceTimersByTimeAsync(Date.parse('2026-03-30T12:00:00Z') - T0);
    // 03-28 02:00 CET = 01:00Z; 03-29 02:00 is in the gap -> 03:00 CEST = 01:00Z; 03-30 02:00 CEST = 00:00Z.
    expect(r.calls.map((c) => c.scheduledFor)).toEqual([
      '2026-03-28T01:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:00:00.000Z',
    ]);
    expect(r.calls.map((c) => new Date(c.at).toISOString())).toEqual(r.calls.map((c) => c.scheduledFor));
    await s.stop(0);
  });

  it('skips a tick while the previous run is still running, counting and logging it', async () => {
    const { log, lines } = captureLogger();
    const metrics = createMetricsRegistry();
    const s = createScheduler({ log, metrics });
    let release = () => {};
    let runs = 0;
    s.addInterval('slow', 1000, () => {
      runs++;
      return new Promise<void>((resolve) => (release = resolve));
    });
    s.start();
    await vi.advanceTimersByTimeAsync(3500); // ticks at 1000 (runs), 2000 and 3000 (skipped)
    expect(runs).toBe(1);
    expect(s.running()).toEqual(['slow']);
    const skipped = await metrics.getSingleMetric('vigil_scheduler_skipped_total')!.get();
    expect(skipped.values).toEqual([{ value: 2, labels: { job: 'slow' } }]);
    expect(
      lines.filter((l) => l.msg === 'previous run still running; tick skipped' && l.job === 'slow'),
    ).toHaveLength(2);
    release();
    await vi.advanceTimersByTimeAsync(1000); // tick at 4000 runs again
    expect(runs).toBe(2);
    release();
    await s.stop(0);
  });

  it('logs a failing job with its name and keeps scheduling it and the others', async () => {
    const { log, lines } = captureLogger();
    const metrics = createMetricsRegistry();
    const s = createScheduler({ log, metrics });
    let n = 0;
    s.addInterval('flaky', 1000, async () => {
      n++;
      if (n === 1) throw new Error('disk on fire');
    });
    const other = recorder();
    s.addInterval('steady', 1000, other.fn);
    s.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(n).toBe(3);
    expect(other.calls).toHaveLength(3);
    const err = lines.find((l) => l.msg === 'job failed');
    expect(err).toMatchObject({ job: 'flaky', component: 'scheduler', err: { message: 'disk on fire' } });
    const runs = await metrics.getSingleMetric('vigil_scheduler_runs_total')!.get();
    expect(runs.values.find((v) => v.labels.job === 'flaky' && v.labels.result === 'error')?.value).toBe(1);
    expect(runs.values.find((v) => v.labels.job === 'flaky' && v.labels.result === 'ok')?.value).toBe(2);
    await s.stop(0);
  });

  it('stop waits for running jobs up to the deadline, then aborts the rest', async () => {
    const s = createScheduler({ log: captureLogger().log });
    let stuckSignal: AbortSignal | undefined;
    s.addInterval('quick', 1000, () => new Promise<void>((resolve) => setTimeout(resolve, 500)));
    s.addInterval('stuck', 1000, (ctx) => {
      stuckSignal = ctx.signal;
      return new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
    });
    const late = recorder();
    s.addInterval('late', 5000, late.fn);
    s.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.running().sort()).toEqual(['quick', 'stuck']);
    const stopping = s.stop(2000);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await stopping).toEqual({ finished: ['quick'], aborted: ['stuck'] });
    expect(stuckSignal?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(late.calls).toHaveLength(0); // no new work after stop
    expect(s.running()).toEqual([]);
  });

  it('stop returns early when the running jobs finish before the deadline', async () => {
    const s = createScheduler({ log: captureLogger().log });
    s.addInterval('quick', 1000, () => new Promise<void>((resolve) => setTimeout(resolve, 100)));
    s.start();
    await vi.advanceTimersByTimeAsync(1000);
    const stopping = s.stop(60_000);
    await vi.advanceTimersByTimeAsync(100);
    expect(await stopping).toEqual({ finished: ['quick'], aborted: [] });
  });

  it('staggers interval starts deterministically from `random`', async () => {
    const s = createScheduler({ log: captureLogger().log, random: sequence(0, 0.25, 0.5, 0.75) });
    const firsts: Record<string, number> = {};
    for (const name of ['a', 'b', 'c', 'd']) {
      s.addInterval(name, 60_000, async () => void (firsts[name] ??= Date.now() - T0), {
        staggerMs: 60_000,
        runAtStart: true,
      });
    }
    s.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(firsts).toEqual({ a: 0, b: 15_000, c: 30_000, d: 45_000 });
    await s.stop(0);
  });

  it('keeps the stagger phase and adds fresh jitter to each run; scheduledFor is the planned instant', async () => {
    const s = createScheduler({ log: captureLogger().log, random: sequence(0.5, 0.1, 0.3, 0.9) });
    const r = recorder();
    // stagger 0.5 * 1000 = 500; jitters 0.1, 0.3, 0.9 of 100 ms on the runs at 1500, 2500, 3500.
    s.addInterval('probe', 1000, r.fn, { staggerMs: 1000, jitterMs: 100 });
    s.start();
    await vi.advanceTimersByTimeAsync(3600);
    expect(r.calls.map((c) => c.at - T0)).toEqual([1510, 2530, 3590]);
    expect(r.calls.map((c) => Date.parse(c.scheduledFor) - T0)).toEqual([1500, 2500, 3500]);
    await s.stop(0);
  });

  it('remove stops future runs; jobs added after start are scheduled', async () => {
    const s = createScheduler({ log: captureLogger().log });
    const a = recorder();
    const b = recorder();
    s.addInterval('a', 1000, a.fn);
    s.start();
    await vi.advanceTimersByTimeAsync(2000);
    s.remove('a');
    s.addInterval('b', 1000, b.fn, { runAtStart: true });
    await vi.advanceTimersByTimeAsync(2000);
    expect(a.calls).toHaveLength(2);
    expect(b.calls.map((c) => c.at - T0)).toEqual([2000, 3000, 4000]);
    await s.stop(0);
  });

  it.each([
    [
      'a bad cron expression',
      (s: ReturnType<typeof createScheduler>) => s.addCron('x', '61 * * * *', async () => {}),
      'CFG_SCHEDULE',
      'job "x": "61 * * * *" is not a valid cron expression',
    ],
    [
      'an unknown time zone',
      (s: ReturnType<typeof createScheduler>) =>
        s.addCron('x', '0 * * * *', async () => {}, { timezone: 'Nowhere/Land' }),
      'CFG_SCHEDULE',
      '"Nowhere/Land" is not a known IANA time zone',
    ],
    [
      'a zero interval',
      (s: ReturnType<typeof createScheduler>) => s.addInterval('x', 0, async () => {}),
      'CFG_SCHEDULE',
      'interval must be > 0 ms',
    ],
    [
      'a duplicate name',
      (s: ReturnType<typeof createScheduler>) => {
        s.addInterval('x', 10, async () => {});
        s.addInterval('x', 10, async () => {});
      },
      'APP_SCHEDULER',
      'job "x" is already scheduled',
    ],
  ])('rejects %s', (_n, act, code, message) => {
    const s = createScheduler({ log: captureLogger().log });
    let caught: unknown;
    try {
      act(s);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(VigilError);
    expect((caught as VigilError).code).toBe(code);
    expect((caught as VigilError).message).toContain(message);
  });
});
