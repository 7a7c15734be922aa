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
receivers: [{ name: ops, webhook_configs: [{ url: ${hook.url} }] }]
vigil: { ack_secret: k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y, external_url: http://vigil.example }`),
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
      ackSecret: 'k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y-k3y',
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

const post = (path: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('Alertmanager API v2 (as Prometheus uses it)', () => {
  it('POST /api/v2/alerts routes and notifies; GET /api/v2/alerts lists with status and receivers', async () => {
    const now = Date.now();
    const res = await post('/api/v2/alerts', [
      {
        labels: { alertname: 'SiteDown', job: 'blackbox' },
        annotations: { summary: 's' },
        startsAt: new Date(now - 5000).toISOString(),
        endsAt: new Date(now + 60000).toISOString(),
        generatorURL: 'http://prom/graph',
      },
    ]);
    expect(res.status).toBe(200);
    await hook.waitFor(1);
    const list = (await (await fetch(`${base}/api/v2/alerts`)).json()) as {
      labels: Record<string, string>;
      status: { state: string };
      receivers: { name: string }[];
      fingerprint: string;
    }[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      labels: { alertname: 'SiteDown', job: 'blackbox' },
      status: { state: 'active' },
      receivers: [{ name: 'ops' }],
    });
    expect(list[0]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    const filtered = (await (
      await fetch(`${base}/api/v2/alerts?filter=${encodeURIComponent('job="other"')}`)
    ).json()) as unknown[];
    expect(filtered).toEqual([]);
  });

  it.each([
    [[{ labels: {} }], 400],
    [[{ labels: { '1bad': 'x' } }], 400],
    [{ not: 'an array' }, 400],
    [[{ labels: { a: 'b' }, startsAt: '2026-01-02T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' }], 400],
  ])('rejects invalid alerts %j with %i', async (body, status) => {
    expect((await post('/api/v2/alerts', body)).status).toBe(status);
  });

  it('silences: create, list, edit (replaces), expire; a silenced alert is suppressed', async () => {
    const now = Date.now();
    const sil = {
      matchers: [{ name: 'alertname', value: 'Noisy', isRegex: false, isEqual: true }],
      startsAt: new Date(now - 1000).toISOString(),
      endsAt: new Date(now + 3600_000).toISOString(),
      createdBy: 'ann',
      comment: 'maintenance',
    };
    const { silenceID } = (await (await post('/api/v2/silences', sil)).json()) as { silenceID: string };
    await post('/api/v2/alerts', [{ labels: { alertname: 'Noisy' } }]);
    const alerts = (await (await fetch(`${base}/api/v2/alerts`)).json()) as {
      status: { state: string; silencedBy: string[] };
    }[];
    expect(alerts[0]!.status).toMatchObject({ state: 'suppressed', silencedBy: [silenceID] });
    const edited = (await (
      await post('/api/v2/silences', {
        ...sil,
        id: silenceID,
        matchers: [{ ...sil.matchers[0]!, value: 'Other' }],
      })
    ).json()) as { silenceID: string };
    expect(edited.silenceID).not.toBe(silenceID);
    const all = (await (await fetch(`${base}/api/v2/silences`)).json()) as {
      id: string;
      status: { state: string };
    }[];
    expect(Object.fromEntries(all.map((s) => [s.id, s.status.state]))).toEqual({
      [silenceID]: 'expired',
      [edited.silenceID]: 'active',
    });
    expect((await fetch(`${base}/api/v2/silence/${edited.silenceID}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    expect(
      (
        (await (await fetch(`${base}/api/v2/silence/${edited.silenceID}`)).json()) as {
          status: { state: string };
        }
      ).status.state,
    ).toBe('expired');
    expect((await fetch(`${base}/api/v2/silence/nope`, { method: 'DELETE' })).status).toBe(404);
    await hook.waitFor(1); // the silence on Noisy ended when it was replaced
  });
});

describe('acknowledgement routes', () => {
  async function page(): Promise<string> {
    await post('/api/v2/alerts', [{ labels: { alertname: 'Down' } }]);
    await hook.waitFor(1);
    return (hook.got[0]!.body as { vigil: { groupId: string } }).vigil.groupId;
  }

  it('POST /api/v1/alert-groups/:id/ack records who', async () => {
    const id = await page();
    const res = await post(`/api/v1/alert-groups/${id}/ack`, { by: 'bob' });
    expect(await res.json()).toEqual({ groupId: id, acknowledgedBy: 'bob' });
    const groups = (await (await fetch(`${base}/api/v1/alert-groups`)).json()) as {
      id: string;
      acknowledgedBy: string;
    }[];
    expect(groups.find((g) => g.id === id)?.acknowledgedBy).toBe('bob');
    expect((await post('/api/v1/alert-groups/ffffffffffffffff/ack', { by: 'bob' })).status).toBe(404);
  });

  it('a signed link shows a form and its POST acknowledges; a forged one is refused', async () => {
    const id = await page();
    const link = new URL((hook.got[0]!.body as { vigil: { ackURL: string } }).vigil.ackURL);
    expect(link.pathname).toBe(`/api/v1/alert-groups/${id}/ack`);
    expect((await fetch(`${base}${link.pathname}${link.search}`)).status).toBe(200);
    const forged = new URLSearchParams(link.search);
    forged.set('sig', signAckLink('wrong', id, Number(forged.get('e')), Number(forged.get('exp'))));
    expect((await fetch(`${base}${link.pathname}?${forged}`)).status).toBe(403);
    const params = new URLSearchParams(link.search);
    params.set('by', 'carol');
    const form = await fetch(`${base}/api/v1/alert-groups/${id}/ack-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: params.toString(),
    });
    expect(form.status).toBe(200);
    const log = (await (await fetch(`${base}/api/v1/notifications?group=${id}`)).json()) as {
      acknowledgement: { by: string; via: string };
    }[];
    expect(log[0]!.acknowledgement).toMatchObject({ by: 'carol (link)', via: 'link' });
  });
});
