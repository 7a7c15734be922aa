import { readSecretFile, type Secret } from '../../core/index.js';
import type { AlertmanagerConfig, ReceiverConfig } from '../am-schema.js';
import type { Templates } from '../template/index.js';
import type { HttpSender } from './http-client.js';
import type { Notifier } from './notifier.js';
import { telegramNotifier } from './telegram.js';
import { discordNotifier } from './discord.js';
import { msteamsNotifier } from './msteams.js';
import { webexNotifier } from './webex.js';
import { victoropsNotifier } from './victorops.js';
import { pushoverNotifier } from './pushover.js';
import { snsNotifier } from './sns.js';
import { wechatNotifier } from './wechat.js';

// The receiver kinds beyond webhook, PagerDuty, Opsgenie, Slack and email (registry.ts).

const reveal = (s: Secret | undefined, file: string | undefined): string | undefined =>
  s?.reveal() ?? (file ? readSecretFile(file) : undefined);

export type Add = (kind: string, i: number, sendResolved: boolean, notifier: Notifier) => void;
export type Http = (
  c: { http_config?: Record<string, unknown> | undefined },
  where: string,
) => HttpSender | undefined;

/** The receiver kinds added with issue 15 (Alertmanager 0.25's others, and 0.26's Teams). */
export function buildNewKinds(
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
