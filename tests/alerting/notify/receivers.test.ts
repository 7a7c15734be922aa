import { afterEach, describe, expect, it } from 'vitest';
import {
  discordNotifier,
  hashKey,
  msteamsNotifier,
  pushoverNotifier,
  telegramNotifier,
  victoropsNotifier,
  webexNotifier,
  wechatNotifier,
  httpSender,
  type Notifier,
} from '../../../alerting/index.js';
import { startReceiver, type Received } from '../helpers/receiver.js';
import { message, resolvedMessage } from '../helpers/message.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});
async function recv(opts?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(opts);
  closers.push(r.close);
  return r;
}
const body = (g: Received) => g.body as Record<string, unknown>;
const SUBJECT = '[FIRING:1] SiteDown (critical)';

/** Each receiver against its service's documented API, on a local server. */
const KINDS: [string, (url: string) => Notifier][] = [
  ['telegram', (u) => telegramNotifier({ botToken: '123:ABC', chatId: -100, apiUrl: u })],
  ['discord', (u) => discordNotifier({ webhookUrl: `${u}/api/webhooks/1/tok` })],
  ['msteams', (u) => msteamsNotifier({ webhookUrl: `${u}/webhookb2/x` })],
  [
    'webex',
    (u) =>
      webexNotifier({
        apiUrl: `${u}/v1/messages`,
        roomId: 'room-1',
        http: httpSender({ authorization: { credentials: 'BOT' } }),
      }),
  ],
  ['victorops', (u) => victoropsNotifier({ apiKey: 'KEY', routingKey: 'team', apiUrl: `${u}/alert/` })],
  ['pushover', (u) => pushoverNotifier({ userKey: 'U', token: 'T', apiUrl: `${u}/1/messages.json` })],
];

describe('status rule of every HTTP receiver: 2xx ok, 429/5xx retried, other 4xx not', () => {
  it.each(
    KINDS.flatMap(([k, f]) => [
      [k, f, 429, true] as const,
      [k, f, 503, true] as const,
      [k, f, 400, false] as const,
    ]),
  )('%s: HTTP %i → retryable %s', async (_kind, make, status, retryable) => {
    const r = await recv({ fallback: status });
    expect(await make(r.url).notify(message())).toMatchObject({ ok: false, retryable });
    expect(r.got).toHaveLength(1);
  });
});

describe('payloads as Alertmanager 0.25 builds them', () => {
  it('telegram: sendMessage with the HTML-escaped default message', async () => {
    const r = await recv({ answer: () => ({ status: 200, body: { ok: true, result: { message_id: 1 } } }) });
    expect(
      await telegramNotifier({ botToken: '123:ABC', chatId: -100, apiUrl: r.url }).notify(message()),
    ).toEqual({
      ok: true,
    });
    expect(r.got[0]!.path).toBe('/bot123:ABC/sendMessage');
    const b = body(r.got[0]!);
    expect(b).toMatchObject({ chat_id: '-100', parse_mode: 'HTML', disable_web_page_preview: 'true' });
    expect(b.text).toContain('Alerts Firing:');
    expect(b.text).toContain(' - summary = web-1 unreachable &lt;b&gt;'); // html/template escaping
    expect(b.disable_notification).toBeUndefined();
  });

  it('discord: one embed, red while firing, green when resolved', async () => {
    const r = await recv({ answer: () => ({ status: 204 }) });
    const d = discordNotifier({ webhookUrl: `${r.url}/api/webhooks/1/tok` });
    expect(await d.notify(message())).toEqual({ ok: true });
    await d.notify(resolvedMessage());
    const [fire, res] = r.got.map((g) => (body(g).embeds as Record<string, unknown>[])[0]!);
    expect(fire).toMatchObject({ title: SUBJECT, color: 0x992d22 });
    expect(fire!.description).toContain('Alerts Firing:');
    expect(res).toMatchObject({ title: '[RESOLVED] SiteDown (critical)', color: 0x2ecc71 });
  });

  it('msteams: a MessageCard with 0.26 defaults', async () => {
    const r = await recv({ answer: () => ({ status: 200, body: '1' }) });
    await msteamsNotifier({ webhookUrl: `${r.url}/webhookb2/x` }).notify(message());
    expect(body(r.got[0]!)).toMatchObject({
      '@context': 'http://schema.org/extensions',
      type: 'MessageCard',
      title: SUBJECT,
      themeColor: '8C1A1A',
    });
    expect(body(r.got[0]!).text).toContain('# Alerts Firing:');
  });

  it('webex: markdown to the room, the bot token from http_config.authorization', async () => {
    const r = await recv();
    await webexNotifier({
      apiUrl: `${r.url}/v1/messages`,
      roomId: 'room-1',
      message: '{{ .CommonLabels.alertname }} is {{ .Status }}',
      http: httpSender({ authorization: { credentials: 'BOT' } }),
    }).notify(message());
    expect(r.got[0]!.headers.authorization).toBe('Bearer BOT');
    expect(body(r.got[0]!)).toMatchObject({ roomId: 'room-1' });
    expect(body(r.got[0]!).markdown).toMatch(/^SiteDown is firing\n\[Acknowledge\]/);
  });

  it('victorops: CRITICAL then RECOVERY for the same entity, custom fields templated', async () => {
    const r = await recv();
    const v = victoropsNotifier({
      apiKey: 'KEY',
      routingKey: '{{ .CommonLabels.severity }}',
      apiUrl: `${r.url}/alert/`,
      customFields: { service: '{{ .CommonLabels.alertname }}' },
    });
    await v.notify(message());
    await v.notify(resolvedMessage());
    expect(r.got.map((g) => g.path)).toEqual(['/alert/KEY/critical', '/alert/KEY/critical']);
    const entity = hashKey('{}:{alertname="SiteDown"}');
    expect(body(r.got[0]!)).toMatchObject({
      message_type: 'CRITICAL',
      entity_id: entity,
      entity_display_name: SUBJECT,
      monitoring_tool: 'Alertmanager',
      service: 'SiteDown',
    });
    expect(body(r.got[1]!)).toMatchObject({ message_type: 'RECOVERY', entity_id: entity });
  });

  it('pushover: parameters in the query string, emergency priority while firing', async () => {
    const r = await recv({ answer: () => ({ status: 200, body: { status: 1, request: 'x' } }) });
    const p = pushoverNotifier({ userKey: 'U', token: 'T', apiUrl: `${r.url}/1/messages.json` });
    await p.notify(message());
    await p.notify(resolvedMessage());
    const q = r.got.map((g) => new URL(g.path, 'http://x').searchParams);
    expect(r.got[0]!.path.startsWith('/1/messages.json?')).toBe(true);
    expect(Object.fromEntries(q[0]!)).toMatchObject({
      token: 'T',
      user: 'U',
      title: SUBJECT,
      priority: '2',
      retry: '60',
      expire: '3600',
      url: 'http://vigil.example/#/alerts?receiver=ops',
    });
    expect(q[0]!.get('message')).toContain('Acknowledge: http://vigil.example/api/v1/alert-groups/abcd/ack');
    expect(q[1]!.get('priority')).toBe('0');
  });

  it('a template error is not retried and names the receiver kind', async () => {
    const r = await recv();
    const res = await discordNotifier({ webhookUrl: r.url, title: '{{ .Nope }}' }).notify(message());
    expect(res).toMatchObject({ ok: false, retryable: false });
    expect((res as { reason: string }).reason).toMatch(
      /discord: template failed: .*can't evaluate field Nope/,
    );
    expect(r.got).toHaveLength(0);
  });
});

describe('wechat (WeCom API: gettoken, then message/send)', () => {
  it('fetches a token once, sends, refreshes the token on errcode 42001 and does not retry other codes', async () => {
    const codes = [0, 42001, 0, 40003];
    let tokens = 0;
    const r = await recv({
      answer: (g) => {
        if (g.path.startsWith('/cgi-bin/gettoken'))
          return { status: 200, body: { access_token: `tok${++tokens}` } };
        const code = codes.shift()!;
        return { status: 200, body: { errcode: code, errmsg: code ? 'bad' : 'ok' } };
      },
    });
    const w = wechatNotifier({
      apiUrl: `${r.url}/cgi-bin/`,
      apiSecret: 'S',
      corpId: 'C',
      toUser: '@all',
      agentId: '1',
    });
    expect(await w.notify(message())).toEqual({ ok: true });
    expect(await w.notify(message())).toMatchObject({ ok: false, retryable: true });
    expect(await w.notify(message())).toEqual({ ok: true });
    expect(await w.notify(message())).toMatchObject({ ok: false, retryable: false });
    expect(r.got.map((g) => g.path.replace(/\?.*/, ''))).toEqual([
      '/cgi-bin/gettoken',
      '/cgi-bin/message/send',
      '/cgi-bin/message/send',
      '/cgi-bin/gettoken',
      '/cgi-bin/message/send',
      '/cgi-bin/message/send',
    ]);
    expect(r.got[0]!.path).toBe('/cgi-bin/gettoken?corpid=C&corpsecret=S');
    expect(r.got[1]!.path).toBe('/cgi-bin/message/send?access_token=tok1');
    expect(r.got[4]!.path).toBe('/cgi-bin/message/send?access_token=tok2');
    expect(body(r.got[1]!)).toMatchObject({ touser: '@all', agentid: '1', safe: '0', msgtype: 'text' });
    expect((body(r.got[1]!).text as { content: string }).content).toContain(SUBJECT);
  });

  it('a 5xx from message/send is retried', async () => {
    const r = await recv({
      answer: (g) =>
        g.path.includes('gettoken') ? { status: 200, body: { access_token: 't' } } : { status: 502 },
    });
    const w = wechatNotifier({ apiUrl: `${r.url}/`, apiSecret: 'S', corpId: 'C' });
    expect(await w.notify(message())).toMatchObject({ ok: false, retryable: true });
  });
});
