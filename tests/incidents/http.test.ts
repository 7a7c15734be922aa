import Fastify from 'fastify';
import { expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { IncidentRecordsDb, Principal } from '../../core/index.js';
import { IncidentService, incidentsHttp } from '../../incidents/index.js';
import { describeStores } from '../helpers/stores.js';

// The routes' own rules (permissions are the server's hook, covered by the RBAC matrix test):
// a customer coordinator sees and accepts only its customer's incidents; rejection needs a reason.
const T0 = Date.parse('2026-03-02T10:00:00Z');
const coordinator: Principal = {
  kind: 'user',
  name: 'jan',
  roles: ['customer_coordinator'],
  permissions: [],
  customerId: 'acme',
};
const officer: Principal = { kind: 'user', name: 'sofie', roles: ['security_officer'], permissions: [] };

describeStores('incident routes', (getStore) => {
  it('scopes reads and acceptance to the caller customer; reject reopens with a reason', async () => {
    let now = T0;
    const service = new IncidentService(getStore().db as Kysely<IncidentRecordsDb>, { now: () => now });
    const app = Fastify();
    app.decorateRequest('principal', null as unknown as Principal);
    app.addHook('onRequest', async (req) => {
      req.principal = req.headers['x-as'] === 'jan' ? coordinator : officer;
    });
    await app.register(incidentsHttp({ service, customerIds: () => ['acme', 'globex'], now: () => now }));
    const call = async (as: string, method: 'GET' | 'POST', url: string, payload?: object) =>
      app.inject({ method, url, headers: { 'x-as': as }, ...(payload ? { payload } : {}) });

    const mine = (
      await call('sofie', 'POST', '/api/v1/incidents', {
        customer: 'acme',
        kind: 'availability',
        title: 'portal down',
      })
    ).json() as { id: string };
    const theirs = (
      await call('sofie', 'POST', '/api/v1/incidents', {
        customer: 'globex',
        kind: 'security',
        title: 'globex breach',
      })
    ).json() as { id: string };
    expect(
      ((await call('jan', 'GET', '/api/v1/incidents')).json() as { id: string }[]).map((i) => i.id),
    ).toEqual([mine.id]);
    expect((await call('jan', 'GET', `/api/v1/incidents/${theirs.id}`)).statusCode).toBe(404);
    expect((await call('sofie', 'GET', `/api/v1/incidents/${theirs.id}`)).statusCode).toBe(200);

    // Customer report: for its own customer, whatever the body says; its time starts the downtime.
    now = T0 + 60_000;
    const rep = await call('jan', 'POST', '/api/v1/incidents/customer-reports', {
      customer: 'globex',
      kind: 'availability',
      title: 'mail slow',
    });
    expect(rep.statusCode).toBe(201);
    expect(rep.json()).toMatchObject({
      customerId: 'acme',
      state: 'reported',
      reportedAt: '2026-03-02T10:01:00.000Z',
      openedBy: 'jan',
    });

    now += 60_000;
    expect((await call('sofie', 'POST', `/api/v1/incidents/${mine.id}/resolve`, {})).statusCode).toBe(409);
    expect(
      (await call('sofie', 'POST', `/api/v1/incidents/${mine.id}/ack`, { measure: 'failover' })).statusCode,
    ).toBe(200);
    now += 60_000;
    expect((await call('sofie', 'POST', `/api/v1/incidents/${mine.id}/resolve`, {})).statusCode).toBe(200);
    expect(
      (await call('jan', 'POST', `/api/v1/incidents/${theirs.id}/acceptance`, { accept: true })).statusCode,
    ).toBe(404);
    expect(
      (await call('jan', 'POST', `/api/v1/incidents/${mine.id}/acceptance`, { accept: false })).statusCode,
    ).toBe(400);
    now += 60_000;
    const rej = await call('jan', 'POST', `/api/v1/incidents/${mine.id}/acceptance`, {
      accept: false,
      reason: 'still slow',
    });
    expect(rej.json()).toMatchObject({ state: 'acknowledged' });
    now += 60_000;
    await call('sofie', 'POST', `/api/v1/incidents/${mine.id}/resolve`, {});
    now += 60_000;
    const acc = await call('jan', 'POST', `/api/v1/incidents/${mine.id}/acceptance`, { accept: true });
    expect(acc.json()).toMatchObject({ state: 'accepted', acceptedAt: '2026-03-02T10:06:00.000Z' });
    expect(
      (await call('jan', 'POST', `/api/v1/incidents/${mine.id}/acceptance`, { accept: true })).statusCode,
    ).toBe(409);
    await app.close();
  });
});
