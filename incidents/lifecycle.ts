import { INCIDENT_STATES, VigilError, type IncidentRecord, type IncidentState } from '../core/index.js';

/** Timeline entry kinds written by the lifecycle (S9). */
export type TimelineKind =
  IncidentState | 'opened' | 'reopened' | 'measure' | 'update' | 'finding' | 'message';

const STAMP: Partial<Record<IncidentState, 'reportedAt' | 'acknowledgedAt' | 'resolvedAt' | 'acceptedAt'>> = {
  reported: 'reportedAt',
  acknowledged: 'acknowledgedAt',
  resolved: 'resolvedAt',
  accepted: 'acceptedAt',
};

/** The time of the latest timeline entry: no step may be dated before it. */
function lastAt(i: IncidentRecord): number {
  let last = Date.parse(i.detectedAt);
  for (const e of i.timeline) last = Math.max(last, Date.parse(e.at));
  return last;
}

function checkTime(i: IncidentRecord, atMs: number, what: string): void {
  const last = lastAt(i);
  if (atMs < last) {
    throw new VigilError(
      'INC_TIME',
      `incident ${i.id}: cannot ${what} at ${new Date(atMs).toISOString()}, before its last entry at ${new Date(last).toISOString()}`,
    );
  }
}

/**
 * Moves an incident one step along detected → reported → acknowledged → resolved → accepted.
 * Skipping a step, repeating one, going back or dating a step before the last entry is refused
 * (INC_TRANSITION / INC_TIME): the contractual downtime is computed from these times.
 */
export function advance(
  i: IncidentRecord,
  to: IncidentState,
  actor: string,
  atMs: number,
  text?: string,
): IncidentRecord {
  const from = INCIDENT_STATES.indexOf(i.state);
  const target = INCIDENT_STATES.indexOf(to);
  if (target !== from + 1) {
    const expected = INCIDENT_STATES[from + 1];
    throw new VigilError(
      'INC_TRANSITION',
      `incident ${i.id} is ${i.state}: cannot go to ${to}` +
        (expected ? ` (next step is ${expected})` : ' (it is accepted and closed)'),
    );
  }
  checkTime(i, atMs, `mark ${to}`);
  const at = new Date(atMs).toISOString();
  const out: IncidentRecord = {
    ...i,
    state: to,
    timeline: [...i.timeline, { at, actor, kind: to, text: text ?? to }],
  };
  const stamp = STAMP[to];
  // A customer's earlier report keeps its time: it starts the contractual downtime (23.1f).
  if (stamp && !(stamp === 'reportedAt' && Date.parse(i.reportedAt) < Date.parse(i.detectedAt)))
    out[stamp] = at;
  return out;
}

/**
 * The customer rejects the resolution (or ops reopen it): back to acknowledged, with a required
 * reason; the downtime keeps running until a later acceptance.
 */
export function reopen(i: IncidentRecord, actor: string, atMs: number, reason: string): IncidentRecord {
  if (i.state !== 'resolved') {
    throw new VigilError(
      'INC_TRANSITION',
      `incident ${i.id} is ${i.state}: only a resolved incident can be reopened`,
    );
  }
  if (reason.trim() === '') throw new VigilError('INC_REASON', `reopening incident ${i.id} needs a reason`);
  checkTime(i, atMs, 'reopen');
  const { resolvedAt: _r, ...rest } = i;
  return {
    ...rest,
    state: 'acknowledged',
    timeline: [
      ...i.timeline,
      { at: new Date(atMs).toISOString(), actor, kind: 'reopened', text: reason.trim() },
    ],
  };
}

/** Adds a timeline entry (a measure taken, an update, a joined finding) to an open incident. */
export function addEntry(
  i: IncidentRecord,
  kind: 'measure' | 'update' | 'finding' | 'message',
  actor: string,
  atMs: number,
  text: string,
): IncidentRecord {
  if (i.state === 'accepted') throw new VigilError('INC_CLOSED', `incident ${i.id} is accepted and closed`);
  if (text.trim() === '') throw new VigilError('INC_TEXT', `a ${kind} entry needs text`);
  checkTime(i, atMs, `add a ${kind}`);
  return {
    ...i,
    timeline: [...i.timeline, { at: new Date(atMs).toISOString(), actor, kind, text: text.trim() }],
  };
}

/** The measures taken so far, oldest first (for reports). */
export function measuresOf(i: IncidentRecord): Array<{ at: string; actor: string; text: string }> {
  return i.timeline.filter((e) => e.kind === 'measure').map(({ at, actor, text }) => ({ at, actor, text }));
}
