import { readSecretFile, type Secret } from '../../core/index.js';
import type { AlertmanagerConfig, ReceiverConfig } from '../am-schema.js';
import type { Templates } from '../template/index.js';
import { httpSender, parseHttpConfig, type HttpSender } from './http-client.js';
import type { Notifier } from './notifier.js';
import { defaultTemplates } from './render.js';
import { buildNewKinds } from './registry-kinds.js';
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
 * notifier. Defaults of `send_resolved` are Alertmanager's: false for Slack, email and WeChat,
 * true for the others. Templated fields render with `templates` (the config's `templates:` files
 * over Alertmanager's defaults); `http_config` (the receiver's, else `global.http_config`) is
 * applied to the requests.
 */
export function buildIntegrations(
  cfg: AlertmanagerConfig,
  r: ReceiverConfig,
  templates: Templates = defaultTemplates(),
): Integration[] {
  const g = cfg.global ?? {};
  const out: Integration[] = [];
  const add = (kind: string, i: number, sendResolved: boolean, notifier: Notifier) =>
    out.push({ receiver: r.name, key: `${kind}/${i}`, sendResolved, notifier });
  const http = (
    c: { http_config?: Record<string, unknown> | undefined },
    where: string,
  ): HttpSender | undefined => {
    const parsed = parseHttpConfig(
      c.http_config ?? g.http_config,
      `receivers "${r.name}" ${where}.http_config`,
    );
    return parsed && Object.keys(parsed).length > 0 ? httpSender(parsed) : undefined;
  };
  const t = { templates };
  (r.webhook_configs ?? []).forEach((w, i) =>
    add(
      'webhook',
      i,
      w.send_resolved ?? true,
      webhookNotifier({
        url: w.url ?? readSecretFile(w.url_file!),
        maxAlerts: w.max_alerts,
        http: http(w, `webhook_configs[${i}]`),
      }),
    ),
  );
  (r.pagerduty_configs ?? []).forEach((p, i) =>
    add(
      'pagerduty',
      i,
      p.send_resolved ?? true,
      pagerdutyNotifier({
        ...t,
        routingKey:
          reveal(p.routing_key, p.routing_key_file) ?? reveal(p.service_key, p.service_key_file) ?? '',
        url: p.url ?? g.pagerduty_url,
        client: p.client,
        clientUrl: p.client_url,
        description: p.description,
        severity: p.severity,
        source: p.source,
        component: p.component,
        group: p.group,
        class: p.class,
        details: p.details,
        links: p.links,
        images: p.images,
        http: http(p, `pagerduty_configs[${i}]`),
      }),
    ),
  );
  (r.opsgenie_configs ?? []).forEach((o, i) =>
    add(
      'opsgenie',
      i,
      o.send_resolved ?? true,
      opsgenieNotifier({
        ...t,
        apiKey:
          reveal(o.api_key, o.api_key_file) ?? reveal(g.opsgenie_api_key, g.opsgenie_api_key_file) ?? '',
        apiUrl: o.api_url ?? g.opsgenie_api_url,
        message: o.message,
        description: o.description,
        priority: o.priority,
        source: o.source,
        tags: o.tags,
        note: o.note,
        entity: o.entity,
        actions: o.actions,
        details: o.details,
        responders: o.responders,
        http: http(o, `opsgenie_configs[${i}]`),
      }),
    ),
  );
  (r.slack_configs ?? []).forEach((s, i) =>
    add(
      'slack',
      i,
      s.send_resolved ?? false,
      slackNotifier({
        ...t,
        apiUrl: reveal(s.api_url, s.api_url_file) ?? reveal(g.slack_api_url, g.slack_api_url_file) ?? '',
        channel: s.channel,
        username: s.username,
        iconEmoji: s.icon_emoji,
        iconUrl: s.icon_url,
        color: s.color,
        title: s.title,
        titleLink: s.title_link,
        pretext: s.pretext,
        text: s.text,
        fields: s.fields,
        shortFields: s.short_fields,
        footer: s.footer,
        fallback: s.fallback,
        callbackId: s.callback_id,
        imageUrl: s.image_url,
        thumbUrl: s.thumb_url,
        linkNames: s.link_names,
        mrkdwnIn: s.mrkdwn_in,
        actions: s.actions,
        http: http(s, `slack_configs[${i}]`),
      }),
    ),
  );
  (r.email_configs ?? []).forEach((e, i) =>
    add(
      'email',
      i,
      e.send_resolved ?? false,
      emailNotifier({
        ...t,
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
        html: e.html,
        text: e.text,
      }),
    ),
  );
  buildNewKinds(cfg, r, templates, add, http);
  return out;
}
