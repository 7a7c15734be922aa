import type { Templates } from '../template/index.js';
import type { HttpSender } from './http-client.js';
import type { Notifier, NotificationMessage } from './notifier.js';
import { hashKey, postJson } from './notifier.js';
import { OPSGENIE_DEFAULTS as D } from './defaults.js';
import { defaultTemplates, escalated, Render, truncateRunes } from './render.js';

export interface OpsgenieOptions {
  apiKey: string;
  apiUrl?: string | undefined;
  message?: string | undefined;
  description?: string | undefined;
  priority?: string | undefined;
  source?: string | undefined;
  tags?: string | undefined;
  note?: string | undefined;
  entity?: string | undefined;
  actions?: string | undefined;
  details?: Record<string, string> | undefined;
  responders?:
    | { id?: string | undefined; name?: string | undefined; username?: string | undefined; type: string }[]
    | undefined;
  templates?: Templates | undefined;
  /** The receiver's http_config applied (absent: vigil's shared sender). */
  http?: HttpSender | undefined;
}

/** Go's safeSplit: an empty string is no items, otherwise split and trim. */
const safeSplit = (s: string) => (s.trim() === '' ? undefined : s.split(',').map((x) => x.trim()));

/**
 * Opsgenie Alert API v2 (https://docs.opsgenie.com/docs/alert-api): create with the alias of the
 * group key (Opsgenie deduplicates open alerts by alias), acknowledge and close by alias. Fields
 * are templates with Alertmanager 0.25's defaults (notify/opsgenie): message 130 runes, details =
 * common labels overlaid by the configured details, `teams` responders split into teams.
 */
export function opsgenieNotifier(opts: OpsgenieOptions): Notifier {
  const base = (opts.apiUrl ?? 'https://api.opsgenie.com/').replace(/\/?$/, '/');
  const headers = { authorization: `GenieKey ${opts.apiKey}` };
  return {
    kind: 'opsgenie',
    async notify(msg: NotificationMessage, signal?: AbortSignal) {
      const alias = hashKey(msg.groupKey);
      const q = `?identifierType=alias`;
      if (msg.kind === 'ack') {
        return postJson(
          `${base}v2/alerts/${alias}/acknowledge${q}`,
          { user: msg.ackedBy, source: 'vigil' },
          headers,
          signal,
          opts.http,
        );
      }
      const r = new Render(opts.templates ?? defaultTemplates(), msg);
      const t = r.text;
      if (msg.status === 'resolved') {
        const source = t(opts.source ?? D.source);
        return (
          r.failed('opsgenie') ??
          postJson(`${base}v2/alerts/${alias}/close${q}`, { source }, headers, signal, opts.http)
        );
      }
      const responders = (opts.responders ?? []).flatMap((x) => {
        const one = { id: t(x.id), name: t(x.name), username: t(x.username), type: t(x.type) };
        if (!one.id && !one.name && !one.username && !one.type) return [];
        if (one.type === 'teams') return (safeSplit(one.name) ?? []).map((n) => ({ name: n, type: 'team' }));
        return [Object.fromEntries(Object.entries(one).filter(([, v]) => v !== ''))];
      });
      const details: Record<string, string> = { ...msg.commonLabels };
      for (const [k, v] of Object.entries(opts.details ?? {})) details[k] = t(v);
      details.vigil_group_id = msg.groupId;
      if (msg.ackURL) details.ack_url = msg.ackURL;
      const body = {
        alias,
        message: truncateRunes(escalated(msg, t(opts.message ?? D.message)), 130),
        description: t(opts.description ?? D.description),
        details,
        source: t(opts.source ?? D.source),
        responders: responders.length ? responders : undefined,
        tags: safeSplit(t(opts.tags)),
        note: t(opts.note) || undefined,
        priority: t(opts.priority) || undefined,
        entity: t(opts.entity) || undefined,
        actions: safeSplit(t(opts.actions)),
      };
      return r.failed('opsgenie') ?? postJson(`${base}v2/alerts`, body, headers, signal, opts.http);
    },
  };
}
