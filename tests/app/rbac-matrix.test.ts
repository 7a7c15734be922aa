import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, silentLogger, systemClock, type Principal } from '../../core/index.js';
import { mayCall, rbacMatrix, type AuthService, type MatrixRow } from '../../server/index.js';
import { openAuth } from '../../app/auth.js';
import { loadVigilConfig } from '../../app/load.js';
import { startRuntime, type Runtime } from '../../app/runtime.js';

const AGENT = 'agent-secret-token-0123456789abcdef';
const CONFIG = `
server: {listen: "127.0.0.1:0"}
customers: [{id: acme, name: ACME B.V.}, {id: beta, name: Beta B.V.}]
locations: [{id: fra, agent: true, token: "${AGENT}"}]
sla_policies: [{id: standard, availability: 99.9%, latency: {average_ms: 50}, quorum: 1}]
services:
  - {id: acme-web, customer: acme, sla: standard, probes: [{type: http, url: "http://127.0.0.1:9/", interval: 1h}]}
  - {id: beta-web, customer: beta, sla: standard, probes: [{type: http, url: "http://127.0.0.1:9/", interval: 1h}]}
alerting:
  route: {receiver: nobody}
  receivers: [{name: nobody}]
auth:
  roles: [{name: sla_viewer, description: reads SLA reports, permissions: ["sla:read"]}]
`;

/** The hook's own refusals, told apart from a route's answer (a signed link's 403, an agent route's 401). */
const HOOK_REFUSAL =
  /^(authentication required|permission \S+ required|invalid or expired token|not signed in|missing or wrong x-csrf-token header|cross-site request refused)/;
const refusedByHook = (res: LightMyRequestResponse): boolean => {
  if (res.statusCode !== 401 && res.statusCode !== 403) return false;
  try {
    return HOOK_REFUSAL.test(String((res.json() as { error?: unknown }).error ?? ''));
  } catch {
    return false; // not JSON: not the hook
  }
};

const urlOf = (pattern: string, service = 'acme-web') =>
  pattern
    .replace(':service', service)
    .replace(':month', '2026-01')
    .replace(/:[a-zA-Z]+/g, 'nope');

describe('the function matrix, enforced on every route of a fully wired vigil', () => {
  let rt: Runtime;
  let auth: AuthService;
  let rows: MatrixRow[];
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rbac-'));

  beforeAll(async () => {
    const file = join(dir, 'vigil.yaml');
    writeFileSync(file, CONFIG);
    const config = loadVigilConfig(file);
    rt = await startRuntime(config, { dataDir: join(dir, 'data'), log: silentLogger() });
    auth = openAuth(config, rt.store, join(dir, 'data'), systemClock).service;
    rows = rbacMatrix(rt.server.permissions, auth.roles, ['/healthz', '/readyz', '/metrics']);
  }, 60_000);
  afterAll(async () => rt?.stop(5000));

  /** A caller: headers for one request (users get a fresh session each time: DELETE /session signs out). */
  type Caller = {
    name: string;
    principal: Principal;
    state?: 'full';
    headers: () => Promise<Record<string, string>>;
  };

  let users = 0;
  const userCaller = async (role: string, customerId?: string): Promise<Caller> => {
    const now = Date.now();
    const { id } = await auth.accounts.add(
      `u${++users}-${role.replace(/_/g, '-')}`,
      { role, customerId, reason: 'matrix test', until: now + 86_400_000, grantedBy: 'test' },
      now,
    );
    const r = auth.roles.require(role);
    return {
      name: role,
      principal: {
        kind: 'user',
        name: role,
        roles: [role],
        permissions: r.permissions,
        ...(customerId ? { customerId } : {}),
      },
      state: 'full',
      headers: async () => {
        const s = await auth.sessions.create(id, 'full', undefined, Date.now());
        return { cookie: `vigil_session=${s.id}`, 'x-csrf-token': s.csrf };
      },
    };
  };

  it('the first start created admin, and the matrix covers every registered route', async () => {
    expect((await auth.accounts.list(Date.now())).map((u) => u.name)).toEqual(['admin']);
    expect(rows.length).toBe(rt.server.permissions.length);
    for (const route of [
      '/api/v2/alerts',
      '/api/v1/sla/reports/:service/:month',
      '/api/v1/agent/results',
      '/api/v1/session',
      '/api/v1/overview',
      '/',
    ])
      expect(rows.some((r) => r.url === route)).toBe(true);
  });

  it('the matrix itself holds what the roles promise (checked without the code that computes it)', () => {
    const SESSION = ['public', 'authenticated', 'session:password'];
    const allowedOnly = (name: string, perms: string[]) =>
      rows
        .filter((r) => r.allowed[name])
        .every((r) => perms.includes(r.permission) || ['/healthz', '/readyz', '/metrics'].includes(r.url));
    expect(
      rows
        .filter((r) => r.allowed.anonymous)
        .map((r) => r.permission)
        .every((p) => p === 'public'),
    ).toBe(true);
    expect(rows.filter((r) => r.permission !== 'public').some((r) => r.allowed.anonymous)).toBe(false);
    // Read-only: the auditor changes nothing but its own session (verifying an evidence bundle
    // is a POST of the bundle that computes a result and changes nothing).
    expect(
      rows
        .filter((r) => r.allowed.auditor && r.method !== 'GET' && r.permission !== 'public')
        .every(
          (r) =>
            r.url.startsWith('/api/v1/session') ||
            ['/ui/signout', '/ui/password', '/api/v1/evidence/verify'].includes(r.url),
        ),
    ).toBe(true);
    expect(
      rows
        .filter((r) => r.method === 'GET' && r.permission.endsWith(':read'))
        .every((r) => r.allowed.auditor),
    ).toBe(true);
    // evidence:read: its own customer's SLA and incident evidence only (scope applied in the queries).
    expect(
      allowedOnly('customer_coordinator', [
        ...SESSION,
        'sla:read',
        'incidents:read',
        'incidents:accept',
        'incidents:report',
        'evidence:read',
      ]),
    ).toBe(true);
    expect(allowedOnly('sla_viewer', [...SESSION, 'sla:read'])).toBe(true);
    expect(allowedOnly('agent', ['public', 'authenticated', 'probes:agent'])).toBe(true);
    for (const r of rows) {
      expect([r.url, r.allowed.admin]).toEqual([
        r.url,
        !['probes:agent', 'session:enrol'].includes(r.permission),
      ]);
      if (r.permission.startsWith('alerting:')) expect([r.url, r.allowed.ops]).toEqual([r.url, true]);
      if (r.permission === 'probes:agent')
        expect([r.url, r.allowed.agent, r.allowed.ops]).toEqual([r.url, true, false]);
    }
  });

  it('every route × every role, anonymous, a token and an agent answer as the matrix says', async () => {
    const callers: Caller[] = [{ name: 'anonymous', principal: ANONYMOUS, headers: async () => ({}) }];
    for (const role of auth.roles.all())
      callers.push(await userCaller(role.name, role.customerScoped ? 'acme' : undefined));
    const token = await auth.tokens.create(
      { name: 'sla-reader', scopes: ['sla:read', 'alerting:write'], createdBy: 'test' },
      Date.now(),
    );
    callers.push({
      name: 'token',
      principal: { kind: 'token', name: 't', roles: [], permissions: ['sla:read', 'alerting:write'] },
      headers: async () => ({ authorization: `Bearer ${token}` }),
    });
    callers.push({
      name: 'agent',
      principal: { kind: 'agent', name: 'a', roles: [], permissions: ['probes:agent'] },
      headers: async () => ({ authorization: `Bearer ${AGENT}` }),
    });

    let checked = 0;
    for (const row of rows) {
      for (const c of callers) {
        const expected =
          row.allowed[c.name] ??
          (['/healthz', '/readyz', '/metrics'].includes(row.url) ||
            mayCall(c.principal, c.state, row.permission));
        const method = row.method as 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
        const res = await rt.server.inject({
          method,
          url: urlOf(row.url),
          headers: await c.headers(),
          ...(['POST', 'PUT', 'PATCH'].includes(method) ? { payload: {} } : {}),
        });
        const what = `${c.name} ${row.method} ${row.url} → ${res.statusCode} ${res.body.slice(0, 80)}`;
        expect(refusedByHook(res), what).toBe(!expected);
        if (!expected) expect(res.statusCode, what).toBe(c.name === 'anonymous' ? 401 : 403);
        checked++;
      }
    }
    expect(checked).toBe(rows.length * callers.length);
  }, 120_000);

  it("a coordinator of customer A gets 404 on customer B's objects and sees only A's", async () => {
    const admin = await auth.tokens.create(
      { name: 'sla-admin', scopes: ['sla:*'], createdBy: 'test' },
      Date.now(),
    );
    const start = new Date(Date.now() + 86_400_000).toISOString();
    const end = new Date(Date.now() + 90_000_000).toISOString();
    for (const service of ['acme-web', 'beta-web']) {
      const r = await rt.server.inject({
        method: 'POST',
        url: '/api/v1/planned-downtimes',
        headers: { authorization: `Bearer ${admin}` },
        payload: { service, start, end, reason: 'patching' },
      });
      expect(r.statusCode).toBe(201);
    }
    const coord = await userCaller('customer_coordinator', 'acme');
    const get = async (url: string) => rt.server.inject({ url, headers: await coord.headers() });
    expect((await get('/api/v1/sla/reports/beta-web/2026-01')).statusCode).toBe(404);
    expect((await get('/api/v1/sla/reports/acme-web/2026-01')).statusCode).toBe(200);
    const pd = (await get('/api/v1/planned-downtimes')).json() as {
      plannedDowntimes: Array<{ serviceId: string }>;
    };
    expect(pd.plannedDowntimes.map((d) => d.serviceId)).toEqual(['acme-web']);
    expect(
      ((await get('/api/v1/planned-downtimes?service=beta-web')).json() as { plannedDowntimes: unknown[] })
        .plannedDowntimes,
    ).toEqual([]);
    const ov = (await get('/api/v1/overview')).json() as { services: Array<{ id: string }> };
    expect(ov.services.map((s) => s.id)).toEqual(['acme-web']);
    expect((await get('/')).body).not.toContain('beta-web');

    // A token scoped to customer acme may write, but only acme's objects; other domains are closed to it.
    const scoped = await auth.tokens.create(
      { name: 'acme-ci', scopes: ['sla:write', 'alerting:read'], customerId: 'acme', createdBy: 'test' },
      Date.now(),
    );
    const h = { authorization: `Bearer ${scoped}` };
    const beta = await rt.server.inject({
      method: 'POST',
      url: '/api/v1/planned-downtimes',
      headers: h,
      payload: { service: 'beta-web', start, end, reason: 'x' },
    });
    expect(beta.statusCode).toBe(404);
    const acme = await rt.server.inject({
      method: 'POST',
      url: '/api/v1/planned-downtimes',
      headers: h,
      payload: { service: 'acme-web', start, end, reason: 'x' },
    });
    expect(acme.statusCode).toBe(201);
    expect((await rt.server.inject({ url: '/api/v2/alerts', headers: h })).statusCode).toBe(403);
  });
});
