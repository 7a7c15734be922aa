import Fastify, { type FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, silentLogger, systemClock, type Store } from '../../core/index.js';
import {
  AlertRouter,
  alertingHttp,
  alertmanagerConfigSchema,
  signAckLink,
  type AlertingDb,
} from '../../alerting/index.js';
import { startReceiver } from './helpers/receiver.js';

let app: FastifyInstance;
let store: Store;
let router: AlertRouter;
let hook: Awaited<ReturnType<typeof startReceiver>>;
let base: string;

beforeEach(async () => {
  hook = await startReceiver();
  store = await openStore('sqlite::memory:');
  const config = alertmanagerConfigSchema.parse(
    parse(`
route: { receiver: ops, group_by: [alertname], group_wait: 0s, group_interval: 1s }
receivers: [{ name: ops, webhook_configs: [{ url: ${hook.url}, send_resolved: true }] }]
vigil: { ack_secret: k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y, external_url: http://vigil.example, ack_link_ttl: 1h }`),
  );
  router = await AlertRouter.create({
    config,
    store,
    log: silentLogger(),
    clock: systemClock,
    ackPollMs: 50,
  });
  await router.start();
  app = Fastify();
  await app.register(
    alertingHttp({
      router,
      db: store.db as AlertingDb,
      ackSecret: 'k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y',
    }),
  );
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  await app.close();
  await router.stop(1000);
  await store.close();
  await hook.close();
});

const postAlerts = (alerts: unknown) =>
  fetch(`${base}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });

/** The ack link of the n-th notification the receiver got, as path + query on the test server. */
function linkOf(n: number): { id: string; path: string; params: URLSearchParams } {
  const v = (hook.got[n]!.body as { vigil: { groupId: string; ackURL: string } }).vigil;
  const u = new URL(v.ackURL);
  return { id: v.groupId, path: u.pathname, params: new URLSearchParams(u.search) };
}

const submit = (id: string, params: URLSearchParams, by = 'dana') => {
  const body = new URLSearchParams(params);
  body.set('by', by);
  return fetch(`${base}/api/v1/alert-groups/${id}/ack-link`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
};

async function firstPage() {
  await postAlerts([{ labels: { alertname: 'Down' } }]);
  await hook.waitFor(1);
  return linkOf(0);
}

describe('signed acknowledgement links', () => {
  it('carry the episode and an expiry of ack_link_ttl; a fresh link acknowledges', async () => {
    const before = Date.now();
    const link = await firstPage();
    const exp = Number(link.params.get('exp'));
    expect(exp).toBeGreaterThan(before);
    expect(exp).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(Number(link.params.get('e'))).toBeGreaterThan(0);
    expect((await fetch(`${base}${link.path}?${link.params}`)).status).toBe(200);
    const res = await submit(link.id, link.params);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ groupId: link.id, acknowledgedBy: 'dana (link)' });
  });

  it('work once: the second use is refused with 410 and says so', async () => {
    const link = await firstPage();
    expect((await submit(link.id, link.params)).status).toBe(200);
    const again = await submit(link.id, link.params, 'mallory');
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('already used');
    const view = await fetch(`${base}${link.path}?${link.params}`);
    expect(view.status).toBe(410);
    expect(await view.text()).toContain('already used');
  });

  it('an expired link (correctly signed) is refused with 410 and says so', async () => {
    const link = await firstPage();
    const e = Number(link.params.get('e'));
    // One expiry for both the signature and the query (two Date.now() calls may differ by a tick).
    const exp = Date.now() - 1000;
    const expired = new URLSearchParams({
      sig: signAckLink('k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y', link.id, e, exp),
      e: String(e),
      exp: String(exp),
    });
    const view = await fetch(`${base}${link.path}?${expired}`);
    expect(view.status).toBe(410);
    expect(await view.text()).toContain('expired');
    expect((await submit(link.id, expired)).status).toBe(410);
  });

  it('a link with its expiry pushed out (signature no longer matching) is refused with 403', async () => {
    const link = await firstPage();
    const longer = new URLSearchParams(link.params);
    longer.set('exp', String(Number(link.params.get('exp')) + 86_400_000));
    expect((await fetch(`${base}${link.path}?${longer}`)).status).toBe(403);
    expect((await submit(link.id, longer)).status).toBe(403);
    const unsigned = new URLSearchParams({ e: link.params.get('e')!, exp: link.params.get('exp')! });
    expect((await submit(link.id, unsigned)).status).toBe(403);
  });

  it('a link of an earlier firing episode is refused once the alert resolved and fired again', async () => {
    const old = await firstPage();
    const t = Date.now();
    await postAlerts([
      {
        labels: { alertname: 'Down' },
        startsAt: new Date(t - 60_000).toISOString(),
        endsAt: new Date(t - 1000).toISOString(),
      },
    ]);
    await hook.waitFor(2); // the resolved notification
    await postAlerts([{ labels: { alertname: 'Down' }, startsAt: new Date().toISOString() }]);
    await hook.waitFor(3); // the page of the new episode
    const fresh = linkOf(2);
    expect(fresh.params.get('e')).not.toBe(old.params.get('e'));
    const refused = await submit(old.id, old.params);
    expect(refused.status).toBe(410);
    expect(await refused.text()).toContain('episode that has ended');
    expect((await submit(fresh.id, fresh.params)).status).toBe(200);
  });

  it('a link signed for another episode of the same group is refused', async () => {
    const link = await firstPage();
    const e = Number(link.params.get('e')) - 5000;
    const exp = Number(link.params.get('exp'));
    const other = new URLSearchParams({
      sig: signAckLink('k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y', link.id, e, exp),
      e: String(e),
      exp: String(exp),
    });
    const r = await submit(link.id, other);
    expect(r.status).toBe(410);
    expect(await r.text()).toContain('episode that has ended');
  });
});
