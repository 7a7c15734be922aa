import { z } from 'zod';
import { duration, secret, namedTimeIntervalSchema, MIN_KEY_BYTES } from '../core/index.js';
import { amHttpConfigSchema, amTlsConfigSchema } from './am-http-config.js';
import { newReceiverKinds } from './am-schema-receivers.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Bounds vigil puts on Alertmanager's durations (Alertmanager has none): each value becomes a
// timer or a timestamp offset, and beyond these it is a typo, not a policy (docs/alerting.md).
// group_interval and repeat_interval of 0 are Alertmanager's own error and keep its message.
const BOUNDS = {
  group_wait: { max: DAY },
  group_interval: { max: 7 * DAY },
  repeat_interval: { max: 365 * DAY },
  resolve_timeout: { max: 7 * DAY },
  escalation_after: { max: 7 * DAY },
  retry_initial: { min: 10, max: HOUR },
  retry_max: { min: 10, max: DAY },
} as const;

// Alertmanager 0.25's configuration file (config/config.go, config/notifiers.go), strict as its
// own loader (yaml.UnmarshalStrict): unknown keys are errors. vigil-only keys are marked.

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'is not a valid label name');
const stringMap = z.record(z.string(), z.string());
/** Prometheus common HTTP client config, strict (alerting/am-http-config.ts). */
const httpConfig = amHttpConfigSchema;
const tlsConfig = amTlsConfigSchema;

const base = { send_resolved: z.boolean().optional(), http_config: httpConfig.optional() };

export const webhookConfigSchema = z.strictObject({
  ...base,
  url: z.string().optional(),
  url_file: z.string().optional(),
  max_alerts: z.number().int().min(0).optional(),
});

const linkSchema = z.strictObject({ href: z.string(), text: z.string().optional() });
export const pagerdutyConfigSchema = z.strictObject({
  ...base,
  routing_key: secret().optional(),
  routing_key_file: z.string().optional(),
  service_key: secret().optional(),
  service_key_file: z.string().optional(),
  url: z.string().optional(),
  client: z.string().optional(),
  client_url: z.string().optional(),
  description: z.string().optional(),
  details: stringMap.optional(),
  images: z
    .array(z.strictObject({ src: z.string(), alt: z.string().optional(), href: z.string().optional() }))
    .optional(),
  links: z.array(linkSchema).optional(),
  source: z.string().optional(),
  severity: z.string().optional(),
  class: z.string().optional(),
  component: z.string().optional(),
  group: z.string().optional(),
});

const responder = z.strictObject({
  id: z.string().optional(),
  name: z.string().optional(),
  username: z.string().optional(),
  type: z.string(),
});
export const opsgenieConfigSchema = z.strictObject({
  ...base,
  api_key: secret().optional(),
  api_key_file: z.string().optional(),
  api_url: z.string().optional(),
  message: z.string().optional(),
  description: z.string().optional(),
  source: z.string().optional(),
  details: stringMap.optional(),
  entity: z.string().optional(),
  responders: z.array(responder).optional(),
  actions: z.string().optional(),
  tags: z.string().optional(),
  note: z.string().optional(),
  priority: z.string().optional(),
  update_alerts: z.boolean().optional(),
});

export const slackConfigSchema = z.strictObject({
  ...base,
  api_url: secret().optional(),
  api_url_file: z.string().optional(),
  channel: z.string().optional(),
  username: z.string().optional(),
  color: z.string().optional(),
  title: z.string().optional(),
  title_link: z.string().optional(),
  pretext: z.string().optional(),
  text: z.string().optional(),
  fields: z
    .array(z.strictObject({ title: z.string(), value: z.string(), short: z.boolean().optional() }))
    .optional(),
  short_fields: z.boolean().optional(),
  footer: z.string().optional(),
  fallback: z.string().optional(),
  callback_id: z.string().optional(),
  icon_emoji: z.string().optional(),
  icon_url: z.string().optional(),
  image_url: z.string().optional(),
  thumb_url: z.string().optional(),
  link_names: z.boolean().optional(),
  mrkdwn_in: z.array(z.string()).optional(),
  actions: z.array(z.record(z.string(), z.unknown())).optional(),
});

export const emailConfigSchema = z.strictObject({
  send_resolved: z.boolean().optional(),
  to: z.string().optional(),
  from: z.string().optional(),
  hello: z.string().optional(),
  smarthost: z.string().optional(),
  auth_username: z.string().optional(),
  auth_password: secret().optional(),
  auth_password_file: z.string().optional(),
  auth_secret: secret().optional(),
  auth_identity: z.string().optional(),
  headers: stringMap.optional(),
  html: z.string().optional(),
  text: z.string().optional(),
  require_tls: z.boolean().optional(),
  tls_config: tlsConfig.optional(),
});

/**
 * Receiver kinds of later Alertmanager versions that vigil does not send to: a config error naming
 * the kind, never a silent drop.
 */
export const UNSUPPORTED_RECEIVER_KINDS = [
  'msteamsv2_configs',
  'jira_configs',
  'rocketchat_configs',
  'incidentio_configs',
] as const;

export const receiverSchema = z.strictObject({
  name: z.string().min(1, 'receiver name must not be empty'),
  webhook_configs: z.array(webhookConfigSchema).optional(),
  pagerduty_configs: z.array(pagerdutyConfigSchema).optional(),
  opsgenie_configs: z.array(opsgenieConfigSchema).optional(),
  slack_configs: z.array(slackConfigSchema).optional(),
  email_configs: z.array(emailConfigSchema).optional(),
  ...newReceiverKinds,
  ...Object.fromEntries(
    UNSUPPORTED_RECEIVER_KINDS.map((k) => [
      k,
      z
        .unknown()
        .refine(
          () => false,
          `receiver kind ${k} is not supported by vigil (Alertmanager 0.25's kinds and msteams_configs are)`,
        )
        .optional(),
    ]),
  ),
});

/** A route as written in the file (before inheritance). `escalation` is a vigil extension. */
export interface RouteInput {
  receiver?: string | undefined;
  group_by?: string[] | undefined;
  continue?: boolean | undefined;
  match?: Record<string, string> | undefined;
  match_re?: Record<string, string> | undefined;
  matchers?: string[] | undefined;
  group_wait?: number | undefined;
  group_interval?: number | undefined;
  repeat_interval?: number | undefined;
  mute_time_intervals?: string[] | undefined;
  active_time_intervals?: string[] | undefined;
  routes?: RouteInput[] | undefined;
  escalation?: { after: number; receiver: string }[] | undefined;
}

export const routeSchema: z.ZodType<RouteInput> = z.lazy(() =>
  z.strictObject({
    receiver: z.string().optional(),
    group_by: z.array(z.string()).optional(),
    continue: z.boolean().optional(),
    match: z.record(labelName, z.string()).optional(),
    match_re: z.record(labelName, z.string()).optional(),
    matchers: z.array(z.string()).optional(),
    group_wait: duration(BOUNDS.group_wait).optional(),
    group_interval: duration(BOUNDS.group_interval).optional(),
    repeat_interval: duration(BOUNDS.repeat_interval).optional(),
    mute_time_intervals: z.array(z.string()).optional(),
    active_time_intervals: z.array(z.string()).optional(),
    routes: z.array(routeSchema).optional(),
    escalation: z
      .array(z.strictObject({ after: duration(BOUNDS.escalation_after), receiver: z.string() }))
      .min(1)
      .optional(),
  }),
) as unknown as z.ZodType<RouteInput>;

export const inhibitRuleSchema = z.strictObject({
  source_match: stringMap.optional(),
  source_match_re: stringMap.optional(),
  source_matchers: z.array(z.string()).optional(),
  target_match: stringMap.optional(),
  target_match_re: stringMap.optional(),
  target_matchers: z.array(z.string()).optional(),
  equal: z.array(labelName).optional(),
});

export const globalSchema = z.strictObject({
  resolve_timeout: duration(BOUNDS.resolve_timeout).optional(),
  http_config: httpConfig.optional(),
  smtp_from: z.string().optional(),
  smtp_hello: z.string().optional(),
  smtp_smarthost: z.string().optional(),
  smtp_auth_username: z.string().optional(),
  smtp_auth_password: secret().optional(),
  smtp_auth_password_file: z.string().optional(),
  smtp_auth_secret: secret().optional(),
  smtp_auth_identity: z.string().optional(),
  smtp_require_tls: z.boolean().optional(),
  slack_api_url: secret().optional(),
  slack_api_url_file: z.string().optional(),
  pagerduty_url: z.string().optional(),
  opsgenie_api_url: z.string().optional(),
  opsgenie_api_key: secret().optional(),
  opsgenie_api_key_file: z.string().optional(),
  victorops_api_url: z.string().optional(),
  victorops_api_key: secret().optional(),
  victorops_api_key_file: z.string().optional(),
  wechat_api_url: z.string().optional(),
  wechat_api_secret: secret().optional(),
  wechat_api_corp_id: z.string().optional(),
  telegram_api_url: z.string().optional(),
  webex_api_url: z.string().optional(),
});

/** A named time interval in Alertmanager syntax; the ranges are validated by core/time. */
export const namedIntervalSchema = namedTimeIntervalSchema;

/** vigil's own keys under `alerting.vigil` (absent from Alertmanager files). */
export const vigilExtensionSchema = z.strictObject({
  fallback_receiver: z.string().optional(),
  external_url: z.string().optional(),
  /** HMAC-SHA256 key of the signed acknowledgement links: at least 32 bytes. */
  ack_secret: secret({ minBytes: MIN_KEY_BYTES }).optional(),
  /** How long a signed acknowledgement link works (it also ends with its firing episode, and works once). */
  ack_link_ttl: duration({ min: 60_000, max: 30 * 86_400_000 }).default(86_400_000),
  /** After this many consecutive failed attempts a "notifications failing" alert is raised. */
  failing_after_attempts: z.number().int().min(1).default(5),
  max_attempts: z.number().int().min(1).default(50),
  retry_initial: duration(BOUNDS.retry_initial).default(1000),
  retry_max: duration(BOUNDS.retry_max).default(60_000),
});

export const alertmanagerConfigSchema = z.strictObject({
  global: globalSchema.optional(),
  route: routeSchema,
  receivers: z.array(receiverSchema).optional(),
  inhibit_rules: z.array(inhibitRuleSchema).optional(),
  time_intervals: z.array(namedIntervalSchema).optional(),
  mute_time_intervals: z.array(namedIntervalSchema).optional(),
  templates: z.array(z.string()).optional(),
  vigil: vigilExtensionSchema.optional(),
});

export type AlertmanagerConfig = z.infer<typeof alertmanagerConfigSchema>;
export type ReceiverConfig = z.infer<typeof receiverSchema>;
export type InhibitRuleConfig = z.infer<typeof inhibitRuleSchema>;
export type GlobalConfig = z.infer<typeof globalSchema>;
export type VigilExtension = z.infer<typeof vigilExtensionSchema>;
