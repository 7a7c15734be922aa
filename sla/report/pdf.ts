import PDFDocument from 'pdfkit';
import type { SlaReport } from './build-report.js';
import { msText, pct, secondsText } from './html.js';

/**
 * A PDF report (pdfkit). Byte-stable for the same input: CreationDate is the report's window end,
 * not the wall clock, and pdfkit adds no random ids without encryption.
 */
export function reportPdf(r: SlaReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    compress: true,
    info: {
      Title: `SLA report ${r.service} ${r.period}`,
      Author: 'vigil',
      Producer: 'vigil',
      Creator: 'vigil',
      CreationDate: new Date(r.to),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(16).text(`SLA report: ${r.service} (${r.customer}), ${r.period}`);
  doc
    .font('Helvetica')
    .fontSize(9)
    .text(`Window ${r.from} – ${r.to} (${r.timezone}); policy ${r.policy.id}`)
    .moveDown();
  const lines: [string, string][] = [
    [
      'Availability',
      `${pct(r.availability)} (objective ${pct(r.policy.availability)}): ${r.availabilityMet ? 'met' : 'NOT met'}`,
    ],
    ['Service-hours availability', pct(r.serviceHoursAvailability)],
    ['Incident-measured availability', pct(r.incidentMeasured.availability)],
    [
      'Average response',
      `${msText(r.avgResponseMs)} (target ${r.policy.latency.average_ms} ms): ${r.latencyMet ? 'met' : 'NOT met'}`,
    ],
    ['p50 / p95 / p99', `${msText(r.p50Ms)} / ${msText(r.p95Ms)} / ${msText(r.p99Ms)}`],
    [
      'Down / unknown / excluded',
      `${secondsText(r.downSeconds)} / ${secondsText(r.unknownSeconds)} / ${secondsText(r.excludedSeconds)}`,
    ],
    ['Coverage', pct(r.coverage, 2)],
    ['Error budget left', secondsText(r.budgetRemainingSeconds)],
  ];
  doc.fontSize(10);
  for (const [k, v] of lines)
    doc.font('Helvetica-Bold').text(`${k}: `, { continued: true }).font('Helvetica').text(v);
  doc.moveDown();
  // Daily availability bars, drawn as vectors.
  const x0 = 48;
  const y0 = doc.y + 10;
  const w = 500;
  const h = 100;
  const objective = r.policy.availability;
  const lowest = Math.min(objective - (1 - objective) * 9, ...r.daily.map((d) => d.availability ?? 1));
  const floor = Math.max(0, lowest - (1 - lowest) * 0.15);
  const bw = r.daily.length === 0 ? 0 : w / r.daily.length;
  doc.font('Helvetica-Bold').text('Daily availability', x0, y0 - 14);
  doc.rect(x0, y0, w, h).stroke('#999999');
  r.daily.forEach((d, i) => {
    if (d.availability === null) return;
    const bh = (h * (d.availability - floor)) / (1 - floor);
    doc
      .rect(x0 + i * bw + 1, y0 + h - bh, Math.max(1, bw - 2), bh)
      .fill(d.availability < objective ? '#c62828' : '#2e7d32');
  });
  doc.fillColor('#000000').font('Helvetica').fontSize(9);
  doc.text(`${(floor * 100).toFixed(2)} % – 100 %`, x0, y0 + h + 4);
  doc.moveDown();
  const section = (title: string, items: string[]): void => {
    doc.font('Helvetica-Bold').fontSize(11).text(title, x0).font('Helvetica').fontSize(9);
    if (items.length === 0) doc.text('None.');
    for (const it of items) doc.text(`• ${it}`);
    doc.moveDown(0.5);
  };
  section(
    'Down intervals',
    r.downIntervals.map(([f, t]) => `${f} – ${t}`),
  );
  section(
    'Exclusions',
    r.exclusions.map((e) => `${e.from} – ${e.to}: ${e.kind} (${e.reason})`),
  );
  section(
    'Planned downtime counted as unplanned',
    r.unplannedAnnouncements.map((u) => `${u.start} – ${u.end}: ${u.reason}; ${u.note}`),
  );
  section(
    'Availability incidents',
    r.incidentMeasured.incidents.map((i) => `${i.id}: ${i.from} – ${i.to}${i.open ? ' (open)' : ''}`),
  );
  doc.end();
  return done;
}
