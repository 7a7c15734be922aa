import type { Templates } from '../template/index.js';
import type { HttpSender } from './http-client.js';
import type { Notifier, NotificationMessage } from './notifier.js';
import { postJson } from './notifier.js';
import { SLACK_DEFAULTS as D } from './defaults.js';
import { defaultTemplates, escalated, Render, truncateRunes } from './render.js';

export interface SlackField {
  title: string;
  value: string;
  short?: boolean | undefined;
}

export interface SlackOptions {
  apiUrl: string;
  channel?: string | undefined;
  username?: string | undefined;
  iconEmoji?: string | undefined;
  iconUrl?: string | undefined;
  color?: string | undefined;
  title?: string | undefined;
  titleLink?: string | undefined;
  pretext?: string | undefined;
  text?: string | undefined;
  fields?: SlackField[] | undefined;
  shortFields?: boolean | undefined;
  footer?: string | undefined;
  fallback?: string | undefined;
  callbackId?: string | undefined;
  imageUrl?: string | undefined;
  thumbUrl?: string | undefined;
  linkNames?: boolean | undefined;
  mrkdwnIn?: string[] | undefined;
  actions?: Record<string, unknown>[] | undefined;
  templates?: Templates | undefined;
  /** The receiver's http_config applied (absent: vigil's shared sender). */
  http?: HttpSender | undefined;
}

/**
 * Slack incoming webhook (https://api.slack.com/messaging/webhooks), one attachment, every field
 * a template with Alertmanager 0.25's defaults (notify/slack): title 1024 runes. vigil appends
 * the acknowledgement link to the text while firing.
 */
export function slackNotifier(opts: SlackOptions): Notifier {
  return {
    kind: 'slack',
    notify(msg: NotificationMessage, signal?: AbortSignal) {
      const r = new Render(opts.templates ?? defaultTemplates(), msg);
      const t = r.text;
      let text = t(opts.text ?? D.text);
      if (msg.ackURL && msg.status === 'firing') text += `${text ? '\n' : ''}<${msg.ackURL}|Acknowledge>`;
      const att: Record<string, unknown> = {
        title: truncateRunes(escalated(msg, t(opts.title ?? D.title)), 1024),
        title_link: t(opts.titleLink ?? D.titleLink),
        pretext: t(opts.pretext ?? D.pretext),
        text,
        fallback: t(opts.fallback ?? D.fallback),
        callback_id: t(opts.callbackId ?? D.callbackId),
        image_url: t(opts.imageUrl),
        thumb_url: t(opts.thumbUrl),
        footer: t(opts.footer ?? D.footer),
        color: t(opts.color ?? D.color),
        mrkdwn_in: opts.mrkdwnIn?.length ? opts.mrkdwnIn : ['fallback', 'pretext', 'text'],
      };
      if (opts.fields?.length)
        att.fields = opts.fields.map((f) => ({
          title: t(f.title),
          value: t(f.value),
          short: f.short ?? opts.shortFields ?? false,
        }));
      if (opts.actions?.length)
        att.actions = opts.actions.map((a) =>
          Object.fromEntries(
            Object.entries(a).map(([k, v]) => [
              k,
              typeof v === 'string'
                ? t(v)
                : v && typeof v === 'object'
                  ? Object.fromEntries(Object.entries(v).map(([ck, cv]) => [ck, t(String(cv))]))
                  : v,
            ]),
          ),
        );
      const body = {
        channel: t(opts.channel) || undefined,
        username: t(opts.username ?? D.username),
        icon_emoji: t(opts.iconEmoji ?? D.iconEmoji) || undefined,
        icon_url: t(opts.iconUrl ?? D.iconUrl) || undefined,
        link_names: opts.linkNames || undefined,
        attachments: [att],
      };
      const failed = r.failed('slack');
      if (failed) return Promise.resolve(failed);
      return postJson(opts.apiUrl, body, {}, signal, opts.http);
    },
  };
}
