import type { FastifyPluginAsync } from 'fastify';
import { customerScope } from '../core/index.js';
import { overviewData, type OverviewData, type OverviewOptions } from './overview-data.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (v: number | null): string => (v === null ? '–' : `${(v * 100).toFixed(3)} %`);

/**
 * The overview page's stylesheet, served as a file: the Content-Security-Policy allows no inline
 * style (server/security-headers.ts).
 */
export const OVERVIEW_CSS = `body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin-bottom:2em}
th,td{border-bottom:1px solid #ddd;padding:.4em .8em;text-align:left}.ok{color:#2e7d32}.bad{color:#c62828;font-weight:600}
.state{padding:.1em .6em;border-radius:1em;color:#fff}.state.up{background:#2e7d32}.state.down{background:#c62828}.state.unknown{background:#757575}
`;

/** The overview page: one row per service, then the open alerts. Read-only, no scripts. */
export function renderOverview(d: OverviewData): string {
  const rows = d.services
    .map((s) => {
      const latOk = s.avgResponseMs === null || s.avgResponseMs <= s.targetMs;
      return `<tr data-service="${esc(s.id)}"><td>${esc(s.id)}</td><td>${esc(s.customer)}</td>
<td><span class="state ${s.state}">${s.state}</span></td>
<td class="${s.availabilityMet ? 'ok' : 'bad'}">${pct(s.availability)}</td><td>${pct(s.objective)}</td>
<td class="${latOk ? 'ok' : 'bad'}">${s.avgResponseMs === null ? '–' : `${s.avgResponseMs.toFixed(1)} ms`}</td><td>${s.targetMs} ms</td>
<td>${s.coverage === null ? '–' : `${(s.coverage * 100).toFixed(1)} %`}</td></tr>`;
    })
    .join('\n');
  const alerts = d.alerts
    .map(
      (
        a,
      ) => `<tr><td>${esc(a.labels.alertname ?? '')}</td><td>${esc(a.labels.service ?? '')}</td><td>${esc(a.labels.severity ?? '')}</td>
<td>${esc(a.labels.muted_by ?? '')}</td><td>${esc(a.startsAt)}</td><td>${esc(a.annotations.summary ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="30"><title>vigil overview</title>
<link rel="stylesheet" href="/assets/overview.css"></head>
<body><h1>vigil overview</h1><p>As of ${esc(d.generatedAt)}; month-to-date figures from per-minute rollups.</p>
<h2>Services</h2>
<table id="services"><thead><tr><th>Service</th><th>Customer</th><th>Now</th><th>Availability (month to date)</th><th>Objective</th><th>Average latency</th><th>Target</th><th>Coverage</th></tr></thead>
<tbody>${rows || '<tr><td colspan="8">No services with an SLA policy.</td></tr>'}</tbody></table>
<h2>Open alerts</h2>
<table id="alerts"><thead><tr><th>Alert</th><th>Service</th><th>Severity</th><th>Muted by</th><th>Since</th><th>Summary</th></tr></thead>
<tbody>${alerts || '<tr><td colspan="6">No open alerts.</td></tr>'}</tbody></table>
</body></html>
`;
}

/** The overview at `/` (HTML) and `/api/v1/overview` (JSON), both read-only. */
export function overviewPlugin(o: OverviewOptions): FastifyPluginAsync {
  return async (app) => {
    app.get('/', { config: { permission: 'sla:read' } }, async (req, reply) =>
      reply.type('text/html; charset=utf-8').send(renderOverview(await overviewData(o, customerScope(req)))),
    );
    app.get('/api/v1/overview', { config: { permission: 'sla:read' } }, async (req) =>
      overviewData(o, customerScope(req)),
    );
    app.get('/assets/overview.css', { config: { permission: 'public' } }, async (_req, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'max-age=3600').send(OVERVIEW_CSS),
    );
  };
}
