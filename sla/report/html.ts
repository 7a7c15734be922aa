import type { SlaReport } from './build-report.js';
import { availabilityBars, budgetBurnDown, downtimeTimeline, latencyChart } from './charts.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
export const pct = (v: number | null, digits = 3): string =>
  v === null ? '–' : `${(v * 100).toFixed(digits)} %`;
export const msText = (v: number | null): string => (v === null ? '–' : `${v.toFixed(1)} ms`);
export const secondsText = (s: number): string => {
  // ASCII minus: the PDF's standard Helvetica (WinAnsi) has no U+2212.
  const sign = s < 0 ? '-' : '';
  let rest = Math.abs(Math.round(s));
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  return `${sign}${h} h ${m} min ${rest - m * 60} s`;
};

/** A self-contained HTML report (no scripts, no external assets) with four SVG charts. */
export function reportHtml(r: SlaReport): string {
  const verdict = (ok: boolean): string => (ok ? '<b class="ok">met</b>' : '<b class="bad">not met</b>');
  const rows: [string, string][] = [
    [
      'Availability (eligible time)',
      `${pct(r.availability)} — objective ${pct(r.policy.availability)} — ${verdict(r.availabilityMet)}`,
    ],
    ['Availability (service hours)', pct(r.serviceHoursAvailability)],
    ['Availability (incident-measured, S9)', pct(r.incidentMeasured.availability)],
    [
      'Average response',
      `${msText(r.avgResponseMs)} — target ${r.policy.latency.average_ms} ms — ${verdict(r.latencyMet)}`,
    ],
    [
      'p50 / p95 / p99',
      `${msText(r.p50Ms)} / ${msText(r.p95Ms)} / ${msText(r.p99Ms)} (${r.latencySamples} samples)`,
    ],
    [
      'Down / unknown / excluded',
      `${secondsText(r.downSeconds)} / ${secondsText(r.unknownSeconds)} / ${secondsText(r.excludedSeconds)}`,
    ],
    ['Coverage', pct(r.coverage, 2)],
    ['Error budget left', secondsText(r.budgetRemainingSeconds)],
  ];
  const list = (items: string[]): string =>
    items.length === 0 ? '<p>None.</p>' : `<ul>${items.join('')}</ul>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SLA report ${esc(r.service)} ${esc(r.period)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:800px;color:#222}th{text-align:left;padding-right:1em}
.ok{color:#2e7d32}.bad{color:#c62828}figure{margin:1.5em 0}figcaption{font-weight:600;margin-bottom:.3em}</style></head>
<body><h1>SLA report: ${esc(r.service)} (${esc(r.customer)}), ${esc(r.period)}</h1>
<p>Window ${esc(r.from)} – ${esc(r.to)} (${esc(r.timezone)}); policy <code>${esc(r.policy.id)}</code>.</p>
<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</table>
${availabilityBars(r)}${latencyChart(r)}${downtimeTimeline(r)}${budgetBurnDown(r)}
<h2>Down intervals</h2>${list(r.downIntervals.map(([f, t]) => `<li>${esc(f)} – ${esc(t)} (${secondsText((Date.parse(t) - Date.parse(f)) / 1000)})</li>`))}
<h2>Exclusions</h2>${list(r.exclusions.map((e) => `<li>${esc(e.from)} – ${esc(e.to)}: ${esc(e.kind)} (${esc(e.reason)})</li>`))}
<h2>Planned downtime counted as unplanned</h2>${list(r.unplannedAnnouncements.map((u) => `<li>${esc(u.start)} – ${esc(u.end)}: ${esc(u.reason)} — ${esc(u.note)}</li>`))}
<h2>Availability incidents</h2>${list(r.incidentMeasured.incidents.map((i) => `<li>${esc(i.id)}: ${esc(i.from)} – ${esc(i.to)}${i.open ? ' (not yet accepted)' : ''}, ${secondsText(i.seconds)}</li>`))}
</body></html>
`;
}
