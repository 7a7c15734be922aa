import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  Secret,
  createLogger,
  insertProbeResults,
  openStore,
  queryProbeResults,
  silentLogger,
  type ProbeResult,
  type Store,
} from '../../core/index.js';
import {
  ProbeAgent,
  agentRoutes,
  httpProbeSchema,
  makeResult,
  type LocationsConfig,
  type ResolvedProbe,
} from '../../probes/index.js';
import { makeSelfSignedCertificate } from '../../server/index.js';
import { closedPort, httpServer, type Running } from './helpers/servers.js';

const TOKEN = 'fra-agent-token-0123456789';
const locations: LocationsConfig = [
  { id: 'ams', agent: false },
  { id: 'fra', agent: true, token: new Secret(TOKEN, 'inline') },
];

let service: Running;
let store: Store;
let probes: ResolvedProbe[];
const received: ProbeResult[] = [];

async function startServer(port: number, https?: { cert: string; key: string }): Promise<FastifyInstance> {
  const app = (https ? Fastify({ https }) : Fastify()) as unknown as FastifyInstance;
  await app.register(
    agentRoutes({
      locations,
      probes,
      log: silentLogger(),
      sink: async (results) => {
        received.push(...results);
        await insertProbeResults(store.db, results);
      },
    }),
  );
  await app.listen({ port, host: '127.0.0.1' });
  return app;
}

beforeAll(async () => {
  service = await httpServer((_q, res) => res.end('up'));
  store = await openStore('sqlite::memory:');
  const cfg = httpProbeSchema.parse({ type: 'http', url: `${service.url}/`, auth: { bearer: 'svc-secret' } });
  probes = [
    {
      targetId: 'web/http',
      serviceId: 'web',
      customer: 'acme',
      probeId: 'http',
      sla: true,
      intervalMs: 100,
      timeoutMs: 1000,
      locations: ['ams', 'fra'],
      config: cfg,
    },
    {
      targetId: 'web/other',
      serviceId: 'web',
      customer: 'acme',
      probeId: 'other',
      sla: true,
      intervalMs: 100,
      timeoutMs: 1000,
      locations: ['ams'],
      config: cfg,
    },
  ];
});
afterAll(async () => {
  await service.close();
  await store.close();
});

describe('agent routes', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await startServer(0);
  });
  afterAll(() => app.close());
  const result = (over: Partial<ProbeResult> = {}): ProbeResult => ({
    ...makeResult(
      { id: 'web/http', serviceId: 'web', type: 'http', location: 'fra', intervalMs: 1, timeoutMs: 1 },
      new Date(),
      { ok: true, totalMs: 3 },
    ),
    ...over,
  });

  it.each([
    ['no token', undefined, 401],
    ['a wrong token', 'Bearer nope', 401],
    ['the right token', `Bearer ${TOKEN}`, 200],
  ])('results with %s → %s', async (_n, authorization, code) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/agent/results',
      headers: authorization ? { authorization } : {},
      payload: { results: [result()] },
    });
    expect(res.statusCode).toBe(code);
  });

  it.each([
    ['another location', { location: 'ams' }],
    ['a target not assigned to the location', { targetId: 'web/other' }],
  ])('refuses results for %s (403)', async (_n, over) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/agent/results',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: { results: [result(over)] },
    });
    expect(res.statusCode).toBe(403);
  });

  it("takes a script probe's run stats with its result (the strict schema knows them)", async () => {
    const script = { checksPassed: 4, checksFailed: 1, requests: 3, requestsFailed: 1, durationMs: 812.5 };
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/agent/results',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: { results: [result({ script })] },
    });
    expect(res.statusCode).toBe(200);
  });

  it('refuses a malformed batch (400) naming the field', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/agent/results',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: { results: [{ ...result(), totalMs: 'fast' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('totalMs');
  });

  it('accepts only what the buffer could hold and clock skew allows; refusals are counted and logged', async () => {
    const now = Date.UTC(2026, 4, 15, 12, 0, 0);
    const lines: string[] = [];
    const stored: ProbeResult[] = [];
    const windowed = Fastify();
    await windowed.register(
      agentRoutes({
        locations: [{ ...locations[1]!, max_buffer_age: 6 * 3_600_000 }],
        probes,
        log: createLogger({ level: 'info' }, { write: (l: string) => void lines.push(l) }),
        now: () => now,
        sink: async (results) => void stored.push(...results),
      }),
    );
    const at = (ms: number) => result({ startedAt: new Date(ms).toISOString(), ok: false });
    // A closed month rewritten: 8,640 "down" results of April (every 5 min… of 30 days), one
    // result dated 2099, one 6 min ahead (past the 5 min skew), and two inside the window.
    const april = Array.from({ length: 8640 }, (_, i) => at(Date.UTC(2026, 3, 1) + i * 300_000));
    const batch = [
      ...april,
      at(Date.UTC(2099, 0, 1)),
      at(now + 6 * 60_000),
      at(now - 5 * 3_600_000),
      at(now + 60_000),
    ];
    const res = await windowed.inject({
      method: 'POST',
      url: '/api/v1/agent/results',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: { results: batch },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ accepted: 2, refused: 8642, refusedTooOld: 8640, refusedInFuture: 2 });
    expect(stored.map((r) => r.startedAt)).toEqual([
      new Date(now - 5 * 3_600_000).toISOString(),
      new Date(now + 60_000).toISOString(),
    ]);
    const warn = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.refusedTooOld);
    expect(warn).toMatchObject({ location: 'fra', refusedTooOld: 8640, refusedInFuture: 2 });
    expect(lines.join('')).not.toContain(TOKEN);
    await windowed.close();
  });

  it('the default window is 24 h back and 5 min ahead', async () => {
    const hour = 3_600_000;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/agent/results',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: {
        results: [
          result({ startedAt: new Date(Date.now() - 25 * hour).toISOString() }),
          result({ startedAt: new Date(Date.now() - 23 * hour).toISOString() }),
          result({ startedAt: new Date(Date.now() + hour).toISOString() }),
        ],
      },
    });
    expect(res.json()).toMatchObject({ accepted: 1, refusedTooOld: 1, refusedInFuture: 1 });
  });

  it("serves the probes of the agent's location, secrets included for the agent only", async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/agent/config',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const doc = JSON.parse(res.body) as { location: string; probes: { targetId: string }[] };
    expect(doc.location).toBe('fra');
    expect(doc.probes.map((p) => p.targetId)).toEqual(['web/http']);
    expect(res.body).toContain('svc-secret');
    expect((await app.inject({ method: 'GET', url: '/api/v1/agent/config' })).statusCode).toBe(401);
  });
});

describe('agent with the server down for a while', () => {
  it('buffers on disk, delivers when the server is back, every result once', async () => {
    received.length = 0;
    const since = Date.now();
    const port = await closedPort();
    let server = await startServer(port);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-agent-'));
    const opts = {
      location: 'fra',
      serverUrl: `http://127.0.0.1:${port}`,
      token: TOKEN,
      bufferDir: dir,
      log: silentLogger(),
      sendIntervalMs: 50,
      maxBackoffMs: 200,
    };
    const agent = new ProbeAgent(opts);
    await agent.start(); // fetches its probes from the server
    await vi.waitFor(() => expect(received.length).toBeGreaterThan(2), { timeout: 10_000 });

    await server.close(); // the server goes away; the agent keeps probing
    await vi.waitFor(() => expect(agent.backlogBytes()).toBeGreaterThan(1000), { timeout: 10_000 });
    const sentDuringOutage = agent.sent;
    const backlog = agent.backlogBytes();
    await vi.waitFor(() => expect(agent.backlogBytes()).toBeGreaterThan(backlog + 2000), { timeout: 10_000 });
    expect(agent.sent).toBe(sentDuringOutage);

    server = await startServer(port); // back
    await vi.waitFor(() => expect(agent.backlogBytes()).toBe(0), { timeout: 10_000 });
    await agent.stop(2000);

    // A restarted agent sends what was buffered after the last acknowledgement.
    const again = new ProbeAgent({ ...opts, probes: [] });
    await again.start();
    await vi.waitFor(() => expect(again.backlogBytes()).toBe(0), { timeout: 10_000 });
    await again.stop(1000);
    await server.close();

    const produced = readFileSync(join(dir, 'results.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ProbeResult);
    const key = (r: ProbeResult) => `${r.targetId}|${r.location}|${r.startedAt}`;
    expect(produced.length).toBeGreaterThan(10);
    expect(new Set(produced.map(key)).size).toBe(produced.length);
    expect(received.map(key).sort()).toEqual(produced.map(key).sort());
    const stored = await queryProbeResults(store.db, {
      targetIds: ['web/http'],
      fromMs: since,
      toMs: Date.now() + 1000,
      location: 'fra',
    });
    expect(stored.map(key).sort()).toEqual(produced.map(key).sort());
    expect(produced.every((p) => p.ok)).toBe(true);
  }, 60_000);
});

describe('agent and an HTTPS server with a self-signed certificate', () => {
  it('trusts the certificate given as ca, fetches its probes and delivers results', async () => {
    received.length = 0;
    const pair = makeSelfSignedCertificate(['127.0.0.1']);
    const port = await closedPort();
    const server = await startServer(port, pair);
    const agent = new ProbeAgent({
      location: 'fra',
      serverUrl: `https://127.0.0.1:${port}`,
      token: TOKEN,
      ca: pair.cert,
      bufferDir: mkdtempSync(join(tmpdir(), 'vigil-agent-tls-')),
      log: silentLogger(),
      sendIntervalMs: 50,
      maxBackoffMs: 200,
    });
    try {
      await agent.start();
      await vi.waitFor(() => expect(received.length).toBeGreaterThan(0), { timeout: 15_000 });
      expect(received[0]!.location).toBe('fra');
    } finally {
      await agent.stop(2000);
      await server.close();
    }
  });
});
