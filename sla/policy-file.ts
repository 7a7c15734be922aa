import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ParseError, duration, errorMessage, namedTimeIntervalSchema, timezone } from '../core/index.js';
import { checkPolicyIntervals, slaPolicySchema, type SlaPolicy } from './config.js';
import type { PlannedWindow } from './exclusions.js';
import type { NamedTimeIntervalSpec } from '../core/index.js';

const isoTime = () => z.string().refine((s) => Number.isFinite(Date.parse(s)), 'is not an ISO 8601 time');

/** The policy file of `vigil sla compute` (DESIGN.md §7). */
export const policyFileSchema = z.strictObject({
  timezone: timezone().optional(),
  time_intervals: z.array(namedTimeIntervalSchema).default([]),
  policy: slaPolicySchema,
  probe_interval: duration(),
  planned_downtimes: z
    .array(
      z.strictObject({
        id: z.string().optional(),
        start: isoTime(),
        end: isoTime(),
        announced_at: isoTime(),
        reason: z.string(),
      }),
    )
    .default([]),
});

export interface PolicyFile {
  timezone?: string;
  timeIntervals: NamedTimeIntervalSpec[];
  policy: SlaPolicy;
  probeIntervalMs: number;
  planned: PlannedWindow[];
}

/** Reads and validates a policy file; throws ParseError (SLA_POLICY_FILE) naming file, line and field. */
export async function readPolicyFile(path: string): Promise<PolicyFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ParseError('SLA_POLICY_FILE', path, 0, `cannot read: ${errorMessage(err)}`, { cause: err });
  }
  return parsePolicyText(text, path);
}

export function parsePolicyText(text: string, path: string): PolicyFile {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const lineOf = (offset: number | undefined): number =>
    offset === undefined ? 1 : text.slice(0, offset).split('\n').length;
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new ParseError('SLA_POLICY_FILE', path, e.linePos?.[0].line ?? 1, e.message);
  }
  const parsed = policyFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const node = doc.getIn(issue.path as (string | number)[], true) as
      { range?: [number, number, number] } | undefined;
    throw new ParseError(
      'SLA_POLICY_FILE',
      path,
      lineOf(node?.range?.[0]),
      `${issue.path.join('.')}: ${issue.message}`,
    );
  }
  const d = parsed.data;
  const problems: string[] = [];
  checkPolicyIntervals(
    [d.policy],
    new Set(d.time_intervals.map((t) => t.name)),
    (p, m) => problems.push(`${p.join('.')}: ${m}`),
    ['policy'],
  );
  if (problems.length > 0)
    throw new ParseError('SLA_POLICY_FILE', path, 1, problems.join('; ').replace(/^policy\.0\./, 'policy.'));
  const out: PolicyFile = {
    timeIntervals: d.time_intervals,
    policy: d.policy,
    probeIntervalMs: d.probe_interval,
    planned: d.planned_downtimes.map((p, i) => ({
      id: p.id ?? `planned-${i + 1}`,
      start: Date.parse(p.start),
      end: Date.parse(p.end),
      announcedAt: Date.parse(p.announced_at),
      reason: p.reason,
    })),
  };
  if (d.timezone !== undefined) out.timezone = d.timezone;
  return out;
}
