import { describe, expect, it } from 'vitest';
import { computeSla, planExclusions, type ComputeInput, type SlaSample } from '../../sla/index.js';

const T0 = Date.UTC(2026, 5, 1, 0, 0, 0); // 2026-06-01T00:00Z
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

/** Samples every `step` ms in [from, to) at one location; `down(t)` says which fail. */
function series(
  location: string,
  from: number,
  to: number,
  step: number,
  down: (t: number) => boolean,
  totalMs = 20,
): SlaSample[] {
  const out: SlaSample[] = [];
  for (let t = from; t < to; t += step) out.push({ ts: t, ok: !down(t), totalMs, location });
  return out;
}

function base(samples: SlaSample[], over: Partial<ComputeInput> = {}): ComputeInput {
  return {
    samples,
    fromMs: T0,
    toMs: T0 + H,
    stalenessMs: 20 * S,
    exclusions: [],
    availabilityObjective: 0.999,
    latency: { averageMs: 50 },
    ...over,
  };
}

describe('computeSla, hand-computed tables', () => {
  it('an outage that straddles a maintenance window counts only outside it', () => {
    // 10 s probes for one hour; down 00:20–00:40; maintenance 00:30–01:00 (excluded).
    const s = series('ams', T0 - 10 * S, T0 + H, 10 * S, (t) => t >= T0 + 20 * MIN && t < T0 + 40 * MIN);
    const f = computeSla(
      base(s, {
        exclusions: [{ from: T0 + 30 * MIN, to: T0 + 60 * MIN, kind: 'maintenance', reason: 'sat' }],
      }),
    );
    expect(f.excludedSeconds).toBe(1800);
    expect(f.eligibleSeconds).toBe(1800);
    expect(f.downSeconds).toBe(600); // 00:20–00:30 only
    expect(f.upSeconds).toBe(1200);
    expect(f.unknownSeconds).toBe(0);
    expect(f.availability).toBeCloseTo(1200 / 1800, 12);
    expect(f.down).toEqual([[T0 + 20 * MIN, T0 + 30 * MIN]]);
    expect(f.availabilityMet).toBe(false);
    // budget = 0.001 × 1800 s − 600 s
    expect(f.budgetRemainingSeconds).toBeCloseTo(1.8 - 600, 9);
  });

  it('a data gap is unknown, not down', () => {
    // Samples every 10 s except none in 00:10–00:20; staleness 20 s: the last sample at 00:09:50
    // holds until 00:10:10, the next comes at 00:20:00 → 590 s unknown.
    const s = series('ams', T0, T0 + H, 10 * S, () => false).filter(
      (x) => x.ts < T0 + 10 * MIN || x.ts >= T0 + 20 * MIN,
    );
    const f = computeSla(base(s));
    expect(f.unknownSeconds).toBe(590);
    expect(f.downSeconds).toBe(0);
    expect(f.upSeconds).toBe(3600 - 590);
    expect(f.availability).toBe(1);
    expect(f.coverage).toBeCloseTo(3010 / 3600, 12);
  });

  it('quorum 2 of 3 with one location blind: two agreeing locations decide', () => {
    const down = (t: number) => t >= T0 + 10 * MIN && t < T0 + 15 * MIN;
    const ams = series('ams', T0, T0 + H, 10 * S, down);
    const fra = series('fra', T0, T0 + H, 10 * S, down);
    // lon fails alone for 5 minutes later on: not enough for quorum 2.
    const lonOnly = series('lon', T0 + 30 * MIN, T0 + 35 * MIN, 10 * S, () => true);
    const f = computeSla(base([...ams, ...fra], { quorum: 2 }));
    expect(f.downSeconds).toBe(300);
    expect(f.upSeconds).toBe(3300);
    const withLonBlind = computeSla(base([...ams, ...fra, ...lonOnly], { quorum: 2 }));
    expect(withLonBlind.downSeconds).toBe(300);
    // Only one location left and it says down: cannot reach quorum 2 → unknown, not down, not up.
    const single = computeSla(base(series('ams', T0, T0 + H, 10 * S, down), { quorum: 2 }));
    expect(single.downSeconds).toBe(0);
    expect(single.unknownSeconds).toBe(300);
  });

  it('an empty window gives zeros and no ratios', () => {
    const f = computeSla(base([], { toMs: T0 }));
    expect(f).toMatchObject({
      eligibleSeconds: 0,
      upSeconds: 0,
      downSeconds: 0,
      unknownSeconds: 0,
      availability: null,
      coverage: null,
      avgResponseMs: null,
      latencySamples: 0,
      budgetRemainingSeconds: 0,
    });
  });

  it('a window with no samples is all unknown', () => {
    const f = computeSla(base([]));
    expect(f.unknownSeconds).toBe(3600);
    expect(f.coverage).toBe(0);
    expect(f.availability).toBeNull();
  });

  it('latency: successful samples in eligible time, loop-delay flagged ones left out', () => {
    const s: SlaSample[] = [10, 20, 30, 40, 100].map((ms, i) => ({
      ts: T0 + i * 10 * S,
      ok: true,
      totalMs: ms,
      location: 'ams',
    }));
    s.push({ ts: T0 + 60 * S, ok: true, totalMs: 9000, location: 'ams', loopDelayFlagged: true });
    s.push({ ts: T0 + 70 * S, ok: false, totalMs: 5000, location: 'ams' });
    s.push({ ts: T0 + 31 * MIN, ok: true, totalMs: 7777, location: 'ams' }); // excluded time
    const f = computeSla(
      base(s, { exclusions: [{ from: T0 + 30 * MIN, to: T0 + H, kind: 'maintenance', reason: 'm' }] }),
    );
    expect(f.latencySamples).toBe(5);
    expect(f.avgResponseMs).toBe(40);
    expect(f.p50Ms).toBe(30);
    expect(f.p95Ms).toBe(100);
    expect(f.shareOverTarget).toBeCloseTo(0.2, 12);
    expect(f.loopDelayExcluded).toBe(1);
    expect(f.latencyMet).toBe(true);
  });
});

describe('planned downtime notice (S8)', () => {
  const start = T0 + 20 * MIN;
  const end = T0 + 30 * MIN;
  it.each([
    ['11 h 59 min before: unplanned', 11 * H + 59 * MIN, 0, 1],
    ['exactly 12 h before: planned', 12 * H, 600, 0],
    ['13 h before: planned', 13 * H, 600, 0],
  ])('%s', (_name, notice, excludedSeconds, lateCount) => {
    const plan = planExclusions({
      maintenance: [],
      plannedNoticeMs: 12 * H,
      planned: [{ id: 'pd1', start, end, announcedAt: start - notice, reason: 'db upgrade' }],
      resolve: () => [],
      fromMs: T0,
      toMs: T0 + H,
    });
    expect(plan.late).toHaveLength(lateCount);
    const s = series('ams', T0, T0 + H, 10 * S, (t) => t >= start && t < end);
    const f = computeSla(base(s, { exclusions: plan.exclusions }));
    expect(f.excludedSeconds).toBe(excludedSeconds);
    expect(f.downSeconds).toBe(600 - excludedSeconds);
  });
});
