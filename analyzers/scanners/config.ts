import { z } from 'zod';
import { Cron } from 'croner';
import { duration, timezone, errorMessage, type ConfigSection } from '../../core/index.js';
import { checkCadence } from './cadence.js';

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** A byte size: a number of bytes or "100MB", "256MiB", "1GB". */
export const byteSize = () =>
  z.union([z.number().int().positive(), z.string()]).transform((v, ctx) => {
    if (typeof v === 'number') return v;
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*$/i.exec(v);
    const n = m ? Number(m[1]) * (UNITS[(m[2] ?? 'b').toLowerCase()] ?? NaN) : NaN;
    if (!Number.isFinite(n) || n <= 0) {
      ctx.addIssue({
        code: 'custom',
        message: `"${v}" is not a size (use e.g. 100MB, 256MiB, 1GB or bytes)`,
      });
      return z.NEVER;
    }
    return Math.floor(n);
  });

const cronPattern = () =>
  z.string().refine((p) => {
    try {
      new Cron(p, { paused: true }).stop();
      return true;
    } catch {
      return false;
    }
  }, 'is not a cron pattern (5 or 6 fields, e.g. "30 0,6,12,18 * * *")');

/** Where Debian's freshclam keeps ClamAV's official database (freshclam.conf DatabaseDirectory). */
export const DEFAULT_SYSTEM_DB = '/var/lib/clamav';

export const clamavSchema = z.strictObject({
  enabled: z.boolean().default(true),
  manage: z.boolean().default(true),
  socket: z.string().min(1).optional(),
  database_dir: z.string().min(1).optional(),
  timeout: duration({ min: 1000, max: 86_400_000 }).default(300_000),
  mode: z.enum(['scan', 'instream']).optional(),
  start_timeout: duration({ min: 1000, max: 3_600_000 }).default(120_000),
  /** freshclam's database directory, loaded with vigil's own signatures; false: vigil's own only. */
  system_database_dir: z.union([z.literal(false), z.string().min(1)]).default(DEFAULT_SYSTEM_DB),
  /** Older than this (or absent), the official database raises VigilClamavSignaturesStale (PCI DSS 5.3.1). */
  max_signature_age: duration({ min: 3_600_000, max: 365 * 86_400_000 }).default(7 * 86_400_000),
});

export const scannersSchema = z.strictObject({
  // Every 5 h (00:30, 05:30 … 20:30): at least 4 runs in every 24 h even on a 25-hour DST day,
  // which "30 0,6,12,18 * * *" in Europe/Amsterdam is not (a 7 h gap in October).
  schedule: cronPattern().default('30 */5 * * *'),
  timezone: timezone().optional(),
  grace: duration({ max: 86_400_000 }).default(1_800_000),
  full_rescan: duration({ min: 3_600_000, max: 365 * 86_400_000 }).default(7 * 86_400_000),
  paths: z.array(z.string().min(1)).min(1),
  exclude: z.array(z.string().min(1)).default([]),
  max_file_size: byteSize().default(256 * 1024 * 1024),
  follow_symlinks: z.boolean().default(false),
  // 4 measured faster than 2 even on 2 cores: per-file round trips overlap (bench/scanning).
  concurrency: z.number().int().min(1).max(64).default(4),
  severity: z.enum(['critical', 'high', 'medium', 'low', 'info']).default('high'),
  clamav: clamavSchema.default({
    enabled: true,
    manage: true,
    timeout: 300_000,
    start_timeout: 120_000,
    system_database_dir: DEFAULT_SYSTEM_DB,
    max_signature_age: 7 * 86_400_000,
  }),
  yara: z
    .strictObject({
      rules: z.array(z.string().min(1)).default([]),
      externals: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
    })
    .default({ rules: [], externals: {} }),
  hash_lists: z.array(z.string().min(1)).default([]),
  file_logs: z.array(z.string().min(1)).default([]),
  quarantine: z.strictObject({ dir: z.string().min(1) }).optional(),
});

export type ScannersConfig = z.output<typeof scannersSchema>;
export type ClamavConfig = z.output<typeof clamavSchema>;

/** The `scanners:` top-level section (docs/scanning.md documents every key). */
export const scannersConfigSections: ConfigSection[] = [
  {
    key: 'scanners',
    schema: scannersSchema,
    optional: true,
    check(config, report) {
      const s = config.scanners as ScannersConfig | undefined;
      if (!s) return;
      if (s.clamav.enabled && !s.clamav.manage && !s.clamav.socket) {
        report(
          ['scanners', 'clamav', 'socket'],
          'is required when clamav.manage is false (the socket of an existing clamd)',
        );
      }
      if (s.clamav.manage && s.clamav.socket) {
        report(
          ['scanners', 'clamav', 'socket'],
          'must not be set with clamav.manage: true (vigil puts its own clamd socket in the data dir)',
        );
      }
      if (!s.clamav.enabled && s.yara.rules.length === 0 && s.hash_lists.length === 0) {
        report(['scanners'], 'no engine: enable clamav, or configure yara.rules or hash_lists');
      }
      const tz = s.timezone ?? (typeof config.timezone === 'string' ? config.timezone : undefined);
      try {
        const c = checkCadence(s.schedule, tz ? { timezone: tz } : {});
        if (!c.ok) {
          report(
            ['scanners', 'schedule'],
            `"${s.schedule}" gives only ${c.minRuns} run(s) in the 24 h from ${c.worstWindowStart}; the contract (S10) needs at least 4 in every 24 h`,
          );
        }
      } catch (err) {
        report(['scanners', 'schedule'], `cannot evaluate: ${errorMessage(err)}`);
      }
    },
  },
];
