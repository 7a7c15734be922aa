import { expect, it } from 'vitest';
import { insertProbeResults, type Incident, type ProbeResult } from '../../core/index.js';
import {
  getIncident,
  insertPlannedDowntime,
  listIncidents,
  listPlannedDowntimes,
  queryRollups,
  upsertIncident,
  upsertRollups,
  querySlaSamples,
  bucketValue,
  latencyBucket,
} from '../../sla/index.js';

import { describeStores } from '../helpers/stores.js';

const T = Date.UTC(2026, 2, 10, 12, 0, 0);

function result(loc: string, atMs: number, ok: boolean, totalMs: number, flagged = false): ProbeResult {
  const r: ProbeResult = {
    targetId: 'web/http',
    location: loc,
    startedAt: new Date(atMs).toISOString(),
    ok,
    totalMs,
    phases: { resolve: 0, connect: 1, tls: 0, processing: totalMs - 1, transfer: 0 },
    loopDelayMs: flagged ? 500 : 1,
  };
  if (flagged) r.loopDelayFlagged = true;
  return r;
}

describeStores('probe rollups', (getStore) => {
  it('folds results into per-minute rows, across separate calls', async () => {
    const db = getStore().db;
    await upsertRollups(db, [
      result('ams', T, true, 10),
      result('ams', T + 10_000, false, 3000),
      result('fra', T + 5000, true, 20),
    ]);
    await upsertRollups(db, [
      result('ams', T + 20_000, true, 40),
      result('ams', T + 30_000, true, 999, true),
      result('ams', T + 60_000, true, 16),
    ]);
    const rows = await queryRollups(db, { targetIds: ['web/http'], fromMs: T, toMs: T + 120_000 });
    expect(rows.map((r) => [r.location, r.minuteAt])).toEqual([
      ['ams', T],
      ['fra', T],
      ['ams', T + 60_000],
    ]);
    const ams = rows[0]!;
    expect(ams).toMatchObject({
      okCount: 3,
      failCount: 1,
      flaggedCount: 1,
      latSum: 50,
      latCount: 2,
      lastAt: T + 30_000,
      lastOk: true,
    });
    expect([...ams.hist.entries()].sort()).toEqual(
      [
        [latencyBucket(10), 1],
        [latencyBucket(40), 1],
      ].sort(),
    );
    expect(await queryRollups(db, { targetIds: ['other'], fromMs: T, toMs: T + 120_000 })).toEqual([]);
  });

  it('buckets are log-spaced with about 9 % width', () => {
    for (const ms of [1, 7, 50, 123.4, 4000]) {
      const v = bucketValue(latencyBucket(ms));
      expect(Math.abs(v - ms) / ms).toBeLessThan(0.05);
    }
  });
});

describeStores('planned downtimes and incidents', (getStore) => {
  it('records announcedAt from the clock passed in, and lists by overlap', async () => {
    const db = getStore().db;
    const pd = await insertPlannedDowntime(
      db,
      { serviceId: 'web', start: '2026-03-14T22:00:00Z', end: '2026-03-14T23:00:00Z', reason: 'db upgrade' },
      T,
    );
    expect(pd.announcedAt).toBe(new Date(T).toISOString());
    await insertPlannedDowntime(
      db,
      { serviceId: 'api', start: '2026-03-14T22:00:00Z', end: '2026-03-14T23:00:00Z', reason: 'x' },
      T,
    );
    const list = await listPlannedDowntimes(db, {
      serviceIds: ['web'],
      fromMs: Date.parse('2026-03-14T22:30:00Z'),
      toMs: Date.parse('2026-03-15T00:00:00Z'),
    });
    expect(list).toEqual([pd]);
    expect(
      await listPlannedDowntimes(db, {
        serviceIds: ['web'],
        fromMs: Date.parse('2026-03-14T23:00:00Z'),
        toMs: Date.parse('2026-03-15T00:00:00Z'),
      }),
    ).toEqual([]);
  });

  it('stores incidents whole and finds the ones overlapping a window', async () => {
    const db = getStore().db;
    const inc: Incident = {
      id: 'inc-1',
      kind: 'availability',
      customerId: 'acme',
      serviceId: 'web',
      priority: 'P1',
      title: 'web down',
      detectedAt: '2026-03-10T10:00:00.000Z',
      reportedAt: '2026-03-10T09:55:00.000Z',
      timeline: [{ at: '2026-03-10T10:00:00.000Z', actor: 'vigil', kind: 'detected', text: 'outage alert' }],
    };
    await upsertIncident(db, inc);
    expect(await getIncident(db, 'inc-1')).toEqual(inc);
    const accepted = {
      ...inc,
      resolvedAt: '2026-03-10T11:00:00.000Z',
      acceptedAt: '2026-03-10T12:00:00.000Z',
    };
    await upsertIncident(db, accepted);
    expect(await getIncident(db, 'inc-1')).toEqual(accepted);
    const inMarch = await listIncidents(db, {
      serviceId: 'web',
      kind: 'availability',
      fromMs: Date.parse('2026-03-01T00:00:00Z'),
      toMs: Date.parse('2026-04-01T00:00:00Z'),
    });
    expect(inMarch.map((i) => i.id)).toEqual(['inc-1']);
    expect(
      await listIncidents(db, {
        serviceId: 'web',
        fromMs: Date.parse('2026-03-11T00:00:00Z'),
        toMs: Date.parse('2026-04-01T00:00:00Z'),
      }),
    ).toEqual([]);
  });
});

describeStores('SLA samples from probe_results', (getStore) => {
  it('reads sorted samples; with several targets each (target, location) votes on its own', async () => {
    const db = getStore().db;
    await insertProbeResults(db, [
      { ...result('ams', T + 1000, false, 5000, false), targetId: 'web/tcp' },
      result('ams', T, true, 10),
      result('fra', T + 500, true, 12, true),
    ]);
    const one = await querySlaSamples(db, { targetIds: ['web/http'], fromMs: T, toMs: T + 10_000 });
    expect(one).toEqual([
      { ts: T, ok: true, totalMs: 10, location: 'ams', loopDelayMs: 1 },
      { ts: T + 500, ok: true, totalMs: 12, location: 'fra', loopDelayMs: 500, loopDelayFlagged: true },
    ]);
    const two = await querySlaSamples(db, {
      targetIds: ['web/http', 'web/tcp'],
      fromMs: T,
      toMs: T + 10_000,
    });
    expect(two.map((s) => s.location)).toEqual(['web/http@ams', 'web/http@fra', 'web/tcp@ams']);
  });
});
