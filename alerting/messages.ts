import { toApiAlert } from './alert-model.js';
import type { NotifyIntent } from './dispatcher.js';
import type { NotificationMessage } from './notify/index.js';

function common(maps: Record<string, string>[]): Record<string, string> {
  const [first, ...rest] = maps;
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first)) if (rest.every((m) => m[k] === v)) out[k] = v;
  return out;
}

/** The message for one intent, in Alertmanager's data model (template.Data). */
export function buildMessage(
  intent: NotifyIntent,
  id: string,
  externalURL: string,
  ackURL: string | undefined,
): NotificationMessage {
  const alerts = [...intent.firing, ...intent.resolved].map((a) => toApiAlert(a, intent.at));
  return {
    id,
    kind: intent.kind,
    receiver: intent.integration.receiver,
    groupKey: intent.group.key,
    groupId: intent.group.id,
    status: intent.firing.length > 0 ? 'firing' : 'resolved',
    groupLabels: intent.group.labels,
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    alerts,
    externalURL,
    ...(ackURL && intent.firing.length > 0 ? { ackURL } : {}),
  };
}
