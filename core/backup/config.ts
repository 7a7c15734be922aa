import { z } from 'zod';
import { duration } from '../config/primitives.js';
import type { ConfigSection } from '../config/section.js';
import { validateCron } from '../schedule/index.js';

export const backupSchema = z.strictObject({
  /** Take the nightly backup (SQLite store only; on PostgreSQL the operator's backup runs, docs/operations.md). */
  enabled: z.boolean().default(true),
  /** Folder the versions go to, relative to the data directory unless absolute. Put it on another disk. */
  dir: z.string().min(1).default('backups'),
  /** When the backup runs (cron, in the config's time zone). */
  schedule: z
    .string()
    .default('30 2 * * *')
    .superRefine((expr, ctx) => {
      const problem = validateCron(expr);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** Daily versions kept (the contract promises 7). */
  keep: z.number().int().min(1).max(366).default(7),
  /** vigil's own backup probe pages when the newest version is older than this. */
  max_age: duration().default(26 * 3_600_000),
});

export type BackupConfig = z.output<typeof backupSchema>;

/** The `backup:` top-level key (optional: every default is what the issue asks for). */
export const backupSection: ConfigSection = { key: 'backup', optional: true, schema: backupSchema };
