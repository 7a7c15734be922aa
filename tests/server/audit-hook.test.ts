import { describe, expect, it, vi } from 'vitest';
import type { FastifyPluginAsync } from 'fastify';
import { createMetricsRegistry, openStore, silentLogger, type AuditInput } from '../../core/index.js';
import { createServer } from '../../server/index.js';
import { testAuth } from '../helpers/test-auth.js';

let arrived: () => void = () => undefined;
const routes: FastifyPluginAsync = async (app) => {
  // Answers only after the client has gone away.
  app.get('/slow', { config: { permission: 'public' } }, async (req) => {
    arrived();
    await new Promise((r) => req.raw.once('close', r));
    return 'late';
  });
  app.post('/api/v2/alerts', { config: { permission: 'alerting:write' } }, async () => ({ ok: true }));
  app.get('/api/v1/alert-groups/:id/ack', { config: { permission: 'public' } }, async (_req, reply) =>
    reply.code(403).send('no'),
  );
};

describe('audit hook', () => {
  it('records every request with principal, source, route, redacted path and status, never a body or header', async () => {
    const got: AuditInput[] = [];
    // A real API token, authenticated by the kernel's real auth hook.
    const store = await openStore('sqlite::memory:');
    const ta = await testAuth(store, ['alerting:write'], 'ci');
    const app = await createServer({
      log: silentLogger(),
      metrics: createMetricsRegistry(),
      readiness: async () => ({ ok: true, reasons: [] }),
      plugins: [routes],
      audit: (e) => got.push(e),
      auth: ta.auth,
    });
    try {
      await app.inject({ method: 'GET', url: '/healthz' });
      await app.inject({
        method: 'POST',
        url: '/api/v2/alerts',
        headers: { ...ta.headers, cookie: 'sid=c00kie' },
        payload: [{ labels: { password: 'hunter2' } }],
      });
      await app.inject({
        method: 'GET',
        url: '/api/v1/alert-groups/g1/ack?sig=S1GNATURE&e=1&exp=2&access_token=AT',
      });
      await app.inject({ method: 'GET', url: '/missing', headers: ta.headers });
      expect(got.map((e) => [e.actor.kind, e.actor.name, e.action, e.object, e.result])).toEqual([
        ['anonymous', 'anonymous', 'GET /healthz', '/healthz', '200'],
        ['token', 'ci', 'POST /api/v2/alerts', '/api/v2/alerts', '200'],
        [
          'anonymous',
          'anonymous',
          'GET /api/v1/alert-groups/:id/ack',
          '/api/v1/alert-groups/g1/ack?sig=<redacted>&e=1&exp=2&access_token=<redacted>',
          '403',
        ],
        ['token', 'ci', 'GET (no route)', '/missing', '404'],
      ]);
      expect(got[1]!.actor).toMatchObject({ kind: 'token', name: 'ci' });
      expect(got[1]!.actor.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(got[0]!.source).toBe('127.0.0.1');
      expect(JSON.stringify(got)).not.toMatch(/hunter2|c00kie|S1GNATURE/);
      expect(JSON.stringify(got)).not.toContain(ta.token);
    } finally {
      await app.close();
      await store.close();
    }
  });

  it('records a request the client abandoned once', async () => {
    const got: AuditInput[] = [];
    const store = await openStore('sqlite::memory:');
    const app = await createServer({
      log: silentLogger(),
      metrics: createMetricsRegistry(),
      readiness: async () => ({ ok: true, reasons: [] }),
      plugins: [routes],
      audit: (e) => got.push(e),
      auth: (await testAuth(store)).auth,
    });
    try {
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const inside = new Promise<void>((r) => (arrived = r));
      const ctl = new AbortController();
      const req = fetch(`${base}/slow`, { signal: ctl.signal }).catch((err: unknown) => err);
      await inside;
      ctl.abort();
      await req;
      await vi.waitFor(() => expect(got.length).toBeGreaterThan(0));
      // Both hooks have had their chance once the server has closed every connection.
      await app.close();
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ action: 'GET /slow', object: '/slow' });
      expect(['aborted', '200']).toContain(got[0]!.result);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
