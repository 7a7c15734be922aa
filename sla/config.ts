import { z } from 'zod';
import { duration, id, percent, timezone, type ConfigSection, type IssueReporter } from '../core/index.js';

/** `window: calendar_month` or `window: { rolling: 30d }`. */
const windowSchema = z.union([
  z.literal('calendar_month'),
  z.strictObject({ rolling: duration({ min: 3_600_000, max: 400 * 86_400_000 }) }),
]);

/**
 * `loop_delay_exclusion`: true (default) leaves out samples the probe flagged for its own
 * event-loop delay; false counts them; a duration also leaves out samples whose loopDelayMs is
 * over it.
 */
const loopDelaySchema = z.union([z.boolean(), duration({ min: 1, max: 10_000 })]);

/** One SLA policy (DESIGN.md §6 `sla_policies[]`). */
export const slaPolicySchema = z.strictObject({
  id: id(),
  availability: percent(),
  latency: z.strictObject({
    average_ms: z.number().positive(),
    p95_ms: z.number().positive().optional(),
    p99_ms: z.number().positive().optional(),
  }),
  window: windowSchema.default('calendar_month'),
  timezone: timezone().optional(),
  maintenance: z.array(z.string()).default([]),
  service_hours: z.string().optional(),
  planned_notice: duration({ max: 90 * 86_400_000 }).default(12 * 3_600_000),
  quorum: z.number().int().min(1).optional(),
  staleness: duration({ min: 1000, max: 86_400_000 }).optional(),
  loop_delay_exclusion: loopDelaySchema.default(true),
  /** Span of the rolling average behind the sustained-latency alert. */
  latency_alert_span: duration({ min: 60_000, max: 86_400_000 }).default(5 * 60_000),
  /** Severity of the sustained-latency alert. */
  latency_alert_severity: z.enum(['page', 'ticket']).default('ticket'),
});

export type SlaPolicy = z.output<typeof slaPolicySchema>;

export const slaPoliciesSchema = z.array(slaPolicySchema);

/** Reports interval names a policy uses that the top-level `time_intervals` lacks. */
export function checkPolicyIntervals(
  policies: readonly SlaPolicy[],
  intervalNames: ReadonlySet<string>,
  report: IssueReporter,
  base: (string | number)[],
): void {
  policies.forEach((p, i) => {
    p.maintenance.forEach((name, j) => {
      if (!intervalNames.has(name))
        report([...base, i, 'maintenance', j], `time interval "${name}" is not defined in time_intervals`);
    });
    if (p.service_hours !== undefined && !intervalNames.has(p.service_hours)) {
      report(
        [...base, i, 'service_hours'],
        `time interval "${p.service_hours}" is not defined in time_intervals`,
      );
    }
  });
}

function namesOf(list: unknown): Set<string> {
  const out = new Set<string>();
  if (Array.isArray(list)) {
    for (const t of list)
      if (t && typeof t === 'object' && typeof (t as { name?: unknown }).name === 'string')
        out.add((t as { name: string }).name);
  }
  return out;
}

/**
 * The `sla_policies` top-level key. Cross-checks: unique ids, interval names exist. (That every
 * `services[].sla` names a policy is checked by the probes domain, which owns `services`.)
 */
export const slaConfigSections: ConfigSection[] = [
  {
    key: 'sla_policies',
    schema: slaPoliciesSchema,
    optional: true,
    check(config, report) {
      const policies = (config.sla_policies ?? []) as SlaPolicy[];
      const seen = new Set<string>();
      policies.forEach((p, i) => {
        if (seen.has(p.id)) report(['sla_policies', i, 'id'], `duplicate SLA policy id "${p.id}"`);
        seen.add(p.id);
      });
      checkPolicyIntervals(policies, namesOf(config.time_intervals), report, ['sla_policies']);
    },
  },
];
