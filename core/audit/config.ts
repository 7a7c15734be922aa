import { z } from 'zod';
import { duration } from '../config/primitives.js';
import type { ConfigSection } from '../config/section.js';

export const auditSchema = z.strictObject({
  /** How often a checkpoint over the log is signed, also when nothing happened (default 1h). */
  checkpoint_interval: duration().default(3_600_000),
  /** Most entries committed in one transaction (group commit). */
  max_batch: z.number().int().min(1).max(100_000).default(2000),
});

export type AuditConfig = z.infer<typeof auditSchema>;

/** The `audit:` top-level key (optional: every default is what the issue asks for). */
export const auditSection: ConfigSection = { key: 'audit', optional: true, schema: auditSchema };
