import { sql } from 'kysely';
import { expect, it } from 'vitest';
import {
  insertProbeResults,
  pruneProbeResults,
  queryProbeResults,
  type ProbeResult,
  type ProbeResultsDb,
} from '../../../core/index.js';
import type { Kysely } from 'kysely';
import { describeStores } from '../../helpers/stores.js';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString();

/** Only the required fields. */
const minimal: ProbeResult = {
  targetId: 'office-web',
  location: 'ams',
  startedAt: iso(T0),
  ok: true,
  totalMs: 12.5,
  phases: { resolve: 0.25, connect: 1.5, tls: 3.125, processing: 7, transfer: 0.625 },
  loopDelayMs: 0.75,
};

/** Every optional field set. */
const full: ProbeResult = {
  targetId: 'office-web',
  location: 'fra',
  startedAt: iso(T0 + 1),
  ok: false,
  status: 503,
  error: { kind: 'http_status', message: 'status 503, expected 2xx — "Service Unavailable"' },
  totalMs: 1234.567,
  phases: { resolve: 1.1, connect: 2.2, tls: 3.3, processing: 1200.5, transfer: 27.467 },
  tls: {
    validTo: '2026-06-01T00:00:00.000Z',
    issuer: "CN=R11,O=Let's Encrypt,C=US",
    protocol: 'TLSv1.3',
    earliestValidTo: '2026-05-01T00:00:00.000Z',
  },
  loopDelayMs: 250.5,
  loopDelayFlagged: true,
};

/** A failure with an empty message and no status (a refused connection). */
const refused: ProbeResult = {
  targetId: 'office-api',
  location: 'ams',
  startedAt: iso(T0 + 2),
  ok: false,
  error: { kind: 'connect_refused', message: '' },
  totalMs: 0,
  phases: { resolve: 0, connect: 0, tls: 0, processing: 0, transfer: 0 },
  loopDelayMs: 0,
};

describeStores('probe results', (getStore, ctx) => {
  const db = (): Kysely<ProbeResultsDb> => getStore().db as Kysely<ProbeResultsDb>;

  it('round-trips every field, required and optional, exactly', async () => {
    expect(await insertProbeResults(db(), [minimal, full, refused])).toBe(3);
    const got = await queryProbeResults(db(), {
      targetIds: ['office-web', 'office-api'],
      fromMs: T0,
      toMs: T0 + 3,
    });
    // toStrictEqual: no extra keys (an absent optional field must not come back as undefined/null).
    expect(got).toStrictEqual([minimal, full, refused]);
  });

  it('ignores a re-sent result (same target, location, start) and counts only new rows', async () => {
    expect(await insertProbeResults(db(), [minimal, full])).toBe(2);
    const resent = { ...full, totalMs: 1, ok: true };
    expect(await insertProbeResults(db(), [minimal, resent, refused])).toBe(1);
    const got = await queryProbeResults(db(), {
      targetIds: ['office-web', 'office-api'],
      fromMs: 0,
      toMs: T0 + 10,
    });
    expect(got).toStrictEqual([minimal, full, refused]);
  });

  it('inserts batches larger than one statement chunk', async () => {
    const many = Array.from({ length: 1203 }, (_, i) => ({ ...minimal, startedAt: iso(T0 + i * 1000) }));
    expect(await insertProbeResults(db(), many)).toBe(1203);
    expect(await insertProbeResults(db(), many)).toBe(0);
    const got = await queryProbeResults(db(), {
      targetIds: ['office-web'],
      fromMs: T0,
      toMs: T0 + 1203 * 1000,
    });
    expect(got.map((r) => r.startedAt)).toEqual(many.map((r) => r.startedAt));
  });

  it('queries by target, half-open time range [from, to) and location, oldest first', async () => {
    const rows = [
      { ...minimal, startedAt: iso(T0 + 3000) },
      { ...minimal, location: 'fra', startedAt: iso(T0 + 1000) },
      { ...minimal, startedAt: iso(T0 + 1000) },
      { ...minimal, startedAt: iso(T0 + 2000) },
      { ...minimal, targetId: 'other', startedAt: iso(T0 + 1500) },
    ];
    await insertProbeResults(db(), rows);
    const q = { targetIds: ['office-web'], fromMs: T0 + 1000, toMs: T0 + 3000 };
    const all = await queryProbeResults(db(), q);
    expect(all.map((r) => [r.startedAt, r.location])).toEqual([
      [iso(T0 + 1000), 'ams'],
      [iso(T0 + 1000), 'fra'],
      [iso(T0 + 2000), 'ams'],
    ]);
    const fra = await queryProbeResults(db(), { ...q, location: 'fra' });
    expect(fra.map((r) => r.startedAt)).toEqual([iso(T0 + 1000)]);
    expect(await queryProbeResults(db(), { ...q, targetIds: [] })).toEqual([]);
    const both = await queryProbeResults(db(), { ...q, targetIds: ['office-web', 'other'] });
    expect(both).toHaveLength(4);
  });

  it('prunes results strictly older than the cutoff and returns how many went', async () => {
    const rows = [0, 1000, 2000, 3000].map((d) => ({ ...minimal, startedAt: iso(T0 + d) }));
    await insertProbeResults(db(), rows);
    expect(await pruneProbeResults(db(), T0 + 2000)).toBe(2);
    expect(await pruneProbeResults(db(), T0 + 2000)).toBe(0);
    const left = await queryProbeResults(db(), { targetIds: ['office-web'], fromMs: 0, toMs: T0 + 10_000 });
    expect(left.map((r) => r.startedAt)).toEqual([iso(T0 + 2000), iso(T0 + 3000)]);
  });

  it('stores times as epoch milliseconds and reads bigint columns back as JS numbers', async () => {
    // Far beyond 2^31 ms, so a 32-bit or string-typed column would show.
    const late: ProbeResult = { ...minimal, startedAt: '2999-12-31T23:59:59.999Z' };
    await insertProbeResults(db(), [late]);
    const raw = await db().selectFrom('probe_results').select(['id', 'started_at']).executeTakeFirstOrThrow();
    expect(raw.started_at).toBe(Date.parse(late.startedAt));
    expect(typeof raw.started_at).toBe('number');
    expect(typeof raw.id).toBe('number');
    const count = await sql<{ n: unknown }>`select count(*) as n from probe_results`.execute(getStore().db);
    expect(count.rows[0]?.n).toBe(1);
    expect(ctx.engine).toBe(getStore().engine);
  });
});
