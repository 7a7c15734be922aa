import { z } from 'zod';
import { formatSigmaProblem, loadSigmaRuleSet } from './sigma/index.js';
import { duration, minRunsInWindow, timezone, validateCron, type ConfigSection } from '../core/index.js';

const severity = z.enum(['critical', 'high', 'medium', 'low', 'info']);
const ports = z.array(z.number().int().min(0).max(65535));
const toggle = { enabled: z.boolean().default(true) };

/** Per-detector options (docs/analyzers.md documents every key and its algorithm). */
export const detectorsSchema = z.strictObject({
  'signature-alerts': z
    .strictObject({
      ...toggle,
      suppress_sids: z.array(z.number().int()).optional(),
      suppress_notices: z.array(z.string()).optional(),
      severity_map: z.record(z.string(), severity).optional(),
      min_severity: severity.optional(),
    })
    .optional(),
  intel: z.strictObject({ ...toggle, severity: severity.optional() }).optional(),
  beaconing: z
    .strictObject({
      ...toggle,
      min_connections: z.number().int().min(3).optional(),
      threshold: z.number().min(0).max(1).optional(),
      max_samples: z.number().int().positive().optional(),
      ignore_destinations: z.array(z.string()).optional(),
      ignore_ports: ports.optional(),
    })
    .optional(),
  'long-connections': z
    .strictObject({
      ...toggle,
      min_duration: duration().optional(),
      high_duration: duration().optional(),
      allow_ports: ports.optional(),
    })
    .optional(),
  'brute-force': z
    .strictObject({
      ...toggle,
      threshold: z.number().int().positive().optional(),
      allow_sources: z.array(z.string()).optional(),
    })
    .optional(),
  scans: z
    .strictObject({
      ...toggle,
      horizontal_threshold: z.number().int().min(2).optional(),
      vertical_threshold: z.number().int().min(2).optional(),
      only_failed: z.boolean().optional(),
      allow_sources: z.array(z.string()).optional(),
    })
    .optional(),
  'dns-tunnelling': z
    .strictObject({
      ...toggle,
      unique_subdomains: z.number().int().positive().optional(),
      long_label: z.number().int().min(10).max(63).optional(),
      entropy_min_length: z.number().int().positive().optional(),
      entropy_bits: z.number().positive().optional(),
      min_suspicious: z.number().int().positive().optional(),
      allow_domains: z.array(z.string()).optional(),
    })
    .optional(),
  'tls-hygiene': z
    .strictObject({
      ...toggle,
      ignore: z
        .array(
          z.enum(['invalid_chain', 'expired', 'self_signed', 'weak_key', 'old_protocol', 'sni_mismatch']),
        )
        .optional(),
      min_rsa_bits: z.number().int().optional(),
      min_ec_bits: z.number().int().optional(),
    })
    .optional(),
  'large-transfers': z
    .strictObject({
      ...toggle,
      min_bytes: z.number().positive().optional(),
      high_bytes: z.number().positive().optional(),
      allow_destinations: z.array(z.string()).optional(),
    })
    .optional(),
  'sensor-health': z
    .strictObject({
      ...toggle,
      max_capture_loss: z.number().min(0).max(100).optional(),
      weird_spike_factor: z.number().positive().optional(),
      weird_spike_min: z.number().int().positive().optional(),
      missing_hours: z.boolean().optional(),
    })
    .optional(),
  sigma: z.strictObject({ ...toggle }).optional(),
});

export const analyzersSchema = z.strictObject({
  /** Cron expression (croner syntax) of the analysis runs; must give ≥ 4 runs in every 24 h. */
  schedule: z.string().default('0 0,6,12,18 * * *'),
  /** Time zone the schedule is read in (default UTC: a DST zone's 25-hour day needs ≥ 5 runs a day). */
  timezone: timezone().default('UTC'),
  /** How late a run may be before the dead-man alert fires. */
  grace: duration().default(30 * 60_000),
  /** A plain file unchanged this long has its unfinished last line read as a (bad) record. */
  settle: duration().default(10 * 60_000),
  /** How many bad records per input are kept with their line numbers. */
  max_errors_per_input: z.number().int().positive().default(100),
  /** A line longer than this (bytes) is a bad record, skipped in linear time (default 16 MiB). */
  max_line_bytes: z
    .number()
    .int()
    .min(1024)
    .max(1 << 30)
    .default(16 << 20),
  zeek: z
    .strictObject({ paths: z.array(z.string()).default([]), exclude: z.array(z.string()).default([]) })
    .default({ paths: [], exclude: [] }),
  suricata: z.strictObject({ eve: z.array(z.string()).default([]) }).default({ eve: [] }),
  intel: z
    .strictObject({
      files: z
        .array(
          z.strictObject({
            path: z.string(),
            type: z.enum(['ip', 'cidr', 'domain', 'url', 'hash', 'ja3', 'email', 'user']).optional(),
            source: z.string().optional(),
          }),
        )
        .default([]),
    })
    .default({ files: [] }),
  sigma: z.strictObject({ rules: z.array(z.string()).default([]) }).default({ rules: [] }),
  detectors: detectorsSchema.default({}),
  tail: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Suricata eve.json and Zeek notice.log files to follow (globs; default: the configured eve files and notice logs). */
      paths: z.array(z.string()).optional(),
      interval: duration().default(2000),
      /** Alerts at or above this severity go to the alert sink at once. */
      min_severity: severity.default('high'),
      suppress_sids: z.array(z.number().int()).default([]),
    })
    .default({ enabled: true, interval: 2000, min_severity: 'high', suppress_sids: [] }),
});

export type AnalyzersConfig = z.output<typeof analyzersSchema>;

/** The contract's cadence (S10): at least this many runs in every 24 h window. */
export const MIN_RUNS_PER_DAY = 4;
const DAY_MS = 86_400_000;
const YEAR_MS = 366 * DAY_MS;

/**
 * Proves the schedule: every 24 h window in the next year (DST changes included) holds at least
 * four runs. Returns an error message, or undefined.
 */
export function checkSchedule(expr: string, tz: string, from = new Date()): string | undefined {
  const bad = validateCron(expr, tz);
  if (bad) return bad;
  const { min, windowStart } = minRunsInWindow(expr, {
    timezone: tz,
    from,
    until: new Date(from.getTime() + YEAR_MS),
    windowMs: DAY_MS,
  });
  if (min < MIN_RUNS_PER_DAY) {
    return `schedule "${expr}" (${tz}) gives only ${min} run(s) in the 24 h from ${windowStart.toISOString()}; the contract needs at least ${MIN_RUNS_PER_DAY} in every 24 h`;
  }
  return undefined;
}

/** The `analyzers` top-level config key. */
export const analyzersSections: ConfigSection[] = [
  {
    key: 'analyzers',
    schema: analyzersSchema,
    optional: true,
    check(config, report) {
      const a = config.analyzers as AnalyzersConfig | undefined;
      if (!a) return;
      const err = checkSchedule(a.schedule, a.timezone);
      if (err) report(['analyzers', 'schedule'], err);
    },
    checkFiles(config, report, warn) {
      const a = config.analyzers as AnalyzersConfig | undefined;
      if (!a) return;
      // every rule compiled as a run would; each refused rule named with its file and line
      a.sigma.rules.forEach((dir, i) => {
        const set = loadSigmaRuleSet([dir]);
        for (const p of set.problems) report(['analyzers', 'sigma', 'rules', i], formatSigmaProblem(p));
        for (const w of set.warnings) warn(['analyzers', 'sigma', 'rules', i], formatSigmaProblem(w));
      });
    },
  },
];
