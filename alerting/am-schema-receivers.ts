import { z } from 'zod';
import { duration, errorMessage, secret, type IssueReporter } from '../core/index.js';
import { parseHttpConfig } from './notify/http-client.js';

// Alertmanager's receiver kinds beyond webhook, PagerDuty, Opsgenie, Slack and email
// (config/notifiers.go of 0.25; msteams_configs from 0.26), strict as Alertmanager's loader, with
// the checks its UnmarshalYAML methods make on a single config. Checks that need `global:` are in
// checkNewReceivers.

const str = z.string();
const httpConfig = z.record(z.string(), z.unknown());
const base = { send_resolved: z.boolean().optional(), http_config: httpConfig.optional() };
const stringMap = z.record(z.string(), z.string());
type Ctx = z.RefinementCtx;
const issue = (ctx: Ctx, message: string, path: (string | number)[] = []) =>
  ctx.addIssue({ code: 'custom', message, path });
const atMostOne = (ctx: Ctx, a: unknown, b: unknown, names: string) => {
  if (a !== undefined && b !== undefined) issue(ctx, `at most one of ${names} must be configured`);
};

export const telegramConfigSchema = z
  .strictObject({
    ...base,
    api_url: str.optional(),
    bot_token: secret().optional(),
    bot_token_file: str.optional(),
    chat_id: z.number().int().optional(),
    message: str.optional(),
    disable_notifications: z.boolean().optional(),
    parse_mode: str.optional(),
  })
  .superRefine((c, ctx) => {
    if (!c.bot_token && !c.bot_token_file)
      issue(ctx, 'missing bot_token or bot_token_file on telegram_config');
    atMostOne(ctx, c.bot_token, c.bot_token_file, 'bot_token & bot_token_file');
    if (!c.chat_id) issue(ctx, 'missing chat_id on telegram_config');
    if (c.parse_mode !== undefined && !['', 'Markdown', 'MarkdownV2', 'HTML'].includes(c.parse_mode))
      issue(
        ctx,
        'unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string',
        ['parse_mode'],
      );
  });

const webhookUrl = {
  webhook_url: secret().optional(),
  webhook_url_file: str.optional(),
};
const needsWebhook =
  (kind: string) => (c: { webhook_url?: unknown; webhook_url_file?: unknown }, ctx: Ctx) => {
    if (!c.webhook_url && !c.webhook_url_file)
      issue(ctx, `one of webhook_url or webhook_url_file must be configured in ${kind}`);
    atMostOne(ctx, c.webhook_url, c.webhook_url_file, 'webhook_url & webhook_url_file');
  };

export const discordConfigSchema = z
  .strictObject({ ...base, ...webhookUrl, title: str.optional(), message: str.optional() })
  .superRefine(needsWebhook('discord_config'));

export const msteamsConfigSchema = z
  .strictObject({
    ...base,
    ...webhookUrl,
    title: str.optional(),
    text: str.optional(),
  })
  .superRefine(needsWebhook('msteams_config'));

export const webexConfigSchema = z
  .strictObject({ ...base, api_url: str.optional(), message: str.optional(), room_id: str.optional() })
  .superRefine((c, ctx) => {
    if (!c.room_id) issue(ctx, 'missing room_id on webex_config');
    if (!c.http_config || !('authorization' in c.http_config))
      issue(ctx, 'missing webex_configs.http_config.authorization');
  });

const VICTOROPS_RESERVED = [
  'routing_key',
  'message_type',
  'state_message',
  'entity_display_name',
  'monitoring_tool',
  'entity_id',
  'entity_state',
];
export const victoropsConfigSchema = z
  .strictObject({
    ...base,
    api_key: secret().optional(),
    api_key_file: str.optional(),
    api_url: str.optional(),
    routing_key: str.optional(),
    message_type: str.optional(),
    state_message: str.optional(),
    entity_display_name: str.optional(),
    monitoring_tool: str.optional(),
    custom_fields: stringMap.optional(),
  })
  .superRefine((c, ctx) => {
    if (!c.routing_key) issue(ctx, 'missing Routing key in VictorOps config');
    atMostOne(ctx, c.api_key, c.api_key_file, 'api_key & api_key_file');
    for (const f of VICTOROPS_RESERVED)
      if (c.custom_fields && f in c.custom_fields)
        issue(
          ctx,
          `victorOps config contains custom field ${f} which cannot be used as it conflicts with the fixed/static fields`,
        );
  });

export const pushoverConfigSchema = z
  .strictObject({
    ...base,
    user_key: secret().optional(),
    user_key_file: str.optional(),
    token: secret().optional(),
    token_file: str.optional(),
    title: str.optional(),
    message: str.optional(),
    url: str.optional(),
    url_title: str.optional(),
    sound: str.optional(),
    priority: str.optional(),
    retry: duration().optional(),
    expire: duration().optional(),
    html: z.boolean().optional(),
  })
  .superRefine((c, ctx) => {
    if (!c.user_key && !c.user_key_file) issue(ctx, 'missing user key in Pushover config');
    atMostOne(ctx, c.user_key, c.user_key_file, 'user_key & user_key_file');
    if (!c.token && !c.token_file) issue(ctx, 'missing token in Pushover config');
    atMostOne(ctx, c.token, c.token_file, 'token & token_file');
  });

export const snsConfigSchema = z
  .strictObject({
    ...base,
    api_url: str.optional(),
    sigv4: z
      .strictObject({
        region: str.optional(),
        access_key: str.optional(),
        secret_key: secret().optional(),
        profile: str.optional(),
        role_arn: str.optional(),
      })
      .optional(),
    topic_arn: str.optional(),
    phone_number: str.optional(),
    target_arn: str.optional(),
    subject: str.optional(),
    message: str.optional(),
    attributes: stringMap.optional(),
  })
  .superRefine((c, ctx) => {
    // Alertmanager's condition, verbatim: (target == "") != (topic == "") != (phone == "").
    if ((!c.target_arn !== !c.topic_arn) !== !c.phone_number)
      issue(ctx, 'must provide either a Target ARN, Topic ARN, or Phone Number for SNS config');
    const s = c.sigv4 ?? {};
    if ((s.access_key === undefined) !== (s.secret_key === undefined))
      issue(
        ctx,
        'must provide a AWS SigV4 Access key and Secret Key if credentials are specified in the SigV4 config',
        ['sigv4'],
      );
    if (s.profile !== undefined || s.role_arn !== undefined)
      issue(
        ctx,
        'sigv4 profile and role_arn are not supported by vigil: give access_key and secret_key, or AWS_* environment variables',
        ['sigv4'],
      );
  });

export const wechatConfigSchema = z.strictObject({
  ...base,
  api_secret: secret().optional(),
  corp_id: str.optional(),
  message: str.optional(),
  api_url: str.optional(),
  to_user: str.optional(),
  to_party: str.optional(),
  to_tag: str.optional(),
  agent_id: str.optional(),
  message_type: z.enum(['text', 'markdown']).optional(),
});

/** The receiver keys these kinds add to `receivers[]`. */
export const newReceiverKinds = {
  telegram_configs: z.array(telegramConfigSchema).optional(),
  discord_configs: z.array(discordConfigSchema).optional(),
  msteams_configs: z.array(msteamsConfigSchema).optional(),
  webex_configs: z.array(webexConfigSchema).optional(),
  victorops_configs: z.array(victoropsConfigSchema).optional(),
  pushover_configs: z.array(pushoverConfigSchema).optional(),
  sns_configs: z.array(snsConfigSchema).optional(),
  wechat_configs: z.array(wechatConfigSchema).optional(),
};

type Global = Record<string, unknown>;
type Receiver = { [K in keyof typeof newReceiverKinds]?: z.infer<(typeof newReceiverKinds)[K]> };

/**
 * Alertmanager's checks of these kinds against `global:` (config.go, Config.UnmarshalYAML), and
 * of every `http_config` of the receiver (Prometheus's common config: unknown keys, a secret and
 * its file, two authentications), so `config check` reports what sending would refuse.
 */
export function checkNewReceivers(
  g: Global,
  r: Receiver,
  path: (string | number)[],
  report: IssueReporter,
): void {
  for (const [kind, list] of Object.entries(r as Record<string, unknown>)) {
    if (!kind.endsWith('_configs') || !Array.isArray(list)) continue;
    list.forEach((c: unknown, i) => {
      const h = (c as { http_config?: unknown } | null)?.http_config;
      try {
        parseHttpConfig(h, 'http_config');
      } catch (err) {
        report([...path, kind, i, 'http_config'], errorMessage(err));
      }
    });
  }
  (r.victorops_configs ?? []).forEach((v, i) => {
    if (!v.api_key && !v.api_key_file && !g.victorops_api_key && !g.victorops_api_key_file)
      report([...path, 'victorops_configs', i], 'no global VictorOps API Key set');
  });
  (r.wechat_configs ?? []).forEach((w, i) => {
    if (!w.api_secret && !g.wechat_api_secret)
      report([...path, 'wechat_configs', i], 'no global Wechat ApiSecret set');
    if (!w.corp_id && !g.wechat_api_corp_id)
      report([...path, 'wechat_configs', i], 'no global Wechat CorpID set');
  });
}
