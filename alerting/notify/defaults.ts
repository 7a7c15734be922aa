// Alertmanager 0.25's default values of templated receiver fields (config/notifiers.go, the
// Default*Config variables), applied where a config leaves a field out. msteams_configs comes from
// Alertmanager 0.26 (it is not in 0.25).

const tpl = (name: string) => `{{ template "${name}" . }}`;

export const PAGERDUTY_DEFAULTS = {
  description: `{{ template "pagerduty.default.description" .}}`,
  client: tpl('pagerduty.default.client'),
  clientUrl: tpl('pagerduty.default.clientURL'),
  severity: 'error',
  details: {
    firing: `{{ template "pagerduty.default.instances" .Alerts.Firing }}`,
    resolved: `{{ template "pagerduty.default.instances" .Alerts.Resolved }}`,
    num_firing: `{{ .Alerts.Firing | len }}`,
    num_resolved: `{{ .Alerts.Resolved | len }}`,
  } as Record<string, string>,
};

export const SLACK_DEFAULTS = {
  color: `{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}`,
  username: tpl('slack.default.username'),
  title: tpl('slack.default.title'),
  titleLink: tpl('slack.default.titlelink'),
  iconEmoji: tpl('slack.default.iconemoji'),
  iconUrl: tpl('slack.default.iconurl'),
  pretext: tpl('slack.default.pretext'),
  text: tpl('slack.default.text'),
  fallback: tpl('slack.default.fallback'),
  callbackId: tpl('slack.default.callbackid'),
  footer: tpl('slack.default.footer'),
};

export const OPSGENIE_DEFAULTS = {
  message: tpl('opsgenie.default.message'),
  description: tpl('opsgenie.default.description'),
  source: tpl('opsgenie.default.source'),
};

export const EMAIL_DEFAULTS = {
  html: tpl('email.default.html'),
  text: '',
  subject: tpl('email.default.subject'),
};

export const WECHAT_DEFAULTS = {
  message: tpl('wechat.default.message'),
  toUser: tpl('wechat.default.to_user'),
  toParty: tpl('wechat.default.to_party'),
  toTag: tpl('wechat.default.to_tag'),
  agentId: tpl('wechat.default.agent_id'),
};

export const VICTOROPS_DEFAULTS = {
  messageType: 'CRITICAL',
  stateMessage: tpl('victorops.default.state_message'),
  entityDisplayName: tpl('victorops.default.entity_display_name'),
  monitoringTool: tpl('victorops.default.monitoring_tool'),
};

export const PUSHOVER_DEFAULTS = {
  title: tpl('pushover.default.title'),
  message: tpl('pushover.default.message'),
  url: tpl('pushover.default.url'),
  priority: `{{ if eq .Status "firing" }}2{{ else }}0{{ end }}`,
  retrySeconds: 60,
  expireSeconds: 3600,
};

export const SNS_DEFAULTS = { subject: tpl('sns.default.subject'), message: tpl('sns.default.message') };
export const TELEGRAM_DEFAULTS = { message: tpl('telegram.default.message'), parseMode: 'HTML' };
export const DISCORD_DEFAULTS = {
  title: tpl('discord.default.title'),
  message: tpl('discord.default.message'),
};
export const WEBEX_DEFAULTS = { message: tpl('webex.default.message') };
export const MSTEAMS_DEFAULTS = { title: tpl('msteams.default.title'), text: tpl('msteams.default.text') };
