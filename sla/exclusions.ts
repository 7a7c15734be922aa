import type { MsRange } from './ranges.js';
import type { Exclusion } from './compute.js';

/** A planned downtime as the computation needs it (epoch ms). */
export interface PlannedWindow {
  id: string;
  start: number;
  end: number;
  announcedAt: number;
  reason: string;
}

/** A planned downtime announced too late: it counts as unplanned, and the report says so. */
export interface LateAnnouncement extends PlannedWindow {
  noticeMs: number;
  requiredNoticeMs: number;
}

/** Active ranges of a named time interval within [fromMs, toMs); throws SLA_INTERVAL when unknown. */
export type IntervalResolver = (name: string, fromMs: number, toMs: number) => MsRange[];

export interface ExclusionPlan {
  exclusions: Exclusion[];
  late: LateAnnouncement[];
  serviceHours?: MsRange[];
}

/**
 * What the policy leaves out of [fromMs, toMs): its maintenance intervals, and planned downtimes
 * announced at least `plannedNoticeMs` before their start (S7, S8; exactly 12 h counts as in
 * time). Later announcements are returned in `late`: they count as unplanned.
 */
export function planExclusions(args: {
  maintenance: readonly string[];
  serviceHours?: string;
  plannedNoticeMs: number;
  planned: readonly PlannedWindow[];
  resolve: IntervalResolver;
  fromMs: number;
  toMs: number;
}): ExclusionPlan {
  const exclusions: Exclusion[] = [];
  for (const name of args.maintenance) {
    for (const [from, to] of args.resolve(name, args.fromMs, args.toMs)) {
      exclusions.push({ from, to, kind: 'maintenance', reason: name });
    }
  }
  const late: LateAnnouncement[] = [];
  for (const p of args.planned) {
    if (p.end <= args.fromMs || p.start >= args.toMs || p.end <= p.start) continue;
    const noticeMs = p.start - p.announcedAt;
    if (noticeMs >= args.plannedNoticeMs) {
      exclusions.push({
        from: Math.max(p.start, args.fromMs),
        to: Math.min(p.end, args.toMs),
        kind: 'planned_downtime',
        reason: `${p.id}: ${p.reason}`,
      });
    } else late.push({ ...p, noticeMs, requiredNoticeMs: args.plannedNoticeMs });
  }
  exclusions.sort((a, b) => a.from - b.from || a.to - b.to || a.reason.localeCompare(b.reason));
  const out: ExclusionPlan = { exclusions, late };
  if (args.serviceHours !== undefined)
    out.serviceHours = args.resolve(args.serviceHours, args.fromMs, args.toMs);
  return out;
}
