import PDFDocument from 'pdfkit';
import type { ControlResult } from './controls.js';
import type { Period } from './types.js';

/** What the summary states; `evidence verify` recomputes `controls` from the records and compares. */
export interface SummaryFigures {
  period: { from: string; to: string };
  instance: string;
  scope: string;
  frameworks: string[];
  /** Rows per record file. */
  recordCounts: Record<string, number>;
  controls: {
    framework: string;
    id: string;
    status: string;
    reason: string | null;
    figures: Record<string, number>;
  }[];
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The figures of the summary, from the controls and record counts. */
export function summaryFigures(
  period: Period,
  instance: string,
  scope: string,
  frameworks: readonly string[],
  recordCounts: Record<string, number>,
  controls: readonly ControlResult[],
): SummaryFigures {
  return {
    period: { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() },
    instance,
    scope,
    frameworks: [...frameworks],
    recordCounts,
    controls: controls.map((c) => ({
      framework: c.framework,
      id: c.id,
      status: c.status,
      reason: c.reason,
      figures: c.figures,
    })),
  };
}

/** The page an auditor reads first: period, scope, each control's status, links into the records. */
export function summaryHtml(s: SummaryFigures, controls: readonly ControlResult[]): Buffer {
  const rows = controls
    .map(
      (c) =>
        `<tr class="${c.status}"><td>${esc(c.framework)}</td><td>${esc(c.id)}</td><td>${esc(c.check)}</td>` +
        `<td>${esc(c.status.replace('_', ' '))}</td><td>${esc(c.reason ?? '')}</td>` +
        `<td>${c.records.map((p) => `<a href="${esc(p.replace(/^data\//, ''))}">${esc(p.replace(/^data\//, ''))}</a>`).join('<br>')}</td></tr>`,
    )
    .join('\n');
  const counts = Object.entries(s.recordCounts)
    .map(([p, n]) => `<li><a href="${esc(p.replace(/^data\//, ''))}">${esc(p)}</a>: ${n} records</li>`)
    .join('\n');
  return Buffer.from(
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vigil evidence ${esc(s.period.from)} – ${esc(s.period.to)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px;vertical-align:top}
.not_satisfied td:nth-child(4){color:#a00;font-weight:bold}.satisfied td:nth-child(4){color:#060}</style></head>
<body><h1>vigil evidence</h1>
<p>Instance <b>${esc(s.instance)}</b>; period ${esc(s.period.from)} to ${esc(s.period.to)} (end exclusive); scope: ${esc(s.scope)}; frameworks: ${esc(s.frameworks.join(', '))}.</p>
<p>Statuses are computed by vigil from the records in this bundle; <code>vigil evidence verify</code> recomputes them. "manual" means an auditor must judge.</p>
<table><thead><tr><th>framework</th><th>requirement</th><th>vigil checks</th><th>status</th><th>reason</th><th>records</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>Records</h2><ul>
${counts}
</ul></body></html>
`,
    'utf8',
  );
}

/** The same summary as PDF; byte-stable: CreationDate is the period end, no random ids. */
export function summaryPdf(s: SummaryFigures, controls: readonly ControlResult[]): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    compress: true,
    info: {
      Title: `vigil evidence ${s.period.from} – ${s.period.to}`,
      Author: 'vigil',
      Producer: 'vigil',
      Creator: 'vigil',
      CreationDate: new Date(s.period.to),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(16).text('vigil evidence');
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(`Instance ${s.instance}; period ${s.period.from} to ${s.period.to}; scope: ${s.scope}`)
    .moveDown();
  for (const c of controls) {
    doc.font('Helvetica-Bold').text(`${c.framework} ${c.id}: ${c.status.replace('_', ' ')}`);
    doc.font('Helvetica').text(c.check);
    if (c.reason) doc.text(c.reason);
    if (c.records.length)
      doc
        .fillColor('#555')
        .text(`records: ${c.records.join(', ')}`)
        .fillColor('black');
    doc.moveDown(0.5);
  }
  doc.end();
  return done;
}
