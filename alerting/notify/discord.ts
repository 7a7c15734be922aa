import type { Templates } from '../template/index.js';
import type { HttpSender } from './http-client.js';
import type { Notifier, NotificationMessage } from './notifier.js';
import { postJson } from './notifier.js';
import { DISCORD_DEFAULTS as D } from './defaults.js';
import { defaultTemplates, escalated, Render } from './render.js';

export interface DiscordOptions {
  webhookUrl: string;
  title?: string | undefined;
  message?: string | undefined;
  templates?: Templates | undefined;
  http?: HttpSender | undefined;
}

// Alertmanager 0.25 notify/discord colours: red firing, green resolved.
const RED = 0x992d22;
const GREEN = 0x2ecc71;

/**
 * Discord webhook (https://discord.com/developers/docs/resources/webhook#execute-webhook) as
 * Alertmanager 0.25 builds it: one embed with the templated title and message as description.
 */
export function discordNotifier(opts: DiscordOptions): Notifier {
  return {
    kind: 'discord',
    async notify(msg: NotificationMessage, signal?: AbortSignal) {
      const r = new Render(opts.templates ?? defaultTemplates(), msg);
      let description = r.text(opts.message ?? D.message);
      if (msg.ackURL && msg.status === 'firing') description += `\n[Acknowledge](${msg.ackURL})`;
      const body = {
        content: '',
        embeds: [
          {
            title: escalated(msg, r.text(opts.title ?? D.title)),
            description,
            color: msg.status === 'firing' ? RED : GREEN,
          },
        ],
      };
      return r.failed('discord') ?? postJson(opts.webhookUrl, body, {}, signal, opts.http);
    },
  };
}
