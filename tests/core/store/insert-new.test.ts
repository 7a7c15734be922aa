import { expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import {
  insertNewProbeResults,
  queryProbeResults,
  type ProbeResult,
  type ProbeResultsDb,
} from '../../../core/index.js';
import { describeStores } from '../../helpers/stores.js';

const T0 = Date.UTC(2026, 9, 25, 0, 59, 0, 0);

function sample(i: number, location = 'ams'): ProbeResult {
  return {
    targetId: 'svc/http',
    location,
    startedAt: new Date(T0 + i * 1000).toISOString(),
    ok: i % 7 !== 0,
    totalMs: 10 + i,
    phases: { resolve: 1, connect: 2, tls: 0, processing: 6 + i, transfer: 1 },
    loopDelayMs: 0.5,
  };
}

describeStores('insertNewProbeResults', (getStore) => {
  it('returns exactly the samples that were not stored yet, so rollups see each sample once', async () => {
    const db = getStore().db as Kysely<ProbeResultsDb>;
    const first = Array.from({ length: 10 }, (_, i) => sample(i));
    expect(await insertNewProbeResults(db, first)).toEqual(first);
    // A re-sent batch overlapping the stored one: only the new half comes back.
    const second = Array.from({ length: 10 }, (_, i) => sample(i + 5));
    const fresh = await insertNewProbeResults(db, second);
    expect(fresh.map((r) => r.startedAt)).toEqual(second.slice(5).map((r) => r.startedAt));
    // The same instant from another location is a different sample.
    expect(await insertNewProbeResults(db, [sample(3, 'fra')])).toHaveLength(1);
    expect(await insertNewProbeResults(db, [])).toEqual([]);
    const stored = await queryProbeResults(db, { targetIds: ['svc/http'], fromMs: 0, toMs: T0 + 60_000 });
    expect(stored).toHaveLength(16);
  });

  it('handles batches larger than one insert statement', async () => {
    const db = getStore().db as Kysely<ProbeResultsDb>;
    const many = Array.from({ length: 1234 }, (_, i) => sample(i));
    expect(await insertNewProbeResults(db, many)).toHaveLength(1234);
    expect(await insertNewProbeResults(db, many)).toHaveLength(0);
  });
});
