import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertProbeResults, openStore, type ProbeResult, type Store } from '../../core/index.js';
import { slaHttp, slaPoliciesSchema, slaServicesFrom } from '../../sla/index.js';

const NOW = Date.UTC(2026, 2, 10, 8, 0, 0);
const H = 3_600_000;
let store: Store;
let app: ReturnType<typeof Fastify>;

beforeEach(async () => {
  store = await openStore('sqlite::memory:');
  const services = slaServicesFrom({
    sla_policies: slaPoliciesSchema.parse([
      { id: 'std', availability: '99.9%', latency: { average_ms: 50 } },
    ]),
    services: [{ id: 'web', customer: 'acme', sla: 'std', probes: [{ id: 'http', interval: 10_000 }] }],
  });
  app = Fastify();
  await app.register(slaHttp({ store, services, timeIntervals: [], clock: { now: () => NOW } }));
  await app.ready();
});
afterEach(async () => {
  await app.close();
  await store.close();
});

describe('POST /api/v1/planned-downtimes', () => {
  it.each([
    ['11 h 59 min ahead counts as unplanned', NOW + 11 * H + 59 * 60_000, 'unplanned'],
    ['12 h ahead counts as planned', NOW + 12 * H, 'planned'],
  ])('%s; announcedAt is vigil’s clock, not the caller’s', async (_n, start, countsAs) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/planned-downtimes',
      payload: {
        service: 'web',
        start: new Date(start).toISOString(),
        end: new Date(start + H).toISOString(),
        reason: 'upgrade',
      },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.countsAs).toBe(countsAs);
    expect(body.downtime.announcedAt).toBe(new Date(NOW).toISOString());
    const list = await app.inject({ method: 'GET', url: '/api/v1/planned-downtimes?service=web' });
    expect(list.json().plannedDowntimes).toHaveLength(1);
  });

  it.each([
    [
      { service: 'web', start: 'tomorrow', end: '2026-03-11T00:00:00Z', reason: 'x' },
      /start: is not an ISO 8601 time/,
    ],
    [
      // Date.parse rolls 30 February over to 2 March; the strict check refuses it.
      { service: 'web', start: '2026-02-30T10:00:00Z', end: '2026-03-11T00:00:00Z', reason: 'x' },
      /^start: is not an ISO 8601 time/,
    ],
    [
      { service: 'web', start: '2026-03-11T00:00:00Z', end: '2026-03-11T25:00:00Z', reason: 'x' },
      /^end: is not an ISO 8601 time/,
    ],
    [
      // No zone: it would mean whatever zone the server runs in.
      { service: 'web', start: '2026-03-11T00:00:00', end: '2026-03-11T01:00:00Z', reason: 'x' },
      /^start: is not an ISO 8601 time with a zone/,
    ],
    [
      { service: 'nope', start: '2026-03-11T00:00:00Z', end: '2026-03-11T01:00:00Z', reason: 'x' },
      /service "nope" has no SLA policy/,
    ],
    [
      { service: 'web', start: '2026-03-11T01:00:00Z', end: '2026-03-11T00:00:00Z', reason: 'x' },
      /end .* must be after start/,
    ],
    [
      {
        service: 'web',
        start: '2026-03-11T00:00:00Z',
        end: '2026-03-11T01:00:00Z',
        reason: 'x',
        announced_at: '2026-01-01T00:00:00Z',
      },
      /Unrecognized key/,
    ],
  ])('rejects %j with 400', async (payload, re) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/planned-downtimes', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(re);
  });
});

describe('GET /api/v1/planned-downtimes', () => {
  it('refuses a bound that is not a time instead of ignoring it', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/planned-downtimes?from=2026-02-30T00:00:00Z',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/^from: not a valid RFC 3339 time/);
  });
});

describe('GET /api/v1/sla/reports/:service/:month', () => {
  it('serves the month report as JSON, CSV, HTML and PDF', async () => {
    const rows: ProbeResult[] = [];
    for (let t = NOW - 2 * H; t < NOW; t += 10_000) {
      rows.push({
        targetId: 'web/http',
        location: 'ams',
        startedAt: new Date(t).toISOString(),
        ok: t < NOW - H || t >= NOW - H + 60_000,
        totalMs: 30,
        loopDelayMs: 0,
        phases: { resolve: 0, connect: 0, tls: 0, processing: 30, transfer: 0 },
      });
    }
    await insertProbeResults(store.db, rows);
    const json = await app.inject({ method: 'GET', url: '/api/v1/sla/reports/web/2026-03' });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({ service: 'web', downSeconds: 60, to: new Date(NOW).toISOString() });
    const csv = await app.inject({ method: 'GET', url: '/api/v1/sla/reports/web/2026-03?format=csv' });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const pdf = await app.inject({ method: 'GET', url: '/api/v1/sla/reports/web/2026-03?format=pdf' });
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await app.inject({ method: 'GET', url: '/api/v1/sla/reports/web/2026-3' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/sla/reports/nope/2026-03' })).statusCode).toBe(
      404,
    );
  });
});
