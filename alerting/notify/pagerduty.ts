import type { Notifier, NotificationMessage } from './notifier.js';
import { hashKey, postJson, summaryLine } from './notifier.js';

export interface PagerdutyOptions {
  routingKey: string;
  url?: string | undefined;
  client?: string | undefined;
  clientUrl?: string | undefined;
  severity?: string | undefined;
  source?: string | undefined;
  component?: string | undefined;
  group?: string | undefined;
  class?: string | undefined;
  details?: Record<string, string> | undefined;
}

/**
 * PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/):
 * `trigger` while firing, `acknowledge` when acknowledged in vigil, `resolve` when resolved; the
 * dedup key is the sha256 of the group key, as Alertmanager, so PagerDuty itself folds a resend
 * after a crash into the open incident.
 */
export function pagerdutyNotifier(opts: PagerdutyOptions): Notifier {
  const url = opts.url ?? 'https://events.pagerduty.com/v2/enqueue';
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
        body.payload = {
          summary: summaryLine(msg).slice(0, 1024),
          source: opts.source ?? opts.client ?? 'vigil',
          severity: opts.severity ?? msg.commonLabels.severity ?? 'error',
          component: opts.component,
          group: opts.group,
          class: opts.class,
          custom_details: {
            firing: msg.alerts.filter((a) => a.status === 'firing').map((a) => a.labels),
            num_firing: msg.alerts.filter((a) => a.status === 'firing').length,
            ...opts.details,
          },
        };
        body.client = opts.client ?? 'vigil';
        body.client_url = opts.clientUrl ?? msg.externalURL;
        if (msg.ackURL) body.links = [{ href: msg.ackURL, text: 'Acknowledge in vigil' }];
      }
      return postJson(url, body, { 'x-vigil-notification-id': msg.id }, signal);
    },
  };
}
