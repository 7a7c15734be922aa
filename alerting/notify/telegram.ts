import type { Templates } from '../template/index.js';
import type { HttpSender } from './http-client.js';
import type { Notifier, NotificationMessage } from './notifier.js';
import { postJson } from './notifier.js';
import { TELEGRAM_DEFAULTS as D } from './defaults.js';
import { defaultTemplates, Render, truncateRunes } from './render.js';

export interface TelegramOptions {
  botToken: string;
  chatId: number;
  apiUrl?: string | undefined;
  message?: string | undefined;
  parseMode?: string | undefined;
  disableNotifications?: boolean | undefined;
  templates?: Templates | undefined;
  http?: HttpSender | undefined;
}

/**
 * Telegram Bot API sendMessage (https://core.telegram.org/bots/api#sendmessage), as Alertmanager
 * 0.25 sends it through telebot: POST {api_url}/bot{token}/sendMessage with string parameters,
 * the message (4096 runes) rendered as HTML when parse_mode is HTML (its default), link previews
 * off. Telegram answers errors with a 4xx/5xx status and `{"ok":false,...}`.
 */
export function telegramNotifier(opts: TelegramOptions): Notifier {
  const base = (opts.apiUrl ?? 'https://api.telegram.org').replace(/\/$/, '');
  const parseMode = opts.parseMode ?? D.parseMode;
  return {
    kind: 'telegram',
    async notify(msg: NotificationMessage, signal?: AbortSignal) {
      const r = new Render(opts.templates ?? defaultTemplates(), msg);
      const render = parseMode === 'HTML' ? r.html : r.text;
      const text = truncateRunes(render(opts.message ?? D.message), 4096);
      const failed = r.failed('telegram');
      if (failed) return failed;
      const body: Record<string, string> = {
        chat_id: String(opts.chatId),
        text,
        disable_web_page_preview: 'true',
      };
      if (parseMode) body.parse_mode = parseMode;
      if (opts.disableNotifications) body.disable_notification = 'true';
      return postJson(`${base}/bot${opts.botToken}/sendMessage`, body, {}, signal, opts.http);
    },
  };
}
