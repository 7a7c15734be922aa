import { expect, it } from 'vitest';
import { rebuildPeriodAggregates, type ProbeResult, type Store } from '../../core/index.js';
import {
  computeFromAggregates,
  computeFromRollups,
  computeSla,
  intervalResolver,
  monthRange,
  planExclusions,
  queryRollups,
  upsertRollups,
  type AggregateRequest,
  type SlaSample,
} from '../../sla/index.js';
import { describeStores } from '../helpers/stores.js';

// March 2026 in Amsterdam: the month starts at 23:00 UTC on Feb 28 and loses an hour on Mar 29.
const TZ = 'Europe/Amsterdam';
const [MONTH_FROM, MONTH_TO] = monthRange('2026-03', TZ);
const MIN = 60_000;
const H = 60 * MIN;
const at = (d: number, h: number, m = 0): number => Date.UTC(2026, 2, d, h, m);
const LOCS = ['ams', 'fra', 'lon'];
const DATA_FROM = at(28, 6);
const DATA_TO = at(30, 3);

/**
 * One sample per location at the start of every minute (60 s probes), so the exact §5 timeline
 * with a 60 s staleness and the per-minute rule describe the same states. Latencies are multiples
 * of 0.25 ms, so sums are exact whatever order they are added in.
 */
function state(t: number, loc: string): 'ok' | 'fail' | 'none' {
  if (t >= at(29, 5) && t < at(29, 5, 30)) return 'none'; // all locations silent: unknown
  if (loc === 'lon' && t >= at(28, 20) && t < at(29, 1)) return 'none'; // one location gone
  if (loc !== 'lon' && t >= at(29, 1, 10) && t < at(29, 1, 40)) return 'fail'; // outage across the DST change
  if (loc === 'lon' && t >= at(29, 10) && t < at(29, 10, 20)) return 'fail'; // one location only: not down
  if (t >= at(29, 16, 10) && t < at(29, 16, 20)) return 'fail'; // inside a late-announced downtime
  if (t >= at(28, 12, 5) && t < at(28, 12, 15)) return 'fail'; // inside Saturday maintenance
  return 'ok';
}

function dataset(): { results: ProbeResult[]; samples: SlaSample[] } {
  const results: ProbeResult[] = [];
  const samples: SlaSample[] = [];
  let k = 0;
  for (let t = DATA_FROM; t < DATA_TO; t += MIN) {
    for (const location of LOCS) {
      const s = state(t, location);
      if (s === 'none') continue;
      k++;
      const ok = s === 'ok';
      const totalMs = ok ? 15 + (k % 97) * 0.75 : 5000;
      const flagged = ok && k % 41 === 0;
      results.push({
        targetId: 'svc/http',
        location,
        startedAt: new Date(t).toISOString(),
        ok,
        totalMs,
        loopDelayMs: flagged ? 120 : 0,
        loopDelayFlagged: flagged,
        phases: { resolve: 0, connect: 0, tls: 0, processing: 1, transfer: 0 },
      });
      samples.push({ ts: t, ok, totalMs, location, loopDelayFlagged: flagged });
    }
  }
  return { results, samples };
}

const resolve = intervalResolver(
  [
    {
      name: 'sat',
      time_intervals: [{ weekdays: ['saturday'], times: [{ start_time: '12:00', end_time: '14:00' }] }],
    },
  ],
  TZ,
);
const planned = [
  { id: 'p1', start: at(29, 14), end: at(29, 14, 30), announcedAt: at(28, 0), reason: 'announced in time' },
  { id: 'p2', start: at(29, 16), end: at(29, 16, 45), announcedAt: at(29, 15), reason: 'announced late' },
];

function request(fromMs: number, toMs: number, quorum?: number): AggregateRequest {
  const { exclusions } = planExclusions({
    maintenance: ['sat'],
    plannedNoticeMs: 12 * H,
    planned,
    resolve,
    fromMs,
    toMs,
  });
  const r: AggregateRequest = {
    targetIds: ['svc/http'],
    fromMs,
    toMs,
    exclusions,
    availabilityObjective: 0.999,
    averageMs: 60,
  };
  if (quorum !== undefined) r.quorum = quorum;
  return r;
}

const WINDOWS: [number, number][] = [
  [MONTH_FROM, MONTH_TO], // the month report
  [MONTH_FROM, at(29, 16, 17) + 12_345], // month to date, mid-minute, inside the late downtime
  [MONTH_FROM, at(28, 12, 30)], // month to date, inside maintenance
  [at(28, 23, 7) + 500, at(29, 11, 59)], // a window starting mid-minute
  [MONTH_FROM, MONTH_FROM], // empty
];

async function load(store: Store, results: ProbeResult[]): Promise<void> {
  // Out of order and in several batches, as agents re-send: the aggregates must not care.
  const odd = results.filter((_, i) => i % 2 === 1);
  const even = results.filter((_, i) => i % 2 === 0).reverse();
  await upsertRollups(store.db, odd);
  await upsertRollups(store.db, even);
}

describeStores(
  'SLA figures from day and hour aggregates',
  (getStore) => {
    it('equal the figures from the minute rollups, for every window and quorum', async () => {
      const store = getStore();
      const { results } = dataset();
      await load(store, results);
      for (const quorum of [undefined, 2]) {
        const reqs = WINDOWS.map(([f, t]) => request(f, t, quorum));
        const fast = await computeFromAggregates(store.db, reqs);
        for (const [i, req] of reqs.entries()) {
          const rollups = await queryRollups(store.db, {
            targetIds: ['svc/http'],
            fromMs: req.fromMs,
            toMs: req.toMs,
          });
          expect(fast[i], `window ${i}, quorum ${quorum}`).toEqual(computeFromRollups({ ...req, rollups }));
        }
      }
      const month = (await computeFromAggregates(store.db, [request(MONTH_FROM, MONTH_TO, 2)]))[0]!;
      expect(month.downSeconds).toBe(40 * 60); // 30 min outage + 10 min in the late downtime
      expect(month.excludedSeconds).toBe(4 * 2 * 3600 + 30 * 60); // four Saturdays, one planned downtime
      expect(month.latencySamples).toBeGreaterThan(0);
    }, 120_000);

    it('agree to the second with the exact §5 computation from the raw samples', async () => {
      const store = getStore();
      const { results, samples } = dataset();
      await load(store, results);
      for (const [f, t] of WINDOWS) {
        const req = request(f, t, 2);
        const [fast] = await computeFromAggregates(store.db, [req]);
        const exact = computeSla({
          samples,
          fromMs: f,
          toMs: t,
          stalenessMs: 60_000,
          quorum: 2,
          exclusions: req.exclusions,
          availabilityObjective: 0.999,
          latency: { averageMs: 60 },
        });
        const sec = (x: number) => Math.round(x);
        for (const k of [
          'eligibleSeconds',
          'upSeconds',
          'downSeconds',
          'unknownSeconds',
          'excludedSeconds',
        ] as const)
          expect(sec(fast![k]), `${k} in window ${f}–${t}`).toBe(sec(exact[k]));
        expect(fast!.down).toEqual(exact.down);
        expect(fast!.availabilityMet).toBe(exact.availabilityMet);
        // A window starting mid-minute: the minute rule counts that minute's samples, taken
        // before the window; the exact computation does not. Latency compared on whole minutes.
        if (f % MIN !== 0) continue;
        expect(fast!.latencySamples).toBe(exact.latencySamples);
        if (exact.avgResponseMs === null) expect(fast!.avgResponseMs).toBeNull();
        else expect(fast!.avgResponseMs).toBeCloseTo(exact.avgResponseMs, 9);
      }
    }, 120_000);

    it('for many services in one call, give each service its own figures', async () => {
      const store = getStore();
      const { results } = dataset();
      // A second service: the same probes, down everywhere for an hour, and a third location.
      const other = results.map((r) => ({
        ...r,
        targetId: 'other/http',
        ok: r.ok && !(Date.parse(r.startedAt) >= at(29, 8) && Date.parse(r.startedAt) < at(29, 9)),
      }));
      await load(store, [...results, ...other]);
      const one = request(MONTH_FROM, at(29, 16, 17) + 12_345, 2);
      const two = { ...one, targetIds: ['other/http'] };
      const both = await computeFromAggregates(store.db, [one, two]);
      expect(both[0]).toEqual((await computeFromAggregates(store.db, [one]))[0]);
      expect(both[1]).toEqual((await computeFromAggregates(store.db, [two]))[0]);
      expect(both[1]!.downSeconds - both[0]!.downSeconds).toBeCloseTo(3600, 6);
    }, 120_000);

    it('kept incrementally, equal a rebuild from the rollups', async () => {
      const store = getStore();
      await load(store, dataset().results);
      const snapshot = async () => ({
        days: await store.db
          .selectFrom('probe_day_aggregates')
          .selectAll()
          .orderBy('target_id')
          .orderBy('location')
          .orderBy('day_at')
          .execute(),
        hours: await store.db
          .selectFrom('probe_hour_aggregates')
          .selectAll()
          .orderBy('target_id')
          .orderBy('location')
          .orderBy('hour_at')
          .execute(),
      });
      const incremental = await snapshot();
      expect(incremental.days.length).toBeGreaterThan(3);
      await rebuildPeriodAggregates(store.db);
      expect(await snapshot()).toEqual(incremental);
    }, 120_000);
  },
  { fresh: 'test' },
);
