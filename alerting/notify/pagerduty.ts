import type { Templates } from '../template/index.js';
import type { HttpSender } from './http-client.js';
import type { Notifier, NotificationMessage } from './notifier.js';
import { hashKey, postJson } from './notifier.js';
import { PAGERDUTY_DEFAULTS as D } from './defaults.js';
import { defaultTemplates, escalated, Render, truncateRunes } from './render.js';

export interface PagerdutyOptions {
  routingKey: string;
  url?: string | undefined;
  client?: string | undefined;
  clientUrl?: string | undefined;
  description?: string | undefined;
  severity?: string | undefined;
  source?: string | undefined;
  component?: string | undefined;
  group?: string | undefined;
  class?: string | undefined;
  details?: Record<string, string> | undefined;
  links?: { href: string; text?: string | undefined }[] | undefined;
  images?: { src: string; alt?: string | undefined; href?: string | undefined }[] | undefined;
  templates?: Templates | undefined;
  /** The receiver's http_config applied (absent: vigil's shared sender). */
  http?: HttpSender | undefined;
}

/**
 * PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/):
 * `trigger` while firing, `acknowledge` when acknowledged in vigil, `resolve` when resolved; the
 * dedup key is the sha256 of the group key, as Alertmanager, so PagerDuty itself folds a resend
 * after a crash into the open incident. Fields are templates with Alertmanager 0.25's defaults
 * (notify/pagerduty notifyV2): summary from `description` (1024 runes), severity `error`,
 * source = client, the four default details merged under the configured ones.
 */
export function pagerdutyNotifier(opts: PagerdutyOptions): Notifier {
  const url = opts.url ?? 'https://events.pagerduty.com/v2/enqueue';
  const client = opts.client ?? D.client;
  const details = { ...D.details, ...opts.details };
  return {
    kind: 'pagerduty',
    notify(msg: NotificationMessage, signal?: AbortSignal) {
      const dedupKey = hashKey(msg.groupKey);
      const action = msg.kind === 'ack' ? 'acknowledge' : msg.status === 'resolved' ? 'resolve' : 'trigger';
      const body: Record<string, unknown> = {
        routing_key: opts.routingKey,
        event_action: action,
        dedup_key: dedupKey,
      };
      if (action === 'trigger') {
        const r = new Render(opts.templates ?? defaultTemplates(), msg);
        const custom = Object.fromEntries(Object.entries(details).map(([k, v]) => [k, r.text(v)]));
        body.payload = {
          summary: truncateRunes(escalated(msg, r.text(opts.description ?? D.description)), 1024),
          source: r.text(opts.source || client),
          severity: r.text(opts.severity || D.severity),
          custom_details: custom,
          class: r.text(opts.class) || undefined,
          component: r.text(opts.component) || undefined,
          group: r.text(opts.group) || undefined,
        };
        body.client = r.text(client);
        body.client_url = r.text(opts.clientUrl ?? D.clientUrl);
        const links = (opts.links ?? [])
          .map((l) => ({ href: r.text(l.href), text: r.text(l.text) }))
          .filter((l) => l.href !== '');
        if (msg.ackURL) links.push({ href: msg.ackURL, text: 'Acknowledge in vigil' });
        if (links.length > 0) body.links = links;
        const images = (opts.images ?? [])
          .map((i) => ({ src: r.text(i.src), alt: r.text(i.alt), href: r.text(i.href) }))
          .filter((i) => i.src !== '');
        if (images.length > 0) body.images = images;
        const failed = r.failed('pagerduty');
        if (failed) return Promise.resolve(failed);
      }
      return postJson(url, body, { 'x-vigil-notification-id': msg.id }, signal, opts.http);
    },
  };
}
