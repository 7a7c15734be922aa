import type { NotificationMessage } from '../../../alerting/index.js';

/** A firing notification of one alert, as the delivery queue hands it to a notifier. */
export function message(over: Partial<NotificationMessage> = {}): NotificationMessage {
  return {
    id: '6f1c2f8e-0000-4000-8000-000000000002',
    kind: 'notify',
    receiver: 'ops',
    groupKey: '{}:{alertname="SiteDown"}',
    groupId: 'abcd',
    status: 'firing',
    groupLabels: { alertname: 'SiteDown' },
    commonLabels: { alertname: 'SiteDown', severity: 'critical' },
    commonAnnotations: { summary: 'web-1 unreachable <b>' },
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'SiteDown', severity: 'critical', instance: 'web-1' },
        annotations: { summary: 'web-1 unreachable <b>' },
        startsAt: '2026-01-05T10:00:00.000Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prom.example/graph',
        fingerprint: '0123456789abcdef',
      },
    ],
    externalURL: 'http://vigil.example',
    ackURL: 'http://vigil.example/api/v1/alert-groups/abcd/ack?sig=x',
    ...over,
  };
}

/** The same group, resolved. */
export function resolvedMessage(): NotificationMessage {
  const m = message({ status: 'resolved', ackURL: undefined });
  m.alerts = m.alerts.map((a) => ({ ...a, status: 'resolved' as const, endsAt: '2026-01-05T10:05:00.000Z' }));
  return m;
}
