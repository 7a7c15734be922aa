import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { webhookNotifier, type NotificationMessage } from '../../alerting/index.js';

// A receiver whose answer depends on the request: status from the path, the body echoes the
// notification id, so an answer handed to the wrong caller shows. Answers come out of order.
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const id = String(req.headers['x-vigil-notification-id']);
    const status = Number(req.url!.split('/')[1]);
    setTimeout(() => res.writeHead(status).end(`id=${id}`), (Number(id) * 7) % 23);
  });
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const msg = (id: number): NotificationMessage => ({
  id: String(id),
  kind: 'notify',
  receiver: 'ops',
  groupKey: `{}:{n="${id}"}`,
  groupId: 'abcd',
  status: 'firing',
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  alerts: [],
  externalURL: '',
});

it('answers each of many concurrent sends (made from the HTTP worker thread) with its own response', async () => {
  const statuses = [200, 202, 400, 429, 503];
  const calls = Array.from({ length: 60 }, (_, n) => {
    const status = statuses[n % statuses.length]!;
    return webhookNotifier({ url: `${base}/${status}/hook` })
      .notify(msg(n))
      .then((r) => ({ n, status, r }));
  });
  for (const { n, status, r } of await Promise.all(calls)) {
    if (status < 300) expect(r).toEqual({ ok: true });
    else expect(r).toEqual({ ok: false, retryable: status !== 400, reason: `HTTP ${status}: id=${n}` });
  }
});

it('a send with an abort signal (made from the calling thread) is classified the same way', async () => {
  const ctrl = new AbortController();
  const hook = webhookNotifier({ url: `${base}/503/hook` });
  expect(await hook.notify(msg(5), ctrl.signal)).toEqual({
    ok: false,
    retryable: true,
    reason: 'HTTP 503: id=5',
  });
  ctrl.abort();
  expect(await hook.notify(msg(6), ctrl.signal)).toMatchObject({ ok: false, retryable: true });
});
