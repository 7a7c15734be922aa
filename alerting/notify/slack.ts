import type { Notifier, NotificationMessage } from './notifier.js';
import { postJson, summaryLine } from './notifier.js';

/** Slack incoming webhook (https://api.slack.com/messaging/webhooks), one attachment per message. */
export function slackNotifier(opts: {
  apiUrl: string;
  channel?: string | undefined;
  username?: string | undefined;
  iconEmoji?: string | undefined;
}): Notifier {
  return {
    kind: 'slack',
    notify(msg: NotificationMessage, signal?: AbortSignal) {
      const lines = msg.alerts.map(
        (a) =>
          `• ${a.status === 'firing' ? '🔥' : '✅'} ${a.annotations.summary ?? a.labels.alertname ?? ''} ${JSON.stringify(a.labels)}`,
      );
      if (msg.ackURL && msg.status === 'firing') lines.push(`<${msg.ackURL}|Acknowledge>`);
      const body = {
        channel: opts.channel,
        username: opts.username ?? 'vigil',
        icon_emoji: opts.iconEmoji,
        attachments: [
          {
            title: summaryLine(msg),
            text: lines.join('\n'),
            color: msg.status === 'firing' ? 'danger' : 'good',
            fallback: summaryLine(msg),
            footer: `vigil ${msg.groupId}`,
          },
        ],
      };
      return postJson(opts.apiUrl, body, {}, signal);
    },
  };
}
