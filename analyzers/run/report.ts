import type { Finding } from '../../core/index.js';
import type { StoredAnalysisRun } from '../../core/index.js';

/** A run report for security officers: the run, its inputs, counts, new findings, sensor health, reviews. */
export interface RunReport {
  run: StoredAnalysisRun;
  newFindings: Finding[];
  findings: Finding[];
  reviews: { by: string; at: string; note: string }[];
  previousRun?: { id: string; finishedAt?: string };
}

/** The JSON form (stable field names). */
export function runReportJson(r: RunReport): Record<string, unknown> {
  return {
    run: r.run,
    previousRun: r.previousRun ?? null,
    newFindings: r.newFindings,
    findings: r.findings,
    reviews: r.reviews,
  };
}

const esc = (s: unknown): string =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const table = (head: string[], rows: unknown[][]): string =>
  `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

/** A self-contained HTML page (no scripts, no external assets) for one run. */
export function runReportHtml(r: RunReport): string {
  const s = (r.run.summary ?? {}) as {
    perDetector?: Record<string, number>;
    newPerDetector?: Record<string, number>;
    topSources?: { src: string; findings: number }[];
    sensorHealth?: { title: string; severity: string }[];
    sensorHealthTotal?: number;
    sigmaProblems?: { file: string; line: number; message: string }[];
    records?: number;
    badRecords?: number;
  };
  const detectors = Object.keys({ ...s.perDetector, ...s.newPerDetector }).sort();
  const findingRows = (fs: Finding[]): unknown[][] =>
    fs.map((f) => [
      f.severity,
      f.detector,
      f.title,
      f.src ?? '',
      f.dst ?? '',
      f.customerId ?? '',
      f.count,
      f.firstSeen,
      f.lastSeen,
    ]);
  const fhead = [
    'severity',
    'detector',
    'finding',
    'source',
    'destination',
    'customer',
    'count',
    'first seen',
    'last seen',
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vigil analysis run ${esc(r.run.id)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#f3f3f3}.ok{color:#070}.partial{color:#a60}.failed{color:#b00}</style>
</head><body>
<h1>Analysis run ${esc(r.run.id)}</h1>
<p>Analyzer <b>${esc(r.run.analyzer)}</b>, scheduled for ${esc(r.run.scheduledFor)}, started ${esc(r.run.startedAt)}, finished ${esc(r.run.finishedAt ?? '—')}:
<b class="${esc(r.run.status)}">${esc(r.run.status)}</b>. ${esc(s.records ?? 0)} records read, ${esc(s.badRecords ?? 0)} bad records.
${r.previousRun ? `Previous run: ${esc(r.previousRun.id)} (finished ${esc(r.previousRun.finishedAt ?? '—')}).` : 'No previous run.'}</p>
<h2>Review</h2>
${
  r.reviews.length === 0
    ? '<p><b>Not reviewed yet.</b></p>'
    : table(
        ['reviewed by', 'at', 'note'],
        r.reviews.map((v) => [v.by, v.at, v.note]),
      )
}
<h2>Findings per detector</h2>
${table(
  ['detector', 'findings in this run', 'new since the last run'],
  detectors.map((d) => [d, s.perDetector?.[d] ?? 0, s.newPerDetector?.[d] ?? 0]),
)}
<h2>New findings since the last run (${r.newFindings.length})</h2>
${table(fhead, findingRows(r.newFindings))}
<h2>Top sources</h2>
${table(
  ['source', 'findings'],
  (s.topSources ?? []).map((t) => [t.src, t.findings]),
)}
<h2>Sensor health</h2>
${
  (s.sensorHealthTotal ?? 0) > (s.sensorHealth ?? []).length
    ? `<p>The first ${(s.sensorHealth ?? []).length} of ${esc(s.sensorHealthTotal)} sensor health findings; all are under "All findings" below.</p>`
    : ''
}
${
  (s.sensorHealth ?? []).length === 0
    ? '<p>No sensor problems seen.</p>'
    : table(
        ['severity', 'problem'],
        (s.sensorHealth ?? []).map((h) => [h.severity, h.title]),
      )
}
${
  (s.sigmaProblems ?? []).length === 0
    ? ''
    : `<h2>Sigma rules not run</h2>\n${table(
        ['rule file', 'line', 'why'],
        (s.sigmaProblems ?? []).map((p) => [p.file, p.line, p.message]),
      )}`
}
<h2>Inputs</h2>
${table(
  ['file', 'sha256', 'from', 'to', 'records', 'bad records', 'first problems'],
  r.run.inputs.map((i) => [
    i.path,
    i.sha256,
    i.fromOffset,
    i.toOffset,
    i.records,
    i.badRecords,
    ((i as { errors?: { line: number; message: string }[] }).errors ?? [])
      .slice(0, 3)
      .map((e) => `line ${e.line}: ${e.message}`)
      .join('; '),
  ]),
)}
<h2>All findings of this run (${r.findings.length})</h2>
${table(fhead, findingRows(r.findings))}
</body></html>
`;
}
