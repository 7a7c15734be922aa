import type { Templates } from '../template/index.js';
import type { HttpSender } from './http-client.js';
import type { Notifier, NotificationMessage } from './notifier.js';
import { postJson } from './notifier.js';
import { WEBEX_DEFAULTS as D } from './defaults.js';
import { defaultTemplates, Render, truncateBytes } from './render.js';

export interface WebexOptions {
  apiUrl?: string | undefined;
  roomId: string;
  message?: string | undefined;
  templates?: Templates | undefined;
  /** Carries the required `http_config.authorization` (the bot's access token). */
  http?: HttpSender | undefined;
}

/**
 * Webex Messages API (https://developer.webex.com/docs/api/v1/messages/create-a-message) as
 * Alertmanager 0.25 sends it: `{markdown, roomId}`, the message cut to 7439 bytes; the bot token
 * is the receiver's http_config authorization.
 */
export function webexNotifier(opts: WebexOptions): Notifier {
  const url = opts.apiUrl ?? 'https://webexapis.com/v1/messages';
  return {
    kind: 'webex',
    async notify(msg: NotificationMessage, signal?: AbortSignal) {
      const r = new Render(opts.templates ?? defaultTemplates(), msg);
      let markdown = r.text(opts.message ?? D.message);
      if (msg.ackURL && msg.status === 'firing') markdown += `\n[Acknowledge](${msg.ackURL})`;
      const body = { markdown: truncateBytes(markdown, 7439), roomId: opts.roomId || undefined };
      return r.failed('webex') ?? postJson(url, body, {}, signal, opts.http);
    },
  };
}
