import { Counter, Histogram, type Registry } from 'prom-client';
import type { NotificationRow } from './repo.js';
import type { NotifyResult } from './notify/index.js';

export interface RouterMetrics {
  ingested: Counter;
  outcome(row: NotificationRow, res: NotifyResult, ms: number): void;
}

/** The router's metrics, on the registry passed in (names follow alertmanager_notifications_*). */
export function routerMetrics(registry: Registry): RouterMetrics {
  const ingested = new Counter({
    name: 'vigil_alerts_received_total',
    help: 'Alerts received by the router.',
    registers: [registry],
  });
  const total = new Counter({
    name: 'vigil_notifications_total',
    help: 'Notification attempts by integration and outcome.',
    labelNames: ['integration', 'outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'vigil_notification_latency_seconds',
    help: 'Duration of notification attempts.',
    labelNames: ['integration'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30],
    registers: [registry],
  });
  return {
    ingested,
    outcome(row, res, ms) {
      const kind = row.integration.split('/')[0] ?? row.integration;
      total.inc({ integration: kind, outcome: res.ok ? 'ok' : res.retryable ? 'retryable_error' : 'error' });
      latency.observe({ integration: kind }, ms / 1000);
    },
  };
}
