import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Incident } from '../../core/index.js';
import {
  buildReport,
  incidentAvailability,
  intervalResolver,
  monthRange,
  recomputeReport,
  reportCsv,
  reportHtml,
  reportPdf,
  slaPolicySchema,
  type SlaSample,
} from '../../sla/index.js';

const TZ = 'Europe/Amsterdam';
const intervals = [
  {
    name: 'sat',
    time_intervals: [{ weekdays: ['saturday'], times: [{ start_time: '09:00', end_time: '17:00' }] }],
  },
];
const policy = slaPolicySchema.parse({
  id: 'standard',
  availability: '99.9%',
  latency: { average_ms: 50 },
  maintenance: ['sat'],
});
const [FROM, TO] = monthRange('2026-03', TZ);

function report(samples: SlaSample[], incidents: Incident[] = []) {
  return buildReport({
    serviceId: 'office-web',
    customer: 'acme',
    policy,
    timezone: TZ,
    resolve: intervalResolver(intervals, TZ),
    probeIntervalMs: 600_000,
    samples: [...samples].sort((a, b) => a.ts - b.ts),
    planned: [
      { id: 'pd-1', start: FROM + 86_400_000, end: FROM + 90_000_000, announcedAt: FROM, reason: 'upgrade' },
    ],
    incidents,
    period: '2026-03',
    fromMs: FROM,
    toMs: TO,
  });
}

const sampleArb = fc.record({
  ts: fc.integer({ min: FROM - 600_000, max: TO - 1 }),
  ok: fc.boolean(),
  totalMs: fc.integer({ min: 1, max: 400 }),
  location: fc.constantFrom('ams', 'fra', 'lon'),
});

describe('reports', () => {
  it("a report's JSON recomputes to its own headline figures", () => {
    fc.assert(
      fc.property(fc.array(sampleArb, { maxLength: 400 }), (samples) => {
        const r = JSON.parse(JSON.stringify(report(samples))) as ReturnType<typeof report>;
        const again = recomputeReport(r);
        for (const k of [
          'eligibleSeconds',
          'excludedSeconds',
          'upSeconds',
          'downSeconds',
          'unknownSeconds',
          'budgetRemainingSeconds',
          'latencySamples',
        ] as const) {
          expect(again[k]).toBeCloseTo(r[k], 3);
        }
        for (const k of ['availability', 'coverage', 'avgResponseMs'] as const) {
          if (r[k] === null) expect(again[k]).toBeNull();
          else expect(again[k]).toBeCloseTo(r[k], 9);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('incident-measured availability runs from the earlier of detection and report to acceptance', () => {
    const inc: Incident = {
      id: 'inc-7',
      kind: 'availability',
      customerId: 'acme',
      serviceId: 'office-web',
      priority: 'P1',
      title: 'down',
      detectedAt: '2026-03-10T10:00:00.000Z',
      reportedAt: '2026-03-10T09:50:00.000Z',
      resolvedAt: '2026-03-10T10:30:00.000Z',
      acceptedAt: '2026-03-10T11:50:00.000Z',
      timeline: [],
    };
    const a = incidentAvailability([inc], FROM, TO, []);
    expect(a.downSeconds).toBe(2 * 3600);
    expect(a.availability).toBeCloseTo(1 - 7200 / ((TO - FROM) / 1000), 12);
    const open = incidentAvailability(
      [{ ...inc, acceptedAt: undefined } as Incident],
      FROM,
      Date.parse('2026-03-10T12:50:00Z'),
      [],
    );
    expect(open.downSeconds).toBe(3 * 3600);
    expect(open.incidents[0]!.open).toBe(true);
    // Side by side in the report.
    const r = report([], [inc]);
    expect(r.incidentMeasured.downSeconds).toBe(7200);
    expect(r.availability).toBeNull();
  });

  it('the PDF is byte-stable for the same input, and CSV/HTML carry every down interval', async () => {
    const samples: SlaSample[] = [];
    for (let t = FROM; t < TO; t += 600_000)
      samples.push({
        ts: t,
        ok: !(t >= FROM + 5 * 86_400_000 && t < FROM + 5 * 86_400_000 + 3_600_000),
        totalMs: 20 + (t % 7),
        location: 'ams',
      });
    const r = report(samples);
    expect(r.downSeconds).toBe(3600);
    const a = await reportPdf(r);
    await new Promise((res) => setTimeout(res, 1100));
    const b = await reportPdf(report(samples));
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    expect(Buffer.compare(a, b)).toBe(0);
    const csv = reportCsv(r);
    expect(csv).toContain(`${r.downIntervals[0]![0]},${r.downIntervals[0]![1]}`);
    expect(csv).toContain('planned_downtime,pd-1: upgrade');
    const html = reportHtml(r);
    expect((html.match(/<svg /g) ?? []).length).toBe(4);
    expect(html).toContain(r.downIntervals[0]![0]);
  });
});
