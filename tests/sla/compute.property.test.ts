import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeSla, type ComputeInput, type Exclusion, type SlaSample } from '../../sla/index.js';

const T0 = Date.UTC(2026, 2, 1);
const SPAN = 6 * 3_600_000;

const sampleArb = fc.record({
  ts: fc.integer({ min: T0 - 60_000, max: T0 + SPAN }),
  ok: fc.boolean(),
  totalMs: fc.integer({ min: 1, max: 500 }),
  location: fc.constantFrom('ams', 'fra', 'lon'),
  loopDelayFlagged: fc.boolean(),
});
const exclusionArb = fc
  .tuple(fc.integer({ min: T0 - 3_600_000, max: T0 + SPAN }), fc.integer({ min: 0, max: 7_200_000 }))
  .map(([f, len]): Exclusion => ({ from: f, to: f + len, kind: 'maintenance', reason: 'm' }));
const inputArb = fc.record({
  samples: fc.array(sampleArb, { maxLength: 300 }),
  exclusions: fc.array(exclusionArb, { maxLength: 4 }),
  quorum: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  stalenessMs: fc.integer({ min: 1000, max: 600_000 }),
});

function input(
  x: { samples: SlaSample[]; exclusions: Exclusion[]; quorum?: number; stalenessMs: number },
  fromMs = T0,
  toMs = T0 + SPAN,
): ComputeInput {
  return { ...x, fromMs, toMs, availabilityObjective: 0.999, latency: { averageMs: 50 } };
}

describe('computeSla properties', () => {
  it('results in any order give the same figures', () => {
    fc.assert(
      fc.property(inputArb, fc.integer(), (x, seed) => {
        const shuffled = fc.sample(
          fc.shuffledSubarray(x.samples, { minLength: x.samples.length, maxLength: x.samples.length }),
          { numRuns: 1, seed },
        )[0]!;
        expect(computeSla(input({ ...x, samples: shuffled }))).toEqual(computeSla(input(x)));
      }),
      { numRuns: 200 },
    );
  });

  it('splitting a window in two and adding the parts gives the whole', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: T0, max: T0 + SPAN }), (x, cut) => {
        const whole = computeSla(input(x));
        const a = computeSla(input(x, T0, cut));
        const b = computeSla(input(x, cut, T0 + SPAN));
        for (const k of [
          'eligibleSeconds',
          'upSeconds',
          'downSeconds',
          'unknownSeconds',
          'excludedSeconds',
          'latencySamples',
          'loopDelayExcluded',
        ] as const) {
          expect(a[k] + b[k]).toBeCloseTo(whole[k], 6);
        }
        if (whole.latencySamples > 0) {
          const sum = (a.avgResponseMs ?? 0) * a.latencySamples + (b.avgResponseMs ?? 0) * b.latencySamples;
          expect(sum / whole.latencySamples).toBeCloseTo(whole.avgResponseMs!, 6);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('up + down + unknown = eligible and eligible + excluded = window', () => {
    fc.assert(
      fc.property(inputArb, (x) => {
        const f = computeSla(input(x));
        expect(f.upSeconds + f.downSeconds + f.unknownSeconds).toBeCloseTo(f.eligibleSeconds, 6);
        expect(f.eligibleSeconds + f.excludedSeconds).toBeCloseTo(SPAN / 1000, 6);
        expect(f.availabilityMet).toBe(f.budgetRemainingSeconds >= 0);
      }),
      { numRuns: 200 },
    );
  });
});
