import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createMetricsRegistry, openStore, type Store } from '../../core/index.js';
import { createServer } from '../../server/index.js';
import { testAuth } from '../helpers/test-auth.js';

let store: Store;
let app: Awaited<ReturnType<typeof createServer>>;
let base = '';
let authz: Record<string, string> = {};
/** fetch with the test token (every route but the public ones needs one). */
const authed = (url: string, init: RequestInit = {}) =>
  fetch(url, { ...init, headers: { ...authz, ...((init.headers as Record<string, string>) ?? {}) } });
const logged: string[] = [];

beforeAll(async () => {
  store = await openStore('sqlite::memory:');
  const ta = await testAuth(store);
  authz = ta.headers;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logged.push(chunk.toString());
      done();
    },
  });
  app = await createServer({
    log: createLogger({ level: 'info' }, sink),
    metrics: createMetricsRegistry(),
    readiness: async () => ({ ok: true, reasons: [] }),
    auth: ta.auth,
    plugins: [
      async (a) => {
        // A real SQLite failure inside a route, as a bug or a broken store would cause.
        a.get('/boom', { config: { permission: 'public' } }, async () => {
          await sql`select * from no_such_table`.execute(store.db);
          return 'unreachable';
        });
        a.post('/small', { config: { permission: 'public' }, bodyLimit: 1024 }, async () => 'ok');
      },
    ],
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

describe('the HTTP kernel never leaks server detail', () => {
  it('answers a failure with a generic 500 and an id; the detail is logged under that id', async () => {
    const res = await authed(`${base}/boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/no_such_table|sqlite|SQL|\.ts:\d+/i);
    const body = JSON.parse(text) as { error: string; id: string };
    expect(body.error).toBe('internal');
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    const line = logged.find((l) => l.includes(body.id));
    expect(line).toContain('no_such_table');
  });

  it('keeps a client error a client error: a body over the route limit is a 413', async () => {
    const res = await authed(`${base}/small`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 'x'.repeat(4096) }),
    });
    expect(res.status).toBe(413);
    const malformed = await authed(`${base}/small`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(malformed.status).toBe(400);
  });
});
