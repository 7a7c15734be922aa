import type { Notifier, NotificationMessage } from './notifier.js';
import { hashKey, postJson, summaryLine } from './notifier.js';

export interface OpsgenieOptions {
  apiKey: string;
  apiUrl?: string | undefined;
  priority?: string | undefined;
  source?: string | undefined;
  tags?: string | undefined;
  responders?:
    | { id?: string | undefined; name?: string | undefined; username?: string | undefined; type: string }[]
    | undefined;
}

/**
 * Opsgenie Alert API v2 (https://docs.opsgenie.com/docs/alert-api): create with the alias of the
 * group key (Opsgenie deduplicates open alerts by alias), acknowledge and close by alias.
 */
export function opsgenieNotifier(opts: OpsgenieOptions): Notifier {
  const base = (opts.apiUrl ?? 'https://api.opsgenie.com/').replace(/\/?$/, '/');
  const headers = { authorization: `GenieKey ${opts.apiKey}` };
  return {
    kind: 'opsgenie',
    notify(msg: NotificationMessage, signal?: AbortSignal) {
      const alias = hashKey(msg.groupKey);
      const q = `?identifierType=alias`;
      if (msg.kind === 'ack') {
        return postJson(
          `${base}v2/alerts/${alias}/acknowledge${q}`,
          { user: msg.ackedBy, source: 'vigil' },
          headers,
          signal,
        );
      }
      if (msg.status === 'resolved') {
        return postJson(`${base}v2/alerts/${alias}/close${q}`, { source: 'vigil' }, headers, signal);
      }
      const body = {
        alias,
        message: summaryLine(msg).slice(0, 130),
        description: msg.alerts
          .map(
            (a) => `${a.labels.alertname ?? ''} ${JSON.stringify(a.labels)} ${a.annotations.summary ?? ''}`,
          )
          .join('\n')
          .slice(0, 15000),
        source: opts.source ?? msg.externalURL,
        details: {
          ...msg.commonLabels,
          vigil_group_id: msg.groupId,
          ...(msg.ackURL ? { ack_url: msg.ackURL } : {}),
        },
        tags: opts.tags ? opts.tags.split(',').map((t) => t.trim()) : undefined,
        responders: opts.responders,
        priority: opts.priority,
      };
      return postJson(`${base}v2/alerts`, body, headers, signal);
    },
  };
}
