import type { Kysely } from 'kysely';
import { lastFinishedRun, nextRuns, type Alert, type AnalysisDb } from '../../core/index.js';

const DAY_MS = 86_400_000;

export interface DeadManCheck {
  db: Kysely<AnalysisDb>;
  analyzer: string;
  schedule: string;
  timezone: string;
  graceMs: number;
  nowMs: number;
  /** Scheduled runs before this instant are not expected (vigil was not running). */
  sinceMs: number;
}

/**
 * The dead-man check (DESIGN.md §5): the latest scheduled run whose grace has passed must have
 * finished (ok or partial) at or after its scheduled time. Returns the firing alert, or undefined
 * when the analyzer is on time.
 */
export async function checkDeadMan(c: DeadManCheck): Promise<Alert | undefined> {
  const due = nextRuns(c.schedule, {
    timezone: c.timezone,
    from: new Date(Math.max(c.sinceMs, c.nowMs - 2 * DAY_MS)),
    until: new Date(c.nowMs - c.graceMs + 1),
  });
  const expected = due.pop();
  if (!expected) return undefined;
  const last = await lastFinishedRun(c.db, c.analyzer);
  if (last?.finishedAt && Date.parse(last.finishedAt) >= expected.getTime()) return undefined;
  return {
    labels: { alertname: 'VigilAnalysisRunMissed', analyzer: c.analyzer, severity: 'critical' },
    annotations: {
      summary: `No ${c.analyzer} analysis run finished since the run scheduled for ${expected.toISOString()} (grace ${Math.round(c.graceMs / 60000)} min)`,
      lastFinishedRun: last?.finishedAt ?? 'never',
    },
    startsAt: new Date(expected.getTime() + c.graceMs).toISOString(),
  };
}
