import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ProbeResult } from '../../core/index.js';
import {
  computeFromMinuteCounts,
  computeFromRollups,
  computeSla,
  queryMinuteCounts,
  queryRollups,
  upsertRollups,
  type Exclusion,
  type ProbeRollup,
} from '../../sla/index.js';
import { describeStores } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 2, 1, 0, 0, 0);
const MIN = 60_000;

const rollupArb = fc.record({
  minute: fc.integer({ min: -2, max: 300 }),
  location: fc.constantFrom('ams', 'fra', 'lon'),
  ok: fc.integer({ min: 0, max: 6 }),
  fail: fc.integer({ min: 0, max: 6 }),
});

describe('computeFromRollups', () => {
  it('equals computeSla over one sample per location-minute with a 60 s staleness', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(rollupArb, { selector: (r) => `${r.minute}/${r.location}`, maxLength: 400 }),
        fc.array(
          fc.tuple(
            fc.integer({ min: T0 - 10 * MIN, max: T0 + 300 * MIN }),
            fc.integer({ min: 0, max: 60 * MIN }),
          ),
          { maxLength: 3 },
        ),
        fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
        fc.integer({ min: 0, max: 59_999 }),
        (raw, excl, quorum, offset) => {
          const rollups: ProbeRollup[] = raw
            .filter((r) => r.ok + r.fail > 0)
            .map((r) => ({
              targetId: 't',
              location: r.location,
              minuteAt: T0 + r.minute * MIN,
              okCount: r.ok,
              failCount: r.fail,
              flaggedCount: 0,
              latSum: r.ok * 20,
              latCount: r.ok,
              hist: new Map(r.ok > 0 ? [[34, r.ok]] : []),
              lastAt: T0 + r.minute * MIN,
              lastOk: r.fail === 0,
            }));
          const exclusions: Exclusion[] = excl.map(([f, len]) => ({
            from: f,
            to: f + len,
            kind: 'maintenance',
            reason: 'm',
          }));
          const fromMs = T0 + offset;
          const toMs = T0 + 240 * MIN + offset;
          const fast = computeFromRollups({
            rollups,
            fromMs,
            toMs,
            quorum,
            exclusions,
            availabilityObjective: 0.999,
            averageMs: 50,
          });
          const exact = computeSla({
            samples: rollups.map((r) => ({
              ts: r.minuteAt,
              ok: r.failCount <= r.okCount,
              totalMs: 0,
              location: r.location,
            })),
            fromMs,
            toMs,
            stalenessMs: MIN,
            quorum,
            exclusions,
            availabilityObjective: 0.999,
            latency: { averageMs: 50 },
          });
          for (const k of [
            'eligibleSeconds',
            'upSeconds',
            'downSeconds',
            'unknownSeconds',
            'excludedSeconds',
            'budgetRemainingSeconds',
          ] as const) {
            expect(fast[k]).toBeCloseTo(exact[k], 6);
          }
          expect(fast.down).toEqual(exact.down);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describeStores('minute counts summed in SQL', (getStore) => {
  it('give the same availability and average as the rollups themselves', async () => {
    const db = getStore().db;
    const results: ProbeResult[] = [];
    for (let t = T0; t < T0 + 90 * MIN; t += 10_000) {
      for (const location of ['ams', 'fra', 'lon']) {
        const down = t >= T0 + 30 * MIN && t < T0 + 40 * MIN && location !== 'lon';
        results.push({
          targetId: 'w/http',
          location,
          startedAt: new Date(t).toISOString(),
          ok: !down,
          totalMs: down ? 3000 : 20 + (t % 7),
          loopDelayMs: 0,
          phases: { resolve: 0, connect: 0, tls: 0, processing: 1, transfer: 0 },
        });
      }
    }
    await upsertRollups(db, results);
    const window = {
      fromMs: T0 + 5 * MIN,
      toMs: T0 + 80 * MIN,
      quorum: 2,
      exclusions: [],
      availabilityObjective: 0.999,
      averageMs: 50,
    };
    const viaRows = computeFromRollups({
      ...window,
      rollups: await queryRollups(db, { targetIds: ['w/http'], fromMs: window.fromMs, toMs: window.toMs }),
    });
    const viaSql = computeFromMinuteCounts({
      ...window,
      minutes: await queryMinuteCounts(db, {
        targetIds: ['w/http'],
        fromMs: window.fromMs,
        toMs: window.toMs,
      }),
    }).figures;
    expect(viaRows.downSeconds).toBe(600);
    expect(viaSql).toEqual({ ...viaRows, p50Ms: null, p95Ms: null, p99Ms: null });
  });
});
