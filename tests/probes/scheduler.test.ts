import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger, type ProbeResult } from '../../core/index.js';
import {
  DueHeap,
  LoopMonitor,
  ProbeScheduler,
  makeResult,
  staggerOffsets,
  type Probe,
  type ProbeTarget,
} from '../../probes/index.js';

const tgt = (id: string, intervalMs: number, timeoutMs = 10_000): ProbeTarget => ({
  id,
  serviceId: 's',
  type: 'http',
  location: 'local',
  intervalMs,
  timeoutMs,
});

/** A probe whose run takes `ms` of (possibly fake) timer time and records when it started. */
function timedProbe(
  ms: number,
  starts: number[],
  clock: () => number,
  live?: { now: number; max: number },
): Probe {
  return {
    async run(target) {
      starts.push(clock());
      if (live) live.max = Math.max(live.max, ++live.now);
      await new Promise((r) => setTimeout(r, ms));
      if (live) live.now--;
      return makeResult(target, new Date(), { ok: true, totalMs: ms });
    },
  };
}

describe('schedule plan', () => {
  it('spreads the targets of one interval evenly, by id', () => {
    const offsets = staggerOffsets([
      tgt('d', 1000),
      tgt('b', 1000),
      tgt('a', 1000),
      tgt('c', 1000),
      tgt('x', 60_000),
    ]);
    expect([...['a', 'b', 'c', 'd', 'x'].map((id) => offsets.get(id))]).toEqual([0, 250, 500, 750, 0]);
  });

  it('pops due times in order', () => {
    const heap = new DueHeap();
    const dues = [50, 10, 40, 10, 30, 20, 60, 0];
    dues.forEach((d, i) => heap.push(d, i));
    const out: number[] = [];
    while (heap.size > 0) out.push(heap.pop()!.due);
    expect(out).toEqual([...dues].sort((a, b) => a - b));
  });
});

describe('scheduler with fake timers', () => {
  afterEach(() => vi.useRealTimers());

  function setup(targets: ProbeTarget[], runMs: number, maxConcurrency: number) {
    vi.useFakeTimers({ now: 1_000_000 });
    const clock = { now: () => Date.now() };
    const starts = new Map<string, number[]>();
    const live = { now: 0, max: 0 };
    const results: ProbeResult[] = [];
    const entries = targets.map((t) => {
      const list: number[] = [];
      starts.set(t.id, list);
      return { target: t, probe: timedProbe(runMs, list, clock.now, live) };
    });
    const s = new ProbeScheduler(entries, {
      maxConcurrency,
      loopDelayThresholdMs: 1e9,
      monitor: new LoopMonitor(),
      log: silentLogger(),
      clock,
      onResult: (r) => results.push(r),
    });
    const stop = async (): Promise<void> => {
      const done = s.stop(1000);
      await vi.advanceTimersByTimeAsync(5000);
      await done;
    };
    return { s, starts, live, results, stop };
  }

  it('starts staggered and keeps to the plan without drift', async () => {
    const { s, starts, stop } = setup([tgt('a', 1000), tgt('b', 1000)], 10, 10);
    s.start();
    await vi.advanceTimersByTimeAsync(10_000 - 1);
    await stop();
    expect(starts.get('a')!.map((t) => t - 1_000_000)).toEqual(
      Array.from({ length: 10 }, (_, i) => i * 1000),
    );
    expect(starts.get('b')!.map((t) => t - 1_000_000)).toEqual(
      Array.from({ length: 10 }, (_, i) => 500 + i * 1000),
    );
  });

  it('never runs more than maxConcurrency at once and counts late starts', async () => {
    const targets = Array.from({ length: 10 }, (_, i) => tgt(`t${i}`, 5000));
    const { s, live, results, stop } = setup(targets, 2000, 2);
    s.start();
    await vi.advanceTimersByTimeAsync(4999);
    expect(live.max).toBe(2);
    expect(s.stats.late).toBeGreaterThan(0);
    await stop();
    expect(results.length).toBe(s.stats.runs);
  });

  it('skips a target still running when it is due again and counts it as missed', async () => {
    const { s, starts, stop } = setup([tgt('slow', 1000)], 2500, 4);
    s.start();
    await vi.advanceTimersByTimeAsync(6000);
    await stop();
    // runs at 0 and 3000 (after the 2500 ms run, the next due is 3000); 1000, 2000, 4000, 5000 missed
    expect(starts.get('slow')!.map((t) => t - 1_000_000)).toEqual([0, 3000, 6000]);
    expect(s.stats.missed).toBe(4);
  });
});

describe('loop delay around a probe (real timers)', () => {
  it('flags a sample taken while the process itself was blocked', async () => {
    const blocking: Probe = {
      async run(target) {
        await new Promise((r) => setTimeout(r, 30));
        const end = Date.now() + 80;
        while (Date.now() < end); // the prober, not the service, is busy
        return makeResult(target, new Date(), { ok: true, totalMs: 1 });
      },
    };
    const quiet: Probe = {
      async run(target) {
        await new Promise((r) => setTimeout(r, 30));
        return makeResult(target, new Date(), { ok: true, totalMs: 1 });
      },
    };
    const results: ProbeResult[] = [];
    const s = new ProbeScheduler(
      [
        { target: tgt('blocked', 60_000), probe: blocking },
        { target: tgt('quiet', 60_000), probe: quiet },
      ],
      {
        maxConcurrency: 1,
        loopDelayThresholdMs: 50,
        monitor: new LoopMonitor(),
        log: silentLogger(),
        onResult: (r) => results.push(r),
      },
    );
    s.start();
    await vi.waitFor(() => expect(results.some((r) => r.targetId === 'blocked')).toBe(true), {
      timeout: 5000,
    });
    await s.stop(1000);
    const blocked = results.find((r) => r.targetId === 'blocked')!;
    expect(blocked.loopDelayMs).toBeGreaterThanOrEqual(70);
    expect(blocked.loopDelayFlagged).toBe(true);
    expect(s.stats.flagged).toBeGreaterThanOrEqual(1);
  });
});
