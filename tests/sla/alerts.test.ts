import { describe, expect, it } from 'vitest';
import {
  createLogger,
  createMetricsRegistry,
  insertProbeResults,
  openStore,
  type ProbeResult,
} from '../../core/index.js';
import {
  burnRateAlerts,
  createSlaEvaluator,
  insertPlannedDowntime,
  latencyAlert,
  outageAlert,
  slaPoliciesSchema,
  slaServicesFrom,
  type SlaSample,
} from '../../sla/index.js';

const NOW = Date.UTC(2026, 5, 10, 12, 0, 0); // a Wednesday
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

function service(extra: Record<string, unknown> = {}) {
  return slaServicesFrom({
    timezone: 'Europe/Amsterdam',
    sla_policies: slaPoliciesSchema.parse([
      { id: 'std', availability: '99.9%', latency: { average_ms: 50 }, maintenance: ['wed-noon'], ...extra },
    ]),
    services: [
      { id: 'web', customer: 'acme', sla: 'std', probes: [{ id: 'http', sla: true, interval: 10_000 }] },
    ],
  })[0]!;
}

function samples(from: number, to: number, down: (t: number) => boolean, totalMs = 20): SlaSample[] {
  const out: SlaSample[] = [];
  for (let t = from; t < to; t += 10 * S)
    for (const location of ['ams', 'fra', 'lon']) out.push({ ts: t, ok: !down(t), totalMs, location });
  return out;
}

describe('burn-rate alerts (SRE workbook multi-window, multi-burn-rate)', () => {
  it.each([
    ['down the last 10 min: all three rules', NOW - 10 * MIN, NOW, ['1h/5m', '6h/30m', '3d/6h']],
    [
      'down 10 min that ended 20 min ago: the 5 min window has cleared',
      NOW - 30 * MIN,
      NOW - 20 * MIN,
      ['6h/30m', '3d/6h'],
    ],
    ['down 10 min that ended 40 min ago: only the slow ticket', NOW - 50 * MIN, NOW - 40 * MIN, ['3d/6h']],
    [
      'down 1 min just over an hour ago: 0 over 1 h, 0.23× over 3 d, nothing fires',
      NOW - 61 * MIN,
      NOW - 60 * MIN,
      [],
    ],
  ])('%s', (_name, from, to, windows) => {
    const s = samples(NOW - 3 * 24 * H, NOW, (t) => t >= from && t < to);
    const fired = burnRateAlerts(service(), s, NOW, []);
    expect(fired.map((a) => a.labels.window)).toEqual(windows);
    for (const a of fired) expect(a.labels.severity).toBe(a.labels.window === '3d/6h' ? 'ticket' : 'page');
  });

  it('excluded time does not burn budget', () => {
    const s = samples(NOW - 3 * 24 * H, NOW, (t) => t >= NOW - 10 * MIN);
    expect(burnRateAlerts(service(), s, NOW, [[NOW - 15 * MIN, NOW]])).toEqual([]);
  });
});

describe('outage and latency alerts', () => {
  it('outage starts where the quorum first said down; a single location is not enough', () => {
    const s = samples(NOW - 10 * MIN, NOW, (t) => t >= NOW - 2 * MIN);
    expect(outageAlert(service(), s, NOW - 1)?.startsAt).toBe(NOW - 2 * MIN);
    const oneLoc = s.map((x) => (x.location === 'ams' ? x : { ...x, ok: true }));
    expect(outageAlert(service(), oneLoc, NOW - 1)).toBeUndefined();
  });

  it('sustained latency over the span fires; loop-delay-flagged samples do not count', () => {
    const slow = samples(NOW - 10 * MIN, NOW, () => false, 80);
    expect(latencyAlert(service(), slow, NOW)?.labels).toMatchObject({
      alertname: 'SlaLatencyHigh',
      severity: 'ticket',
    });
    expect(
      latencyAlert(
        service(),
        slow.map((x) => ({ ...x, loopDelayFlagged: true })),
        NOW,
      ),
    ).toBeUndefined();
    expect(
      latencyAlert(
        service(),
        samples(NOW - 10 * MIN, NOW, () => false, 40),
        NOW,
      ),
    ).toBeUndefined();
  });
});

describe('the evaluator mutes pages during maintenance and announced downtime, and still records them', () => {
  function result(at: number, location: string, ok: boolean): ProbeResult {
    return {
      targetId: 'web/http',
      location,
      startedAt: new Date(at).toISOString(),
      ok,
      totalMs: 20,
      loopDelayMs: 0,
      phases: { resolve: 0, connect: 0, tls: 0, processing: 20, transfer: 0 },
    };
  }

  it.each([
    ['inside the maintenance window', NOW + 30 * MIN, 'maintenance:wed-noon'],
    ['inside an announced downtime', NOW + 5 * H, 'planned_downtime:'],
    ['outside both', NOW + 3 * H, undefined],
  ])('%s', async (_name, at, muted) => {
    const store = await openStore('sqlite::memory:');
    try {
      const rows: ProbeResult[] = [];
      for (let t = at - 5 * MIN; t < at; t += 10 * S)
        for (const l of ['ams', 'fra', 'lon']) rows.push(result(t, l, t < at - MIN));
      await insertProbeResults(store.db, rows);
      // Announced only 1 h ahead: it still mutes, though it counts as unplanned.
      await insertPlannedDowntime(
        store.db,
        {
          serviceId: 'web',
          start: new Date(NOW + 4 * H).toISOString(),
          end: new Date(NOW + 6 * H).toISOString(),
          reason: 'upgrade',
        },
        NOW + 3 * H,
      );
      const sent: unknown[] = [];
      const ev = createSlaEvaluator({
        services: [service()],
        // 12:00–13:00 UTC is 14:00–15:00 in Amsterdam (CEST).
        timeIntervals: [
          {
            name: 'wed-noon',
            time_intervals: [
              { weekdays: ['wednesday'], times: [{ start_time: '14:00', end_time: '15:00' }] },
            ],
          },
        ],
        store,
        log: createLogger({ level: 'silent' }),
        metrics: createMetricsRegistry(),
        clock: { now: () => at },
        sink: async (a) => void sent.push(...a),
      });
      const out = await ev.evaluateOnce(at - 1);
      const outage = out.find((a) => a.labels.alertname === 'SlaServiceDown');
      expect(outage).toBeDefined();
      if (muted === undefined) expect(outage!.labels.muted_by).toBeUndefined();
      else expect(outage!.labels.muted_by).toMatch(new RegExp(`^${muted}`));
      expect(sent).toEqual(out);
    } finally {
      await store.close();
    }
  });
});
