import { describe, expect, it } from 'vitest';
import { Silences, silenceState, compileIntervals, anyActive } from '../../alerting/index.js';
import { alert, dispatcherFor, S, show, T0 } from './helpers/dispatch.js';

const eq = (name: string, value: string) => ({ name, value, isRegex: false, isEqual: true });
const base = { createdBy: 'ann', comment: 'maintenance' };

describe('silences', () => {
  it('mute matching alerts while active, not before or after', () => {
    const { d, silences } = dispatcherFor(`
route: { receiver: ops, group_by: ['...'], group_wait: 0s, group_interval: 1m }
receivers: [{name: ops}]`);
    silences.set(
      { ...base, matchers: [eq('service', 'web')], startsAt: T0 + 60 * S, endsAt: T0 + 120 * S },
      T0,
    );
    d.ingest(alert({ alertname: 'A', service: 'web' }, T0 + 60 * S), T0 + 60 * S);
    d.ingest(alert({ alertname: 'B', service: 'db' }, T0 + 60 * S), T0 + 60 * S);
    expect(show(d.runDue(T0 + 60 * S))).toEqual(['ops notify [B] []']);
    expect(show(d.runDue(T0 + 120 * S))).toEqual(['ops notify [A] []']); // silence ended
  });

  it.each([
    ['same matchers, active, longer end: updated in place', 'active', { endsAt: T0 + 7200 * S }, true],
    ['changed matchers: replaced by a new silence', 'active', { matchers: [eq('service', 'db')] }, false],
    ['moved start of an active silence: replaced', 'active', { startsAt: T0 + 10 * S }, false],
    ['pending silence, new future start: updated in place', 'pending', { startsAt: T0 + 1800 * S }, true],
  ])('%s', (_n, state, change, inPlace) => {
    const s = new Silences();
    const start = state === 'active' ? T0 - 60 * S : T0 + 600 * S;
    const first = s.set(
      { ...base, matchers: [eq('service', 'web')], startsAt: start, endsAt: T0 + 3600 * S },
      T0 - 60 * S,
    );
    expect(silenceState(s.get(first.id)!, T0)).toBe(state);
    const orig = s.get(first.id)!;
    const second = s.set({ ...orig, ...change, id: first.id }, T0);
    expect(second.id === first.id).toBe(inPlace);
    if (!inPlace) {
      // Editing replaces: the old one is expired, not deleted, and the new one is active/pending.
      expect(silenceState(s.get(first.id)!, T0)).toBe('expired');
      expect(silenceState(s.get(second.id)!, T0)).not.toBe('expired');
      expect(s.list()).toHaveLength(2);
    }
  });

  it('rejects a silence whose matchers all match the empty string', () => {
    expect(() =>
      new Silences().set(
        {
          ...base,
          matchers: [{ name: 'a', value: '.*', isRegex: true, isEqual: true }],
          startsAt: T0,
          endsAt: T0 + S,
        },
        T0,
      ),
    ).toThrow(/empty string/);
  });
});

describe('time intervals (mute_time_intervals / active_time_intervals)', () => {
  // The night of 29 March 2026 Europe/Amsterdam skips 02:00–03:00 (CET → CEST).
  const yaml = (key: 'mute_time_intervals' | 'active_time_intervals') => `
route:
  receiver: ops
  group_wait: 0s
  group_interval: 1m
  routes:
    - matchers: [team="web"]
      ${key}: [night]
time_intervals:
  - name: night
    time_intervals:
      - weekdays: [sunday]
        times: [{ start_time: "01:00", end_time: "04:00" }]
        location: Europe/Amsterdam
receivers: [{name: ops}]`;

  it.each([
    ['2026-03-29T00:30:00Z', true], // 01:30 CET
    ['2026-03-29T01:30:00Z', true], // 03:30 CEST, right after the jump
    ['2026-03-29T02:30:00Z', false], // 04:30 CEST: an hour earlier in UTC than in winter
    ['2026-03-22T02:30:00Z', true], // a week before: 03:30 CET
    ['2026-10-25T02:30:00Z', true], // autumn: 03:30 CET after falling back
    ['2026-03-28T00:30:00Z', false], // a Saturday
  ])('at %s muted=%s (and active_time_intervals is its mirror)', (iso, inside) => {
    const at = Date.parse(iso);
    for (const key of ['mute_time_intervals', 'active_time_intervals'] as const) {
      const { d } = dispatcherFor(yaml(key));
      d.ingest(alert({ alertname: 'Down', team: 'web' }, at), at);
      const sent = d.runDue(at).length > 0;
      expect(sent).toBe(key === 'mute_time_intervals' ? !inside : inside);
    }
  });

  it('alerting intervals default to UTC (Alertmanager), shared vigil ones to the vigil timezone', () => {
    const office = {
      name: 'office',
      time_intervals: [{ times: [{ start_time: '09:00', end_time: '17:00' }] }],
    };
    const at = Date.parse('2026-01-05T16:30:00Z'); // 17:30 in Amsterdam
    expect(anyActive(compileIntervals([office], [], 'Europe/Amsterdam'), ['office'], at)).toBe(true);
    expect(anyActive(compileIntervals([], [office], 'Europe/Amsterdam'), ['office'], at)).toBe(false);
    expect(anyActive(compileIntervals([], [office], 'Europe/Amsterdam'), ['office'], at - 3600 * S)).toBe(
      true,
    );
  });
});
