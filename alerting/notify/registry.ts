import { readSecretFile, type Secret } from '../../core/index.js';
import type { AlertmanagerConfig, ReceiverConfig } from '../am-schema.js';
import type { Templates } from '../template/index.js';
import { httpSender, parseHttpConfig, type HttpSender } from './http-client.js';
import type { Notifier } from './notifier.js';
import { defaultTemplates } from './render.js';
import { webhookNotifier } from './webhook.js';
import { pagerdutyNotifier } from './pagerduty.js';
import { opsgenieNotifier } from './opsgenie.js';
import { slackNotifier } from './slack.js';
import { emailNotifier } from './email.js';
import { telegramNotifier } from './telegram.js';
import { discordNotifier } from './discord.js';
import { msteamsNotifier } from './msteams.js';
import { webexNotifier } from './webex.js';
import { victoropsNotifier } from './victorops.js';
import { pushoverNotifier } from './pushover.js';
import { snsNotifier } from './sns.js';
import { wechatNotifier } from './wechat.js';

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

type Add = (kind: string, i: number, sendResolved: boolean, notifier: Notifier) => void;
type Http = (
  c: { http_config?: Record<string, unknown> | undefined },
  where: string,
) => HttpSender | undefined;

/** The receiver kinds added with issue 15 (Alertmanager 0.25's others, and 0.26's Teams). */
function buildNewKinds(
  cfg: AlertmanagerConfig,
  r: ReceiverConfig,
  templates: Templates,
  add: Add,
  http: Http,
): void {
  const g = cfg.global ?? {};
  const t = { templates };
  (r.telegram_configs ?? []).forEach((c, i) =>
    add(
      'telegram',
      i,
      c.send_resolved ?? true,
      telegramNotifier({
        ...t,
        botToken: reveal(c.bot_token, c.bot_token_file) ?? '',
        chatId: c.chat_id ?? 0,
        apiUrl: c.api_url ?? g.telegram_api_url,
        message: c.message,
        parseMode: c.parse_mode,
        disableNotifications: c.disable_notifications,
        http: http(c, `telegram_configs[${i}]`),
      }),
    ),
  );
  (r.discord_configs ?? []).forEach((c, i) =>
    add(
      'discord',
      i,
      c.send_resolved ?? true,
      discordNotifier({
        ...t,
        webhookUrl: reveal(c.webhook_url, c.webhook_url_file) ?? '',
        title: c.title,
        message: c.message,
        http: http(c, `discord_configs[${i}]`),
      }),
    ),
  );
  (r.msteams_configs ?? []).forEach((c, i) =>
    add(
      'msteams',
      i,
      c.send_resolved ?? true,
      msteamsNotifier({
        ...t,
        webhookUrl: reveal(c.webhook_url, c.webhook_url_file) ?? '',
        title: c.title,
        text: c.text,
        http: http(c, `msteams_configs[${i}]`),
      }),
    ),
  );
  (r.webex_configs ?? []).forEach((c, i) =>
    add(
      'webex',
      i,
      c.send_resolved ?? true,
      webexNotifier({
        ...t,
        apiUrl: c.api_url ?? g.webex_api_url,
        roomId: c.room_id ?? '',
        message: c.message,
        http: http(c, `webex_configs[${i}]`),
      }),
    ),
  );
  (r.victorops_configs ?? []).forEach((c, i) =>
    add(
      'victorops',
      i,
      c.send_resolved ?? true,
      victoropsNotifier({
        ...t,
        apiKey:
          reveal(c.api_key, c.api_key_file) ?? reveal(g.victorops_api_key, g.victorops_api_key_file) ?? '',
        apiUrl: c.api_url ?? g.victorops_api_url,
        routingKey: c.routing_key ?? '',
        messageType: c.message_type,
        stateMessage: c.state_message,
        entityDisplayName: c.entity_display_name,
        monitoringTool: c.monitoring_tool,
        customFields: c.custom_fields,
        http: http(c, `victorops_configs[${i}]`),
      }),
    ),
  );
  (r.pushover_configs ?? []).forEach((c, i) =>
    add(
      'pushover',
      i,
      c.send_resolved ?? true,
      pushoverNotifier({
        ...t,
        userKey: reveal(c.user_key, c.user_key_file) ?? '',
        token: reveal(c.token, c.token_file) ?? '',
        title: c.title,
        message: c.message,
        url: c.url,
        urlTitle: c.url_title,
        sound: c.sound,
        priority: c.priority,
        retrySeconds: c.retry === undefined ? undefined : Math.floor(c.retry / 1000),
        expireSeconds: c.expire === undefined ? undefined : Math.floor(c.expire / 1000),
        html: c.html,
        http: http(c, `pushover_configs[${i}]`),
      }),
    ),
  );
  (r.sns_configs ?? []).forEach((c, i) => {
    const s = c.sigv4 ?? {};
    add(
      'sns',
      i,
      c.send_resolved ?? true,
      snsNotifier({
        ...t,
        apiUrl: c.api_url,
        region: s.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? '',
        // Static keys, else the environment's (AWS's default chain without profiles or roles).
        credentials: () =>
          s.access_key
            ? { accessKeyId: s.access_key, secretAccessKey: s.secret_key?.reveal() ?? '' }
            : {
                accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
                secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
                sessionToken: process.env.AWS_SESSION_TOKEN,
              },
        topicArn: c.topic_arn,
        targetArn: c.target_arn,
        phoneNumber: c.phone_number,
        subject: c.subject,
        message: c.message,
        attributes: c.attributes,
        http: http(c, `sns_configs[${i}]`),
      }),
    );
  });
  (r.wechat_configs ?? []).forEach((c, i) =>
    add(
      'wechat',
      i,
      c.send_resolved ?? false,
      wechatNotifier({
        ...t,
        apiUrl: c.api_url ?? g.wechat_api_url,
        apiSecret: c.api_secret?.reveal() ?? g.wechat_api_secret?.reveal() ?? '',
        corpId: c.corp_id ?? g.wechat_api_corp_id ?? '',
        message: c.message,
        messageType: c.message_type,
        toUser: c.to_user,
        toParty: c.to_party,
        toTag: c.to_tag,
        agentId: c.agent_id,
        http: http(c, `wechat_configs[${i}]`),
      }),
    ),
  );
}
