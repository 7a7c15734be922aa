import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry, openStore, silentLogger, systemClock, type Store } from '../../core/index.js';
import {
  AlertRouter,
  alertingHttp,
  alertmanagerConfigSchema,
  type AlertingDb,
} from '../../alerting/index.js';
import { createServer } from '../../server/index.js';
import { testAuth } from '../helpers/test-auth.js';

// Through vigil's real HTTP kernel (its error handler and body limits), on a real socket.
let store: Store;
let router: AlertRouter;
let app: Awaited<ReturnType<typeof createServer>>;
let base = '';
let authz: Record<string, string> = {};
/** fetch with the test token (every route but the public ones needs one). */
const authed = (url: string, init: RequestInit = {}) =>
  fetch(url, { ...init, headers: { ...authz, ...((init.headers as Record<string, string>) ?? {}) } });

beforeAll(async () => {
  store = await openStore('sqlite::memory:');
  const ta = await testAuth(store);
  authz = ta.headers;
  router = await AlertRouter.create({
    config: alertmanagerConfigSchema.parse(
      parse('route: { receiver: r, group_wait: 1h }\nreceivers: [{ name: r }]'),
    ),
    store,
    log: silentLogger(),
    clock: systemClock,
  });
  await router.start();
  app = await createServer({
    log: silentLogger(),
    metrics: createMetricsRegistry(),
    readiness: async () => ({ ok: true, reasons: [] }),
    auth: ta.auth,
    plugins: [alertingHttp({ router, db: store.db as AlertingDb })],
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await router.stop(1000);
  await store.close();
});

const post = async (path: string, body: unknown) => {
  const res = await authed(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
};
const alert = (extra: Record<string, unknown> = {}) => ({ labels: { alertname: 'X' }, ...extra });
const alertCount = async () => ((await (await authed(`${base}/api/v2/alerts`)).json()) as unknown[]).length;

describe('POST /api/v2/alerts refuses bad input with a 400 naming the field', () => {
  it.each([
    [
      'garbage startsAt',
      [alert(), alert(), alert(), alert({ startsAt: 'yesterday' })],
      'alerts[3].startsAt: not a valid RFC 3339 time',
    ],
    [
      'garbage endsAt',
      [alert({ endsAt: '2026-13-01T00:00:00Z' })],
      'alerts[0].endsAt: not a valid RFC 3339 time',
    ],
    [
      'a date that does not exist',
      [alert({ startsAt: '2026-02-30T10:00:00Z' })],
      'alerts[0].startsAt: not a valid RFC 3339',
    ],
    ['no zone', [alert({ startsAt: '2026-02-03T10:00:00' })], 'alerts[0].startsAt: not a valid RFC 3339'],
    [
      'end before start',
      [alert({ startsAt: '2026-02-03T10:00:00Z', endsAt: '2026-02-03T09:00:00Z' })],
      'alerts[0].endsAt: start time must be before end time',
    ],
    ['a 129-character label name', [{ labels: { ['a'.repeat(129)]: 'v' } }], 'alerts[0].labels'],
    [
      'a 5000-byte label value',
      [{ labels: { alertname: 'v'.repeat(5000) } }],
      'alerts[0].labels.alertname: label value is larger than 4096 bytes',
    ],
    [
      '100 KiB of annotations',
      [alert({ annotations: { a: 'x'.repeat(100 * 1024) } })],
      'alerts[0].annotations: annotations total',
    ],
    [
      '1001 alerts',
      Array.from({ length: 1001 }, () => alert()),
      'alerts: at most 1000 alerts per request, got 1001',
    ],
    ['not an array', { labels: {} }, 'alerts: must be a JSON array'],
  ])('%s', async (_name, body, message) => {
    const r = await post('/api/v2/alerts', body);
    expect(r.status).toBe(400);
    expect(r.text).toContain(message);
    expect(await alertCount()).toBe(0);
  });

  it('a body over the route limit is a 413, and the server keeps serving', async () => {
    const r = await post('/api/v2/alerts', [alert({ annotations: { a: 'x'.repeat(9 * 1024 * 1024) } })]);
    expect(r.status).toBe(413);
    expect(r.text).toContain('too large');
    expect((await post('/api/v2/alerts', [alert({ startsAt: new Date().toISOString() })])).status).toBe(200);
  });
});

describe('POST /api/v2/silences refuses bad input with a 400 naming the field', () => {
  const silence = (extra: Record<string, unknown> = {}) => ({
    matchers: [{ name: 'alertname', value: 'X', isRegex: false }],
    startsAt: '2026-02-03T10:00:00Z',
    endsAt: '2026-02-03T11:00:00Z',
    createdBy: 'dana',
    comment: 'maintenance',
    ...extra,
  });

  it.each([
    [
      'an invalid regex',
      silence({ matchers: [{ name: 'job', value: '(unclosed', isRegex: true }] }),
      'matchers[0].value: invalid regular expression',
    ],
    ['garbage dates', silence({ startsAt: 'soon', endsAt: 'later' }), 'startsAt: not a valid RFC 3339 time'],
    ['30 February', silence({ endsAt: '2026-02-30T11:00:00Z' }), 'endsAt: not a valid RFC 3339 time'],
    ['end before start', silence({ endsAt: '2026-02-03T09:00:00Z' }), 'endsAt: must be after startsAt'],
  ])('%s', async (_name, body, message) => {
    const r = await post('/api/v2/silences', body);
    expect(r.status).toBe(400);
    expect(r.text).toContain(message);
    expect(r.text).not.toMatch(/sqlite|SQL|\bat .*\.ts:/i);
  });

  it('a valid silence is still created', async () => {
    const r = await post('/api/v2/silences', silence());
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toHaveProperty('silenceID');
  });
});

describe('GET /api/v2/alerts', () => {
  it.each([
    ['receiver=(unclosed', 'receiver: invalid regular expression'],
    ['filter=job%3D~%22(unclosed%22', 'filter: invalid regular expression'],
  ])('an invalid regex in %s is a 400 naming it', async (query, message) => {
    const res = await authed(`${base}/api/v2/alerts?${query}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(message);
  });
});

describe('POST /api/v1/alert-groups/:id/ack', () => {
  it('refuses an empty or oversized name, naming the field', async () => {
    for (const by of ['', 'x'.repeat(300)]) {
      const r = await post('/api/v1/alert-groups/g-1/ack', { by });
      expect(r.status).toBe(400);
      expect(r.text).toContain('by: must be a name of 1 to 256 characters');
    }
  });
});

describe('GET /api/v1/notifications', () => {
  it('refuses a bound that is not a time instead of ignoring it', async () => {
    const res = await authed(`${base}/api/v1/notifications?from=garbage`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('from: not a valid RFC 3339 time');
  });
});
