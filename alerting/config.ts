import type { ConfigSection } from '../core/index.js';
import { alertmanagerConfigSchema, type AlertmanagerConfig } from './am-schema.js';
import { validateAlertingConfig } from './validate.js';

const LABEL_MAPS = new Set(['match', 'source_match', 'target_match']);

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
 * defined, root route rules, group_by rules, matcher syntax, "at most one of X and X_file").
 */
export const alertingSections: ConfigSection[] = [
  {
    key: 'alerting',
    optional: true,
    schema: alertmanagerConfigSchema,
    // Label values under match:, source_match: and target_match: are strings to Alertmanager
    // however they are written (`severity: 1`, `enabled: true`): Go's YAML decoder keeps the text.
    scalarsAsText: (path) => LABEL_MAPS.has(path.at(-2) as string),
    check(config, report) {
      // The loader hands checks the parsed section (durations in ms, secrets resolved), and leaves
      // it out when its shape is wrong (those problems are reported by the schema already).
      const alerting = config.alerting as AlertmanagerConfig | undefined;
      if (alerting === undefined) return;
      validateAlertingConfig(alerting, report, ['alerting'], sharedIntervalNames(config));
    },
  },
];

export type { AlertmanagerConfig };
