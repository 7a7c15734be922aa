import type { Templates } from '../template/index.js';
import type { HttpSender } from './http-client.js';
import type { Notifier, NotificationMessage } from './notifier.js';
import { hashKey, postJson } from './notifier.js';
import { VICTOROPS_DEFAULTS as D } from './defaults.js';
import { defaultTemplates, escalated, Render, truncateRunes } from './render.js';

export interface VictoropsOptions {
  apiKey: string;
  routingKey: string;
  apiUrl?: string | undefined;
  messageType?: string | undefined;
  stateMessage?: string | undefined;
  entityDisplayName?: string | undefined;
  monitoringTool?: string | undefined;
  customFields?: Record<string, string> | undefined;
  templates?: Templates | undefined;
  http?: HttpSender | undefined;
}

const ALLOWED = new Set(['INFO', 'WARNING', 'CRITICAL']);

/**
 * Splunk On-Call (VictorOps) REST endpoint integration
 * (https://help.victorops.com/knowledge-base/rest-endpoint-integration-guide/) as Alertmanager
 * 0.25 sends it: POST {api_url}{api_key}/{routing_key}, entity_id the group key's hash,
 * message_type CRITICAL (or a configured INFO/WARNING) while firing and RECOVERY when resolved,
 * state_message 20480 runes, custom fields templated.
 */
export function victoropsNotifier(opts: VictoropsOptions): Notifier {
  const base = opts.apiUrl ?? 'https://alert.victorops.com/integrations/generic/20131114/alert/';
  return {
    kind: 'victorops',
    async notify(msg: NotificationMessage, signal?: AbortSignal) {
      const r = new Render(opts.templates ?? defaultTemplates(), msg);
      const t = r.text;
      const url = `${base}${opts.apiKey}/${t(opts.routingKey)}`;
      let messageType = t(opts.messageType ?? D.messageType);
      if (msg.status === 'firing' && !ALLOWED.has(messageType)) messageType = 'CRITICAL';
      if (msg.status === 'resolved') messageType = 'RECOVERY';
      let stateMessage = t(opts.stateMessage ?? D.stateMessage);
      if (msg.ackURL && msg.status === 'firing') stateMessage += `\nAcknowledge: ${msg.ackURL}`;
      const body: Record<string, string> = {
        message_type: messageType,
        entity_id: hashKey(msg.groupKey),
        entity_display_name: escalated(msg, t(opts.entityDisplayName ?? D.entityDisplayName)),
        state_message: truncateRunes(stateMessage, 20480),
        monitoring_tool: t(opts.monitoringTool ?? D.monitoringTool),
      };
      for (const [k, v] of Object.entries(opts.customFields ?? {})) body[k] = t(v);
      return r.failed('victorops') ?? postJson(url, body, {}, signal, opts.http);
    },
  };
}
