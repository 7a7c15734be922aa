import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { customerScope, inScope } from '../../core/index.js';
import { apiError, callApi } from './api.js';
import { pageCtx, type PageCtx, type UiOptions } from './context.js';
import { html } from './html.js';
import { csrfField, layout, pager, paginate } from './layout.js';

const send = (reply: FastifyReply, page: string, code = 200) =>
  reply.code(code).type('text/html; charset=utf-8').send(page);
const pct = (v: number | null | undefined): string =>
  v === null || v === undefined ? '–' : `${(v * 100).toFixed(3)} %`;
const ms = (v: number | null | undefined): string =>
  v === null || v === undefined ? '–' : `${v.toFixed(1)} ms`;
const form = (req: FastifyRequest) => (req.body ?? {}) as Record<string, string | undefined>;

interface Downtime {
  id: string;
  serviceId: string;
  start: string;
  end: string;
  announcedAt: string;
  reason: string;
}
interface Report {
  availability: number | null;
  coverage: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  downIntervals: Array<[string, string]>;
  exclusions: Array<{ from: string; to: string; kind: string; reason: string }>;
  policy: { availability: number };
  daily: Array<{
    date: string;
    availability: number | null;
    p50Ms: number | null;
    p95Ms: number | null;
    p99Ms: number | null;
  }>;
}

/** The month `YYYY-MM` of now in the configured zone. */
function thisMonth(o: UiOptions): string {
  const p = new Intl.DateTimeFormat('en-CA', {
    timeZone: o.timeZone,
    year: 'numeric',
    month: '2-digit',
  }).format(o.clock.now());
  return p.slice(0, 7);
}

/** Planned downtime (announce, list, whether it met the notice) and the service page with its month report. */
export function slaPages(app: FastifyInstance, o: UiOptions): void {
  app.get('/ui/downtime', { config: { permission: 'sla:read' } }, async (req, reply) =>
    send(reply, await downtimePage(app, o, req)),
  );

  app.post('/ui/downtime', { config: { permission: 'sla:write' } }, async (req, reply) => {
    const f = form(req);
    const res = await callApi(
      app,
      req,
      'POST',
      '/api/v1/planned-downtimes',
      { service: f.service ?? '', start: f.start ?? '', end: f.end ?? '', reason: f.reason ?? '' },
      f._csrf,
    );
    if (res.statusCode === 201) return reply.redirect('/ui/downtime', 303);
    const c = pageCtx(o, req);
    const msg = (res.json() as { message?: string }).message ?? apiError(res);
    return send(
      reply,
      await downtimePage(app, o, req, `${c.t('The request was refused:')} ${msg}`),
      res.statusCode,
    );
  });

  app.get('/ui/services/:service', { config: { permission: 'sla:read' } }, async (req, reply) => {
    const c = pageCtx(o, req);
    const id = (req.params as { service: string }).service;
    const q = req.query as { month?: string };
    const month = q.month && /^\d{4}-(0[1-9]|1[0-2])$/.test(q.month) ? q.month : thisMonth(o);
    const svc = o.overview.services.find((s) => s.id === id && inScope(customerScope(req), s.customer));
    if (!svc) return send(reply, layout(c, c.t('Service'), html`<p class="error">404</p>`), 404);
    const url = `/api/v1/sla/reports/${encodeURIComponent(id)}/${month}`;
    const res = await callApi(app, req, 'GET', url);
    if (res.statusCode !== 200)
      return send(
        reply,
        layout(c, id, html`<p class="error" role="alert">${apiError(res)}</p>`),
        res.statusCode,
      );
    const r = res.json() as Report;
    return send(reply, layout(c, `${id} · ${month}`, servicePage(c, svc.customer, r, url, id, month)));
  });
}

function servicePage(c: PageCtx, customer: string, r: Report, url: string, id: string, month: string) {
  return html`<p>${c.t('Customer')}: ${c.customerName(customer)}</p>
    <form class="filters" method="get" action="/ui/services/${id}">
      <label>Month <input name="month" value="${month}" pattern="\\d{4}-\\d{2}" /></label
      ><button type="submit">${c.t('Filter')}</button>
    </form>
    <table id="headline">
      <tbody>
        <tr>
          <th>${c.t('Availability (month to date)')}</th>
          <td class="${r.availability === null || r.availability >= r.policy.availability ? 'ok' : 'bad'}">
            ${pct(r.availability)}
          </td>
        </tr>
        <tr>
          <th>${c.t('Objective')}</th>
          <td>${pct(r.policy.availability)}</td>
        </tr>
        <tr>
          <th>${c.t('Coverage')}</th>
          <td>${pct(r.coverage)}</td>
        </tr>
        <tr>
          <th>p50 / p95 / p99</th>
          <td>${ms(r.p50Ms)} / ${ms(r.p95Ms)} / ${ms(r.p99Ms)}</td>
        </tr>
      </tbody>
    </table>
    <p>
      ${c.t('Report')}: <a href="${url}?format=html">HTML</a> · <a href="${url}?format=pdf">PDF</a> ·
      <a href="${url}?format=csv">CSV</a>
    </p>
    <h2>${c.t('Downtime')}</h2>
    <table id="down">
      <thead>
        <tr>
          <th>${c.t('From')}</th>
          <th>${c.t('To')}</th>
        </tr>
      </thead>
      <tbody>
        ${
          r.downIntervals.length
            ? r.downIntervals.map(
                ([a, b]) =>
                  html`<tr>
                    <td>${c.time(a)}</td>
                    <td>${c.time(b)}</td>
                  </tr>`,
              )
            : html`<tr>
                <td colspan="2">–</td>
              </tr>`
        }
      </tbody>
    </table>
    <h2>${c.t('Excluded')}</h2>
    <table id="excluded">
      <thead>
        <tr>
          <th>${c.t('From')}</th>
          <th>${c.t('To')}</th>
          <th>${c.t('Kind')}</th>
          <th>${c.t('Reason')}</th>
        </tr>
      </thead>
      <tbody>
        ${
          r.exclusions.length
            ? r.exclusions.map(
                (e) =>
                  html`<tr>
                    <td>${c.time(e.from)}</td>
                    <td>${c.time(e.to)}</td>
                    <td>${e.kind}</td>
                    <td>${e.reason}</td>
                  </tr>`,
              )
            : html`<tr>
                <td colspan="4">–</td>
              </tr>`
        }
      </tbody>
    </table>
    <h2>${c.t('Per day')}</h2>
    <table id="daily">
      <thead>
        <tr>
          <th>${c.t('Day')}</th>
          <th>${c.t('Availability')}</th>
          <th>p50</th>
          <th>p95</th>
          <th>p99</th>
        </tr>
      </thead>
      <tbody>
        ${r.daily.map(
          (d) =>
            html`<tr>
              <td>${d.date}</td>
              <td>${pct(d.availability)}</td>
              <td>${ms(d.p50Ms)}</td>
              <td>${ms(d.p95Ms)}</td>
              <td>${ms(d.p99Ms)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

async function downtimePage(
  app: FastifyInstance,
  o: UiOptions,
  req: FastifyRequest,
  error?: string,
): Promise<string> {
  const c = { ...pageCtx(o, req), path: '/ui/downtime' };
  const q = req.query as { page?: string; service?: string };
  const res = await callApi(
    app,
    req,
    'GET',
    `/api/v1/planned-downtimes${q.service ? `?service=${encodeURIComponent(q.service)}` : ''}`,
  );
  const list =
    res.statusCode === 200 ? (res.json() as { plannedDowntimes: Downtime[] }).plannedDowntimes : [];
  const sorted = [...list].sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
  const p = paginate(sorted, q.page);
  const scope = customerScope(req);
  const services = o.overview.services.filter((s) => inScope(scope, s.customer));
  const notice = (d: Downtime) => {
    const svc = services.find((s) => s.id === d.serviceId);
    const met =
      svc !== undefined && Date.parse(d.start) - Date.parse(d.announcedAt) >= svc.policy.planned_notice;
    return met
      ? html`<span class="ok">${c.t('met: excluded')}</span>`
      : html`<span class="bad">${c.t('too late: counted as downtime')}</span>`;
  };
  const rows = p.rows.map(
    (d) =>
      html`<tr data-downtime="${d.id}">
        <td><a href="/ui/services/${d.serviceId}">${d.serviceId}</a></td>
        <td>${c.time(d.start)}</td>
        <td>${c.time(d.end)}</td>
        <td>${c.time(d.announcedAt)}</td>
        <td>${notice(d)}</td>
        <td>${d.reason}</td>
      </tr>`,
  );
  const announce = c.may('sla:write')
    ? html`<h2>${c.t('Announce planned downtime')}</h2>
        <form method="post" action="/ui/downtime" id="announce">
          ${csrfField(c)}
          <label
            >${c.t('Service')}
            <select name="service">
              ${services.map((s) => html`<option value="${s.id}">${s.id} (${c.customerName(s.customer)})</option>`)}
            </select></label
          >
          <label
            >${c.t('Start (RFC 3339)')} <input name="start" placeholder="2026-03-14T22:00:00+01:00" required
          /></label>
          <label
            >${c.t('End (RFC 3339)')} <input name="end" placeholder="2026-03-14T23:00:00+01:00" required
          /></label>
          <label>${c.t('Reason')} <input name="reason" required /></label
          ><button type="submit">${c.t('Announce')}</button>
        </form>`
    : '';
  return layout(
    c,
    c.t('Planned downtime'),
    html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
      <p class="muted">
        ${c.t('Downtime announced at least the policy notice (default 12 h) ahead is excluded from availability; announced later, it counts.')}
      </p>
      <table id="downtimes">
        <thead>
          <tr>
            <th>${c.t('Service')}</th>
            <th>${c.t('Start')}</th>
            <th>${c.t('End')}</th>
            <th>${c.t('Announced')}</th>
            <th>${c.t('Notice')}</th>
            <th>${c.t('Reason')}</th>
          </tr>
        </thead>
        <tbody>
          ${
            rows.length
              ? rows
              : html`<tr>
                  <td colspan="6">–</td>
                </tr>`
          }
        </tbody>
      </table>
      ${pager(c, p, q.service ? { service: q.service } : {})}${announce}`,
  );
}
