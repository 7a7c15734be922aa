import type { Notifier, NotificationMessage } from './notifier.js';
import { postJson } from './notifier.js';
import type { HttpSender } from './http-client.js';

/**
 * Alertmanager's webhook (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config),
 * payload version "4". vigil adds the headers `X-Vigil-Notification-Id` and `Idempotency-Key`
 * (the same stable id), so a receiver can drop a resend after a crash, and `vigil` fields
 * (group id, ack link) that Alertmanager receivers ignore.
 */
export function webhookNotifier(opts: {
  url: string;
  maxAlerts?: number | undefined;
  http?: HttpSender | undefined;
}): Notifier {
  return {
    kind: 'webhook',
    notify(msg: NotificationMessage, signal?: AbortSignal) {
      const max = opts.maxAlerts ?? 0;
      const alerts = max > 0 ? msg.alerts.slice(0, max) : msg.alerts;
      const body = {
        version: '4',
        groupKey: msg.groupKey,
        truncatedAlerts: msg.alerts.length - alerts.length,
        status: msg.status,
        receiver: msg.receiver,
        groupLabels: msg.groupLabels,
        commonLabels: msg.commonLabels,
        commonAnnotations: msg.commonAnnotations,
        externalURL: msg.externalURL,
        alerts,
        vigil: {
          notificationId: msg.id,
          kind: msg.kind,
          groupId: msg.groupId,
          ackURL: msg.ackURL,
          ackedBy: msg.ackedBy,
        },
      };
      return postJson(
        opts.url,
        body,
        { 'x-vigil-notification-id': msg.id, 'idempotency-key': msg.id },
        signal,
        opts.http,
      );
    },
  };
}
