import { describe, expect, it } from 'vitest';
import { VigilError, type IncidentRecord } from '../../core/index.js';
import { addEntry, advance, measuresOf, reopen } from '../../incidents/index.js';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;

function detected(): IncidentRecord {
  const at = new Date(T0).toISOString();
  return {
    id: 'INC-1',
    kind: 'security',
    customerId: 'acme',
    priority: 'P2',
    title: 'SSH password guessing',
    detectedAt: at,
    reportedAt: at,
    state: 'detected',
    openedBy: 'vigil',
    timeline: [{ at, actor: 'vigil', kind: 'detected', text: 'opened' }],
  };
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    return err instanceof VigilError ? err.code : 'not a VigilError';
  }
  return undefined;
}

describe('incident lifecycle', () => {
  it('walks detected → reported → acknowledged → resolved → accepted, stamping actor and time', () => {
    let i = advance(detected(), 'reported', 'vigil', T0 + 5 * MIN);
    i = advance(i, 'acknowledged', 'alice', T0 + 10 * MIN);
    i = addEntry(i, 'measure', 'alice', T0 + 11 * MIN, 'blocked 198.51.100.7 at the firewall');
    i = advance(i, 'resolved', 'alice', T0 + 60 * MIN);
    i = advance(i, 'accepted', 'Jan (acme)', T0 + 90 * MIN);
    expect(i.state).toBe('accepted');
    expect([i.reportedAt, i.acknowledgedAt, i.resolvedAt, i.acceptedAt]).toEqual([
      '2026-03-02T10:05:00.000Z',
      '2026-03-02T10:10:00.000Z',
      '2026-03-02T11:00:00.000Z',
      '2026-03-02T11:30:00.000Z',
    ]);
    expect(i.timeline.map((e) => `${e.kind}:${e.actor}`)).toEqual([
      'detected:vigil',
      'reported:vigil',
      'acknowledged:alice',
      'measure:alice',
      'resolved:alice',
      'accepted:Jan (acme)',
    ]);
    expect(measuresOf(i)).toEqual([
      { at: '2026-03-02T10:11:00.000Z', actor: 'alice', text: 'blocked 198.51.100.7 at the firewall' },
    ]);
  });

  it('refuses a skipped step, a repeated step, a step back and any step after acceptance', () => {
    const i = detected();
    expect(codeOf(() => advance(i, 'acknowledged', 'alice', T0 + MIN))).toBe('INC_TRANSITION');
    expect(codeOf(() => advance(i, 'resolved', 'alice', T0 + MIN))).toBe('INC_TRANSITION');
    expect(codeOf(() => advance(i, 'detected', 'alice', T0 + MIN))).toBe('INC_TRANSITION');
    const ack = advance(advance(i, 'reported', 'vigil', T0 + MIN), 'acknowledged', 'alice', T0 + 2 * MIN);
    expect(codeOf(() => advance(ack, 'reported', 'alice', T0 + 3 * MIN))).toBe('INC_TRANSITION');
    expect(codeOf(() => advance(ack, 'accepted', 'alice', T0 + 3 * MIN))).toBe('INC_TRANSITION');
    const done = advance(advance(ack, 'resolved', 'a', T0 + 3 * MIN), 'accepted', 'c', T0 + 4 * MIN);
    expect(() => advance(done, 'accepted', 'c', T0 + 5 * MIN)).toThrow(/accepted and closed/);
    expect(codeOf(() => addEntry(done, 'measure', 'a', T0 + 5 * MIN, 'late'))).toBe('INC_CLOSED');
  });

  it('refuses a step dated before the last entry (going back in time)', () => {
    const r = advance(detected(), 'reported', 'vigil', T0 + 10 * MIN);
    expect(codeOf(() => advance(r, 'acknowledged', 'alice', T0 + 9 * MIN))).toBe('INC_TIME');
    expect(codeOf(() => advance(detected(), 'reported', 'vigil', T0 - 1))).toBe('INC_TIME');
  });

  it('reopens only a resolved incident, with a required reason, and clears resolvedAt', () => {
    let i = advance(advance(detected(), 'reported', 'v', T0 + MIN), 'acknowledged', 'a', T0 + 2 * MIN);
    expect(codeOf(() => reopen(i, 'c', T0 + 3 * MIN, 'still broken'))).toBe('INC_TRANSITION');
    i = advance(i, 'resolved', 'a', T0 + 3 * MIN);
    expect(codeOf(() => reopen(i, 'c', T0 + 4 * MIN, '  '))).toBe('INC_REASON');
    const back = reopen(i, 'c', T0 + 4 * MIN, 'logins still failing');
    expect(back.state).toBe('acknowledged');
    expect(back.resolvedAt).toBeUndefined();
    expect(back.timeline.at(-1)).toMatchObject({
      kind: 'reopened',
      actor: 'c',
      text: 'logins still failing',
    });
    expect(advance(back, 'resolved', 'a', T0 + 5 * MIN).resolvedAt).toBe('2026-03-02T10:05:00.000Z');
  });
});
