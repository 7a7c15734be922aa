import type { ConfigSection } from '../core/index.js';
import { alertmanagerConfigSchema, type AlertmanagerConfig } from './am-schema.js';
import { validateAlertingConfig } from './validate.js';

/** Names of the top-level vigil `time_intervals`, usable by name from the alerting section. */
function sharedIntervalNames(config: Record<string, unknown>): string[] {
  const list = config.time_intervals;
  if (!Array.isArray(list)) return [];
  return list.flatMap((t) => {
    const name = (t as { name?: unknown } | null)?.name;
    return typeof name === 'string' ? [name] : [];
  });
}

/**
 * The `alerting:` top-level key: an Alertmanager configuration, unchanged (DESIGN.md §6), plus the
 * vigil extension keys `vigil:` (fallback receiver, external URL, ack-link secret) and
 * `route.escalation`. The cross-check is Alertmanager's own (receivers and time intervals
 * defined, root route rules, group_by rules, matcher syntax).
 */
export const alertingSections: ConfigSection[] = [
  {
    key: 'alerting',
    optional: true,
    schema: alertmanagerConfigSchema,
    check(config, report) {
      const parsed = alertmanagerConfigSchema.safeParse(config.alerting);
      if (!parsed.success) return; // shape problems are already reported by the schema
      validateAlertingConfig(parsed.data, report, ['alerting'], sharedIntervalNames(config));
    },
  },
];

export type { AlertmanagerConfig };
