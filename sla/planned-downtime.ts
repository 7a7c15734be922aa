import { z } from 'zod';
import { VigilError, parseRfc3339, type PlannedDowntime, type Store } from '../core/index.js';
import { insertPlannedDowntime } from './store.js';
import type { SlaService } from './services.js';

// Strict RFC 3339 (core/input.ts): `2026-02-30T…` was stored as 2 March by Date.parse's roll-over,
// and a time without a zone meant whatever zone the server ran in.
const isoTime = z
  .string()
  .refine(
    (s) => parseRfc3339(s) !== undefined,
    'is not an ISO 8601 time with a zone (RFC 3339, e.g. 2026-03-14T22:00:00Z); is the date real?',
  );

/** The body of an announcement (API) or the CLI flags, snake_case as the config. */
export const announceSchema = z.strictObject({
  service: z.string().min(1),
  start: isoTime,
  end: isoTime,
  reason: z.string().min(1, 'must say why'),
});

export interface Announcement {
  downtime: PlannedDowntime;
  /** `planned` when announced at least the policy's notice ahead, else `unplanned` (S8). */
  countsAs: 'planned' | 'unplanned';
  noticeSeconds: number;
  requiredNoticeSeconds: number;
}

/**
 * Records a planned downtime; vigil sets announcedAt from its own clock. Throws SLA_DOWNTIME for
 * an unknown service or an end not after the start.
 */
export async function announcePlannedDowntime(
  store: Store,
  services: readonly SlaService[],
  body: z.output<typeof announceSchema>,
  nowMs: number,
): Promise<Announcement> {
  // Stored in one form (toISOString), whatever RFC 3339 spelling the caller used.
  const iso = (t: string): string => new Date(parseRfc3339(t) ?? Number.NaN).toISOString();
  body = { ...body, start: iso(body.start), end: iso(body.end) };
  const svc = services.find((s) => s.id === body.service);
  if (!svc)
    throw new VigilError(
      'SLA_DOWNTIME',
      `service "${body.service}" has no SLA policy (known: ${services.map((s) => s.id).join(', ') || 'none'})`,
    );
  if (Date.parse(body.end) <= Date.parse(body.start))
    throw new VigilError('SLA_DOWNTIME', `end ${body.end} must be after start ${body.start}`);
  const downtime = await insertPlannedDowntime(
    store.db,
    { serviceId: svc.id, start: body.start, end: body.end, reason: body.reason },
    nowMs,
  );
  const noticeMs = Date.parse(downtime.start) - nowMs;
  return {
    downtime,
    countsAs: noticeMs >= svc.policy.planned_notice ? 'planned' : 'unplanned',
    noticeSeconds: noticeMs / 1000,
    requiredNoticeSeconds: svc.policy.planned_notice / 1000,
  };
}
