import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { alertmanagerConfigSchema, buildIntegrations, Templates } from '../../../alerting/index.js';
import { startReceiver } from '../helpers/receiver.js';
import { message } from '../helpers/message.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-tmplfields-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

describe('receiver fields are templates, evaluated with the config templates', () => {
  it('PagerDuty severity, summary and details render instead of being sent literally', async () => {
    const r = await startReceiver({ answer: () => ({ status: 202 }) });
    closers.push(r.close);
    writeFileSync(
      join(dir, 'pd.tmpl'),
      '{{ define "my.summary" }}{{ .CommonLabels.alertname }} on {{ range .Alerts }}{{ .Labels.instance }}{{ end }}{{ end }}',
    );
    const cfg = alertmanagerConfigSchema.parse({
      route: { receiver: 'pd' },
      templates: ['*.tmpl'],
      receivers: [
        {
          name: 'pd',
          pagerduty_configs: [
            {
              routing_key: 'k',
              url: r.url,
              severity: '{{ if eq .CommonLabels.severity "critical" }}critical{{ else }}warning{{ end }}',
              description: '{{ template "my.summary" . }}',
              details: { runbook: 'https://runbooks.example/{{ .CommonLabels.alertname | toLower }}' },
            },
          ],
        },
      ],
    });
    const templates = Templates.fromGlobs(cfg.templates ?? [], dir);
    const [pd] = buildIntegrations(cfg, cfg.receivers![0]!, templates);
    expect(await pd!.notifier.notify(message())).toEqual({ ok: true });
    const payload = (r.got[0]!.body as { payload: Record<string, unknown> }).payload;
    expect(payload).toMatchObject({
      severity: 'critical',
      summary: 'SiteDown on web-1',
      custom_details: { runbook: 'https://runbooks.example/sitedown', num_firing: '1' },
    });
  });

  it('the receiver name in the data is regexp-quoted, as Alertmanager does', async () => {
    const r = await startReceiver();
    closers.push(r.close);
    const cfg = alertmanagerConfigSchema.parse({
      route: { receiver: 'a.b' },
      receivers: [{ name: 'a.b', discord_configs: [{ webhook_url: r.url, title: '{{ .Receiver }}' }] }],
    });
    const [d] = buildIntegrations(cfg, cfg.receivers![0]!);
    await d!.notifier.notify(message({ receiver: 'a.b' }));
    expect((r.got[0]!.body as { embeds: { title: string }[] }).embeds[0]!.title).toBe('a\\.b');
  });
});
