import { describe, expect, it } from 'vitest';
import { FiringAlerts, type Alert } from '../../core/index.js';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const S = 1000;
const iso = (ms: number) => new Date(ms).toISOString();

function setup(resendMs = 60 * S) {
  let now = T0;
  const sent: Alert[][] = [];
  const fa = new FiringAlerts({
    sink: async (a) => void sent.push(a),
    clock: { now: () => now },
    resendMs,
  });
  return { fa, sent, at: (t: number) => (now = t), last: () => sent.at(-1) ?? [] };
}

const down = { labels: { alertname: 'Down', service: 'web' }, annotations: {}, startsAt: iso(T0) };

describe('FiringAlerts keeps firing alerts alive as Prometheus does', () => {
  it('sends a new alert with endsAt 4 resend intervals ahead, re-sends it every interval, resolves once', async () => {
    const { fa, sent, at } = setup();
    await fa.replace('s', [down], T0);
    expect(sent).toEqual([[{ ...down, endsAt: iso(T0 + 240 * S) }]]);
    // Within the interval nothing is sent again.
    await fa.replace('s', [down], T0 + 30 * S);
    expect(sent).toHaveLength(1);
    // Due: re-sent with the first startsAt and a new endsAt, though the desired startsAt moved.
    await fa.replace('s', [{ ...down, startsAt: iso(T0 + 50 * S) }], T0 + 60 * S);
    expect(sent[1]).toEqual([{ ...down, endsAt: iso(T0 + 300 * S) }]);
    // The resend timer's path does the same for a source that evaluates rarely.
    at(T0 + 125 * S);
    await fa.tick();
    expect(sent[2]).toEqual([{ ...down, endsAt: iso(T0 + 365 * S) }]);
    // Cleared: resolved explicitly at the given end, then forgotten.
    await fa.replace('s', [], T0 + 130 * S, () => T0 + 128 * S);
    expect(sent[3]).toEqual([{ ...down, endsAt: iso(T0 + 128 * S) }]);
    await fa.replace('s', [], T0 + 400 * S);
    await fa.tick(T0 + 400 * S);
    expect(sent).toHaveLength(4);
    expect(fa.firing()).toEqual([]);
  });

  it('keeps scopes apart: replacing one scope never resolves another', async () => {
    const { fa, sent } = setup();
    const other = { ...down, labels: { alertname: 'Burn', service: 'web' } };
    await fa.replace('fast', [down], T0);
    await fa.replace('slow', [other], T0);
    await fa.replace('fast', [down], T0 + S);
    expect(sent.flat().filter((a) => Date.parse(a.endsAt!) <= T0 + S)).toEqual([]);
    expect(fa.firing('slow')).toEqual([other]);
  });

  it('holds an event alert until its time is up, longer when it happens again, then resolves it', async () => {
    const { fa, sent, at } = setup(60 * S);
    const ev = { labels: { alertname: 'IDSAlert', sid: '1' }, annotations: {}, startsAt: iso(T0) };
    await fa.fire([ev], { untilMs: T0 + 90 * S });
    expect(sent[0]![0]!.endsAt).toBe(iso(T0 + 90 * S));
    at(T0 + 60 * S);
    await fa.fire([ev], { untilMs: T0 + 150 * S });
    expect(sent).toHaveLength(1);
    await fa.tick(T0 + 60 * S);
    expect(sent[1]![0]!.endsAt).toBe(iso(T0 + 150 * S));
    await fa.tick(T0 + 151 * S);
    expect(sent[2]).toEqual([{ ...ev, endsAt: iso(T0 + 150 * S) }]);
    expect(fa.firing()).toEqual([]);
  });

  it('fire then resolve by labels; resolving what is not firing sends nothing', async () => {
    const { fa, sent, at } = setup();
    await fa.fire([down]);
    at(T0 + 5 * S);
    await fa.resolve([{ service: 'web', alertname: 'Down' }]);
    await fa.resolve([{ service: 'web', alertname: 'Down' }]);
    expect(sent.map((b) => b.map((a) => a.endsAt))).toEqual([[iso(T0 + 240 * S)], [iso(T0 + 5 * S)]]);
  });
});
