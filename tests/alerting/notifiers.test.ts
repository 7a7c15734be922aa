import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import {
  emailNotifier,
  hashKey,
  opsgenieNotifier,
  pagerdutyNotifier,
  slackNotifier,
  webhookNotifier,
  type NotificationMessage,
} from '../../alerting/index.js';
import { startReceiver } from './helpers/receiver.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

function msg(over: Partial<NotificationMessage> = {}): NotificationMessage {
  return {
    id: '6f1c2f8e-0000-4000-8000-000000000001',
    kind: 'notify',
    receiver: 'ops',
    groupKey: '{}:{alertname="SiteDown"}',
    groupId: 'abcd',
    status: 'firing',
    groupLabels: { alertname: 'SiteDown' },
    commonLabels: { alertname: 'SiteDown', severity: 'critical' },
    commonAnnotations: {},
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'SiteDown', severity: 'critical', instance: 'web-1' },
        annotations: { summary: 'web-1 unreachable <b>' },
        startsAt: '2026-01-05T10:00:00.000Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: '',
        fingerprint: '0123456789abcdef',
      },
    ],
    externalURL: 'http://vigil.example',
    ackURL: 'http://vigil.example/api/v1/alert-groups/abcd/ack?sig=x',
    ...over,
  };
}

async function recv(opts?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(opts);
  closers.push(r.close);
  return r;
}

describe('HTTP status rule (Alertmanager): 2xx ok, 429/5xx retried, other 4xx not', () => {
  it.each([
    [200, { ok: true }],
    [202, { ok: true }],
    [429, { ok: false, retryable: true }],
    [500, { ok: false, retryable: true }],
    [503, { ok: false, retryable: true }],
    [400, { ok: false, retryable: false }],
    [401, { ok: false, retryable: false }],
    [404, { ok: false, retryable: false }],
  ])('HTTP %i → %j', async (status, want) => {
    const r = await recv({ fallback: status });
    expect(await webhookNotifier({ url: r.url }).notify(msg())).toMatchObject(want);
  });

  it('a refused connection is retryable', async () => {
    const r = await recv();
    await r.close();
    closers.pop();
    expect(await webhookNotifier({ url: r.url }).notify(msg())).toMatchObject({ ok: false, retryable: true });
  });
});

describe('webhook', () => {
  it('truncates to max_alerts and reports truncatedAlerts', async () => {
    const r = await recv();
    const two = msg();
    two.alerts.push({ ...two.alerts[0]!, fingerprint: 'ffff' });
    await webhookNotifier({ url: r.url, maxAlerts: 1 }).notify(two);
    expect(r.got[0]!.body).toMatchObject({ version: '4', truncatedAlerts: 1 });
    expect((r.got[0]!.body as { alerts: unknown[] }).alerts).toHaveLength(1);
    expect(r.got[0]!.headers['idempotency-key']).toBe(two.id);
  });
});

describe('PagerDuty Events API v2 (local server speaking the documented API)', () => {
  it.each([
    ['notify', 'firing', 'trigger'],
    ['ack', 'firing', 'acknowledge'],
    ['notify', 'resolved', 'resolve'],
  ] as const)('%s/%s → %s with the group-key dedup key', async (kind, status, action) => {
    const r = await recv({
      answer: () => ({
        status: 202,
        body: { status: 'success', message: 'Event processed', dedup_key: 'x' },
      }),
    });
    const res = await pagerdutyNotifier({ routingKey: 'R0UT1NG', url: `${r.url}/v2/enqueue` }).notify(
      msg({ kind, status }),
    );
    expect(res).toEqual({ ok: true });
    const body = r.got[0]!.body as Record<string, unknown>;
    expect(r.got[0]!.path).toBe('/v2/enqueue');
    expect(body).toMatchObject({
      routing_key: 'R0UT1NG',
      event_action: action,
      dedup_key: hashKey('{}:{alertname="SiteDown"}'),
    });
    if (action === 'trigger') {
      // Alertmanager 0.25's defaults: pagerduty.default.description, severity "error",
      // source = client = "Alertmanager", the default details.
      expect(body.payload).toMatchObject({
        summary: '[FIRING:1] SiteDown (critical)',
        severity: 'error',
        source: 'Alertmanager',
        custom_details: { num_firing: '1', num_resolved: '0' },
      });
      expect(body.client_url).toBe('http://vigil.example/#/alerts?receiver=ops');
      expect(body.links).toEqual([{ href: msg().ackURL, text: 'Acknowledge in vigil' }]);
    } else expect(body.payload).toBeUndefined();
  });

  it('429 (rate limited) is retried, 400 (invalid event) is not', async () => {
    const r = await recv({ script: [429, 400] });
    const pd = pagerdutyNotifier({ routingKey: 'k', url: r.url });
    expect(await pd.notify(msg())).toMatchObject({ ok: false, retryable: true });
    expect(await pd.notify(msg())).toMatchObject({ ok: false, retryable: false });
  });
});

describe('Opsgenie Alert API (local server)', () => {
  it('creates with the alias, acknowledges and closes by alias, with the GenieKey header', async () => {
    const r = await recv({
      answer: () => ({ status: 202, body: { result: 'Request will be processed', requestId: 'r' } }),
    });
    const og = opsgenieNotifier({ apiKey: 'KEY', apiUrl: r.url, priority: 'P1' });
    const alias = hashKey('{}:{alertname="SiteDown"}');
    await og.notify(msg());
    await og.notify(msg({ kind: 'ack', ackedBy: 'ann' }));
    await og.notify(msg({ status: 'resolved' }));
    expect(r.got.map((g) => g.path)).toEqual([
      '/v2/alerts',
      `/v2/alerts/${alias}/acknowledge?identifierType=alias`,
      `/v2/alerts/${alias}/close?identifierType=alias`,
    ]);
    expect(r.got.every((g) => g.headers.authorization === 'GenieKey KEY')).toBe(true);
    expect(r.got[0]!.body).toMatchObject({
      alias,
      message: '[FIRING:1] SiteDown (critical)',
      priority: 'P1',
      source: 'http://vigil.example/#/alerts?receiver=ops',
      details: { alertname: 'SiteDown', severity: 'critical' },
    });
    expect(r.got[1]!.body).toMatchObject({ user: 'ann' });
  });

  it('5xx is retried', async () => {
    const r = await recv({ fallback: 502 });
    expect(await opsgenieNotifier({ apiKey: 'k', apiUrl: r.url }).notify(msg())).toMatchObject({
      ok: false,
      retryable: true,
    });
  });
});

describe('Slack incoming webhook (local server)', () => {
  it('posts one attachment with the summary and the ack link', async () => {
    const r = await recv({ answer: () => ({ status: 200, body: 'ok' }) });
    expect(await slackNotifier({ apiUrl: `${r.url}/services/T/B/X`, channel: '#ops' }).notify(msg())).toEqual(
      { ok: true },
    );
    const body = r.got[0]!.body as {
      channel: string;
      attachments: { title: string; text: string; color: string }[];
    };
    expect(body.channel).toBe('#ops');
    expect(body.attachments[0]).toMatchObject({
      title: '[FIRING:1] SiteDown (critical)',
      color: 'danger',
      title_link: 'http://vigil.example/#/alerts?receiver=ops',
      fallback: '[FIRING:1] SiteDown (critical) | http://vigil.example/#/alerts?receiver=ops',
    });
    expect(body.attachments[0]!.text).toContain('|Acknowledge>');
  });

  it.each([
    [429, true],
    [500, true],
    [404, false], // channel_not_found / no_service
  ])('HTTP %i → retryable %s', async (status, retryable) => {
    const r = await recv({ fallback: status });
    expect(await slackNotifier({ apiUrl: r.url }).notify(msg())).toMatchObject({ ok: false, retryable });
  });
});

describe('email over a real SMTP server (smtp-server, in-process)', () => {
  async function smtp(reject?: { code: number }) {
    const mails: { from: string; to: string[]; raw: string }[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (reject) return cb(Object.assign(new Error('rejected'), { responseCode: reject.code }));
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          cb();
        });
      },
    });
    server.listen(0, '127.0.0.1');
    await once(server.server, 'listening');
    closers.push(() => new Promise((r) => server.close(() => r())));
    return { port: (server.server.address() as AddressInfo).port, mails };
  }

  it('sends HTML and text parts with the notification id header', async () => {
    const s = await smtp();
    const res = await emailNotifier({
      to: 'ops@example.org',
      from: 'vigil@example.org',
      smarthost: `127.0.0.1:${s.port}`,
      text: '{{ .CommonLabels.alertname }} on {{ (index .Alerts 0).Labels.instance }}',
    }).notify(msg());
    expect(res).toEqual({ ok: true });
    const m = s.mails[0]!;
    expect(m.to).toEqual(['ops@example.org']);
    expect(m.raw).toContain('Subject: [FIRING:1] SiteDown (critical)');
    expect(m.raw).toContain('SiteDown on web-1');
    expect(m.raw).toMatch(/X-Vigil-Notification-Id: 6f1c2f8e-0000-4000-8000-000000000001/i);
    expect(m.raw).toMatch(/Content-Type: text\/plain/);
    expect(m.raw).toMatch(/Content-Type: text\/html/);
    expect(m.raw).toContain('&lt;b&gt;'); // annotations are escaped in HTML
  });

  it.each([
    [451, true],
    [550, false],
  ])('SMTP %i → retryable %s', async (code, retryable) => {
    const s = await smtp({ code });
    const res = await emailNotifier({
      to: 'ops@example.org',
      from: 'v@example.org',
      smarthost: `127.0.0.1:${s.port}`,
    }).notify(msg());
    expect(res).toMatchObject({ ok: false, retryable });
  });
});
