import type { Templates } from '../template/index.js';
import type { HttpSender } from './http-client.js';
import type { Notifier, NotificationMessage } from './notifier.js';
import { postJson } from './notifier.js';
import { MSTEAMS_DEFAULTS as D } from './defaults.js';
import { defaultTemplates, escalated, Render } from './render.js';

export interface MsteamsOptions {
  webhookUrl: string;
  title?: string | undefined;
  text?: string | undefined;
  templates?: Templates | undefined;
  http?: HttpSender | undefined;
}

/**
 * Microsoft Teams incoming webhook, a legacy actionable MessageCard
 * (https://learn.microsoft.com/outlook/actionable-messages/message-card-reference), as
 * Alertmanager 0.26's notify/msteams builds it (0.25 has no Teams receiver).
 */
export function msteamsNotifier(opts: MsteamsOptions): Notifier {
  return {
    kind: 'msteams',
    async notify(msg: NotificationMessage, signal?: AbortSignal) {
      const r = new Render(opts.templates ?? defaultTemplates(), msg);
      let text = r.text(opts.text ?? D.text);
      if (msg.ackURL && msg.status === 'firing') text += `\n\n[Acknowledge](${msg.ackURL})`;
      const body = {
        '@context': 'http://schema.org/extensions',
        type: 'MessageCard',
        title: escalated(msg, r.text(opts.title ?? D.title)),
        text,
        themeColor: msg.status === 'firing' ? '8C1A1A' : '2DC72D',
      };
      return r.failed('msteams') ?? postJson(opts.webhookUrl, body, {}, signal, opts.http);
    },
  };
}
