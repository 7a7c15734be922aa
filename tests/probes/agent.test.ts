import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  Secret,
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

async function startServer(port: number): Promise<FastifyInstance> {
  const app = Fastify();
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
