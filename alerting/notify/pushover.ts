import type { Templates } from '../template/index.js';
import type { HttpSender } from './http-client.js';
import type { Notifier, NotificationMessage } from './notifier.js';
import { postBody } from './notifier.js';
import { PUSHOVER_DEFAULTS as D } from './defaults.js';
import { defaultTemplates, escalated, Render, truncateRunes } from './render.js';

export interface PushoverOptions {
  userKey: string;
  token: string;
  apiUrl?: string | undefined;
  title?: string | undefined;
  message?: string | undefined;
  url?: string | undefined;
  urlTitle?: string | undefined;
  sound?: string | undefined;
  priority?: string | undefined;
  retrySeconds?: number | undefined;
  expireSeconds?: number | undefined;
  html?: boolean | undefined;
  templates?: Templates | undefined;
  http?: HttpSender | undefined;
}

/**
 * Pushover Message API (https://pushover.net/api) as Alertmanager 0.25 sends it: every parameter
 * in the query string of a POST to messages.json (title 250 runes, message 1024 runes trimmed,
 * "(no details)" when empty, url 512 runes), priority 2 (emergency, with retry and expire) while
 * firing and 0 when resolved by default.
 */
export function pushoverNotifier(opts: PushoverOptions): Notifier {
  const api = opts.apiUrl ?? 'https://api.pushover.net/1/messages.json';
  return {
    kind: 'pushover',
    async notify(msg: NotificationMessage, signal?: AbortSignal) {
      const r = new Render(opts.templates ?? defaultTemplates(), msg);
      const t = r.text;
      const p = new URLSearchParams();
      p.append('token', t(opts.token));
      p.append('user', t(opts.userKey));
      p.append('title', truncateRunes(escalated(msg, t(opts.title ?? D.title)), 250));
      if (opts.html) p.append('html', '1');
      let message = (opts.html ? r.html : t)(opts.message ?? D.message);
      if (msg.ackURL && msg.status === 'firing') message = `${message.trimEnd()}\nAcknowledge: ${msg.ackURL}`;
      message = truncateRunes(message, 1024).trim() || '(no details)';
      p.append('message', message);
      p.append('url', truncateRunes(t(opts.url ?? D.url), 512));
      p.append('url_title', t(opts.urlTitle));
      p.append('priority', t(opts.priority ?? D.priority));
      p.append('retry', String(opts.retrySeconds ?? D.retrySeconds));
      p.append('expire', String(opts.expireSeconds ?? D.expireSeconds));
      p.append('sound', t(opts.sound));
      const failed = r.failed('pushover');
      if (failed) return failed;
      // Go's url.Values.Encode sorts by key.
      p.sort();
      return postBody(`${api}?${p.toString()}`, '', { 'content-type': 'text/plain' }, signal, opts.http);
    },
  };
}
