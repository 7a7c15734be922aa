import { readSecretFile, type Secret } from '../../core/index.js';
import type { AlertmanagerConfig, ReceiverConfig } from '../am-schema.js';
import type { Notifier } from './notifier.js';
import { webhookNotifier } from './webhook.js';
import { pagerdutyNotifier } from './pagerduty.js';
import { opsgenieNotifier } from './opsgenie.js';
import { slackNotifier } from './slack.js';
import { emailNotifier } from './email.js';

export interface Integration {
  receiver: string;
  /** `webhook/0`, `pagerduty/1`, ... unique within the receiver. */
  key: string;
  sendResolved: boolean;
  notifier: Notifier;
}

const reveal = (s: Secret | undefined, file: string | undefined): string | undefined =>
  s?.reveal() ?? (file ? readSecretFile(file) : undefined);

/**
 * Builds every integration of a receiver, the one place a config `*_configs` kind maps to its
 * notifier. Defaults of `send_resolved` are Alertmanager's: true for webhook, PagerDuty and
 * Opsgenie, false for Slack and email.
 */
export function buildIntegrations(cfg: AlertmanagerConfig, r: ReceiverConfig): Integration[] {
  const g = cfg.global ?? {};
  const out: Integration[] = [];
  const add = (kind: string, i: number, sendResolved: boolean, notifier: Notifier) =>
    out.push({ receiver: r.name, key: `${kind}/${i}`, sendResolved, notifier });
  (r.webhook_configs ?? []).forEach((w, i) =>
    add(
      'webhook',
      i,
      w.send_resolved ?? true,
      webhookNotifier({ url: w.url ?? readSecretFile(w.url_file!), maxAlerts: w.max_alerts }),
    ),
  );
  (r.pagerduty_configs ?? []).forEach((p, i) =>
    add(
      'pagerduty',
      i,
      p.send_resolved ?? true,
      pagerdutyNotifier({
        routingKey:
          reveal(p.routing_key, p.routing_key_file) ?? reveal(p.service_key, p.service_key_file) ?? '',
        url: p.url ?? g.pagerduty_url,
        client: p.client,
        clientUrl: p.client_url,
        severity: p.severity,
        source: p.source,
        component: p.component,
        group: p.group,
        class: p.class,
        details: p.details,
      }),
    ),
  );
  (r.opsgenie_configs ?? []).forEach((o, i) =>
    add(
      'opsgenie',
      i,
      o.send_resolved ?? true,
      opsgenieNotifier({
        apiKey:
          reveal(o.api_key, o.api_key_file) ?? reveal(g.opsgenie_api_key, g.opsgenie_api_key_file) ?? '',
        apiUrl: o.api_url ?? g.opsgenie_api_url,
        priority: o.priority,
        source: o.source,
        tags: o.tags,
        responders: o.responders,
      }),
    ),
  );
  (r.slack_configs ?? []).forEach((s, i) =>
    add(
      'slack',
      i,
      s.send_resolved ?? false,
      slackNotifier({
        apiUrl: reveal(s.api_url, s.api_url_file) ?? reveal(g.slack_api_url, g.slack_api_url_file) ?? '',
        channel: s.channel,
        username: s.username,
        iconEmoji: s.icon_emoji,
      }),
    ),
  );
  (r.email_configs ?? []).forEach((e, i) =>
    add(
      'email',
      i,
      e.send_resolved ?? false,
      emailNotifier({
        to: e.to ?? '',
        from: e.from ?? g.smtp_from ?? '',
        smarthost: e.smarthost ?? g.smtp_smarthost ?? '',
        hello: e.hello ?? g.smtp_hello,
        username: e.auth_username ?? g.smtp_auth_username,
        password:
          reveal(e.auth_password, e.auth_password_file) ??
          reveal(g.smtp_auth_password, g.smtp_auth_password_file),
        requireTls: e.require_tls ?? g.smtp_require_tls,
        headers: e.headers,
      }),
    ),
  );
  return out;
}
