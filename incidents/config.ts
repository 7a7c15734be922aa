import { z } from 'zod';
import { duration, type ConfigSection } from '../core/index.js';

const priority = z.enum(['P1', 'P2', 'P3', 'P4']);
const severity = z.enum(['critical', 'high', 'medium', 'low', 'info']);

/**
 * The `incidents:` section (issue 12): which findings and alerts open incidents, how related
 * findings join an open one, and the update cadence per priority (MKBackup 23.1g).
 */
export const incidentsSchema = z.strictObject({
  security: z
    .strictObject({
      /** Detectors whose findings mean attempted unauthorised access (any severity). */
      detectors: z
        .array(z.string().min(1))
        .default(['brute-force', 'intel', 'scanner.clamav', 'scanner.yara', 'scanner.hash-list']),
      /** IDS signature alerts open an incident from this severity up. */
      signature_min_severity: severity.default('high'),
      /** Sigma rules (by rule id) that open an incident; empty: none. */
      sigma_rules: z.array(z.string().min(1)).default([]),
      priority: priority.default('P2'),
    })
    .prefault({}),
  availability: z
    .strictObject({
      /** Alert names that mean a customer's service is down (need a `customer` label). */
      alertnames: z.array(z.string().min(1)).default(['SlaServiceDown']),
      priority: priority.default('P1'),
    })
    .prefault({}),
  /** A finding of the same customer, kind and detector within this time joins the open incident. */
  join_window: duration().prefault('24h'),
  /** Update cadence per priority; P4 counts only service hours when `service_hours` is set. */
  cadence: z
    .strictObject({
      P1: duration().prefault('30m'),
      P2: duration().prefault('1h'),
      P3: duration().prefault('4h'),
      P4: duration().prefault('1d'),
    })
    .prefault({}),
  /** The owner is reminded this long before an update is due. */
  remind_before: duration().prefault('10m'),
  /** SMTP for customer reports; without it no report is sent (incidents are still opened). */
  email: z
    .strictObject({
      smarthost: z.string().regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, 'must be HOST:PORT'),
      from: z.string().min(3),
      require_tls: z.boolean().default(true),
    })
    .optional(),
  /** A security-incident report reaches the customer within this delay (MKBackup 24.5: at once). */
  report_delay: duration().prefault('15m'),
});

export type IncidentsConfig = z.output<typeof incidentsSchema>;

/** The config sections of the incidents domain. */
export const incidentsSections: ConfigSection[] = [
  { key: 'incidents', optional: true, schema: incidentsSchema },
];
