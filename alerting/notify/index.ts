export type { Notifier, NotificationMessage, NotifyResult, ApiAlert } from './notifier.js';
export { hashKey, classifyStatus, warmHttpSender } from './notifier.js';
export { buildIntegrations, type Integration } from './registry.js';
export { webhookNotifier } from './webhook.js';
export { pagerdutyNotifier } from './pagerduty.js';
export { opsgenieNotifier } from './opsgenie.js';
export { slackNotifier } from './slack.js';
export { emailNotifier } from './email.js';
