import { z } from 'zod';
import { VigilError, inputIssues, parseRfc3339, rfc3339, utf8Bytes } from '../core/index.js';
import { newMatcher } from './matchers.js';

/**
 * Bounds on what one request may carry. A 10 MB annotation became a 20 MB webhook and 100k
 * alerts in one POST blocked the server for 7.5 s: Prometheus sends at most a few hundred
 * alerts per request and short annotations, so these leave real senders untouched.
 */
export const ALERT_LIMITS = {
  alertsPerRequest: 1000,
  labelNameChars: 128,
  labelValueBytes: 4096,
  annotationsBytes: 64 * 1024,
  generatorUrlBytes: 4096,
  /** fastify bodyLimit of POST /api/v2/alerts (413 beyond it). */
  alertsBodyBytes: 8 * 1024 * 1024,
  /** fastify bodyLimit of the silence and acknowledgement routes. */
  smallBodyBytes: 256 * 1024,
} as const;

// Prometheus' label name rule (data model): [a-zA-Z_][a-zA-Z0-9_]*.
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const labelName = z
  .string()
  .max(ALERT_LIMITS.labelNameChars, `label names are at most ${ALERT_LIMITS.labelNameChars} characters`)
  .regex(LABEL, 'invalid label name');
const bounded = (max: number, what: string) =>
  z.string().refine((s) => utf8Bytes(s) <= max, `${what} is larger than ${max} bytes`);

const postableAlert = z
  .object({
    labels: z
      .record(labelName, bounded(ALERT_LIMITS.labelValueBytes, 'label value'))
      .refine((l) => Object.keys(l).length > 0, 'at least one label pair required'),
    annotations: z.record(z.string(), z.string()).optional(),
    startsAt: rfc3339().optional(),
    endsAt: rfc3339().optional(),
    generatorURL: bounded(ALERT_LIMITS.generatorUrlBytes, 'generatorURL').optional(),
  })
  .superRefine((a, ctx) => {
    const size = Object.entries(a.annotations ?? {}).reduce(
      (n, [k, v]) => n + utf8Bytes(k) + utf8Bytes(v),
      0,
    );
    if (size > ALERT_LIMITS.annotationsBytes)
      ctx.addIssue({
        code: 'custom',
        path: ['annotations'],
        message: `annotations total ${size} bytes, more than ${ALERT_LIMITS.annotationsBytes}`,
      });
    const s = a.startsAt === undefined ? undefined : parseRfc3339(a.startsAt);
    const e = a.endsAt === undefined ? undefined : parseRfc3339(a.endsAt);
    if (s !== undefined && e !== undefined && e < s)
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'start time must be before end time' });
  });

/** The POST /api/v2/alerts body, or the problems naming each field (`alerts[3].startsAt: …`). */
export function parsePostableAlerts(
  body: unknown,
): { ok: true; alerts: z.output<typeof postableAlert>[] } | { ok: false; problems: string[] } {
  if (!Array.isArray(body)) return { ok: false, problems: ['alerts: must be a JSON array of alerts'] };
  if (body.length > ALERT_LIMITS.alertsPerRequest)
    return {
      ok: false,
      problems: [`alerts: at most ${ALERT_LIMITS.alertsPerRequest} alerts per request, got ${body.length}`],
    };
  const parsed = z.array(postableAlert).safeParse(body);
  return parsed.success
    ? { ok: true, alerts: parsed.data }
    : { ok: false, problems: inputIssues(parsed.error, 'alerts') };
}

const matcher = z
  .object({
    name: labelName,
    value: bounded(ALERT_LIMITS.labelValueBytes, 'matcher value'),
    isRegex: z.boolean(),
    isEqual: z.boolean().optional(),
  })
  .superRefine((m, ctx) => {
    if (!m.isRegex) return;
    try {
      newMatcher('=~', m.name, m.value);
    } catch (err) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: err instanceof VigilError ? err.message : 'invalid regular expression',
      });
    }
  });

/** The POST /api/v2/silences body: RFC 3339 times, compilable matchers, the end after the start. */
export const postableSilence = z
  .object({
    id: z.string().max(128).optional(),
    matchers: z.array(matcher).min(1).max(100),
    startsAt: rfc3339(),
    endsAt: rfc3339(),
    createdBy: z.string().min(1).max(1024),
    comment: z.string().min(1).max(ALERT_LIMITS.annotationsBytes),
  })
  .superRefine((b, ctx) => {
    const s = parseRfc3339(b.startsAt);
    const e = parseRfc3339(b.endsAt);
    if (s !== undefined && e !== undefined && e <= s)
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
  });

/** An optional RFC 3339 query parameter as epoch ms; `bad` names it when it is not a time. */
export function queryTime(
  name: string,
  value: unknown,
): { ok: true; ms: number | undefined } | { ok: false; problem: string } {
  if (value === undefined || value === '') return { ok: true, ms: undefined };
  const ms = typeof value === 'string' ? parseRfc3339(value) : undefined;
  return ms === undefined
    ? { ok: false, problem: `${name}: not a valid RFC 3339 time (e.g. 2026-03-14T22:00:00Z)` }
    : { ok: true, ms };
}
