import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { customerScope } from '../../core/index.js';
import { overviewData } from '../overview-data.js';
import { apiError, callApi } from './api.js';
import { pageCtx, type PageCtx, type UiOptions } from './context.js';
import { html, type Html } from './html.js';
import { csrfField, layout, NAV, pager, paginate } from './layout.js';

const pct = (v: number | null, digits = 3): string => (v === null ? '–' : `${(v * 100).toFixed(digits)} %`);
const send = (reply: FastifyReply, page: string, code = 200) =>
  reply.code(code).type('text/html; charset=utf-8').send(page);
type Query = Record<string, string | undefined>;

interface AlertGroup {
  id: string;
  labels: Record<string, string>;
  alerts: number;
  pagedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}
interface Silence {
  id: string;
  status: { state: string };
  matchers: Array<{ name: string; value: string; isRegex: boolean; isEqual?: boolean }>;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** A filter text box (GET form) keeping the list linkable and working without JavaScript. */
const filterForm = (c: PageCtx, q: string | undefined): Html =>
  html`<form class="filters" method="get" action="${c.path}">
    <label>${c.t('Filter')} <input name="q" value="${q ?? ''}" /></label
    ><button type="submit">${c.t('Filter')}</button>
  </form>`;
const matches = (q: string | undefined, ...fields: string[]) =>
  !q || fields.some((f) => f.toLowerCase().includes(q.toLowerCase()));

/** Home, services and alerts (with acknowledge and silences) for operations. */
export function opsPages(app: FastifyInstance, o: UiOptions): void {
  app.get('/ui/', { config: { permission: 'authenticated' } }, async (req, reply) => {
    const c = pageCtx(o, req);
    const items = NAV.filter((n) => n.href !== '/ui/' && c.may(n.permission));
    return send(
      reply,
      layout(
        c,
        'vigil',
        html`<p>${c.t('You may use:')}</p>
          <ul>
            ${items.map((n) => html`<li><a href="${n.href}">${c.t(n.label)}</a></li>`)}
          </ul>`,
      ),
    );
  });

  app.get('/ui/services', { config: { permission: 'sla:read' } }, async (req, reply) => {
    const c = pageCtx(o, req);
    const q = req.query as Query;
    const d = await overviewData(o.overview, customerScope(req));
    const list = d.services.filter((s) => matches(q.q, s.id, c.customerName(s.customer)));
    const p = paginate(list, q.page);
    const rows = p.rows.map((s) => {
      const latOk = s.avgResponseMs === null || s.avgResponseMs <= s.targetMs;
      return html`<tr data-service="${s.id}">
        <td><a href="/ui/services/${s.id}">${s.id}</a></td>
        <td>${c.customerName(s.customer)}</td>
        <td><span class="state ${s.state}">${s.state}</span></td>
        <td class="${s.availabilityMet ? 'ok' : 'bad'}">${pct(s.availability)}</td>
        <td>${pct(s.objective)}</td>
        <td class="${latOk ? 'ok' : 'bad'}">
          ${s.avgResponseMs === null ? '–' : `${s.avgResponseMs.toFixed(1)} ms`}
        </td>
        <td>${s.targetMs} ms</td>
        <td>${pct(s.coverage, 1)}</td>
      </tr>`;
    });
    return send(
      reply,
      layout(
        c,
        c.t('Services'),
        html`${filterForm(c, q.q)}
          <table id="services">
            <thead>
              <tr>
                <th>${c.t('Service')}</th>
                <th>${c.t('Customer')}</th>
                <th>${c.t('Now')}</th>
                <th>${c.t('Availability (month to date)')}</th>
                <th>${c.t('Objective')}</th>
                <th>${c.t('Average latency')}</th>
                <th>${c.t('Target')}</th>
                <th>${c.t('Coverage')}</th>
              </tr>
            </thead>
            <tbody>
              ${
                rows.length
                  ? rows
                  : html`<tr>
                      <td colspan="8">${c.t('No services.')}</td>
                    </tr>`
              }
            </tbody>
          </table>
          ${pager(c, p, q.q ? { q: q.q } : {})}
          <p class="muted">
            ${c.t('Coverage is the share of minutes this month with a probe result from enough locations (quorum); minutes without one count neither for nor against availability.')}
          </p>
          <p class="muted">${c.t('Times in')} ${c.timeZone}: ${c.time(d.generatedAt)}</p>`,
      ),
    );
  });

  app.get('/ui/alerts', { config: { permission: 'alerting:read' } }, async (req, reply) =>
    send(reply, await alertsPage(app, o, req)),
  );

  app.post('/ui/alerts/:id/ack', { config: { permission: 'alerting:write' } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const res = await callApi(
      app,
      req,
      'POST',
      `/api/v1/alert-groups/${encodeURIComponent(id)}/ack`,
      { by: req.principal.name },
      form(req)._csrf,
    );
    return done(reply, o, req, res);
  });

  app.post('/ui/silences', { config: { permission: 'alerting:write' } }, async (req, reply) => {
    const f = form(req);
    const matchers = (f.matchers ?? '')
      .split(/[\n,]/)
      .map((m) => /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"?([^"]*)"?\s*$/.exec(m))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ name: m[1]!, value: m[2]!, isRegex: false, isEqual: true }));
    const hours = Number(f.hours ?? '1');
    const now = o.clock.now();
    const res = await callApi(
      app,
      req,
      'POST',
      '/api/v2/silences',
      {
        matchers,
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + (Number.isFinite(hours) && hours > 0 ? hours : 1) * 3_600_000).toISOString(),
        createdBy: req.principal.name,
        comment: f.comment ?? '',
      },
      f._csrf,
    );
    return done(reply, o, req, res);
  });

  app.post('/ui/silences/:id/expire', { config: { permission: 'alerting:write' } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const res = await callApi(
      app,
      req,
      'DELETE',
      `/api/v2/silence/${encodeURIComponent(id)}`,
      undefined,
      form(req)._csrf,
    );
    return done(reply, o, req, res);
  });
}

const form = (req: FastifyRequest) => (req.body ?? {}) as Record<string, string | undefined>;

/** After an action: back to the list (Post/Redirect/Get), or the list with the API's refusal. */
async function done(
  reply: FastifyReply,
  o: UiOptions,
  req: FastifyRequest,
  res: { statusCode: number; json: () => unknown },
) {
  if (res.statusCode < 300) return reply.redirect('/ui/alerts', 303);
  const c = pageCtx(o, req);
  return send(
    reply,
    layout(
      c,
      c.t('Alerts'),
      html`<p class="error" role="alert">${c.t('The request was refused:')} ${apiError(res as never)}</p>
        <p><a href="/ui/alerts">${c.t('Alerts')}</a></p>`,
    ),
    res.statusCode,
  );
}

async function alertsPage(app: FastifyInstance, o: UiOptions, req: FastifyRequest): Promise<string> {
  const c = { ...pageCtx(o, req), path: '/ui/alerts' };
  const q = req.query as Query;
  const write = c.may('alerting:write');
  const gRes = await callApi(app, req, 'GET', '/api/v1/alert-groups');
  const sRes = await callApi(app, req, 'GET', '/api/v2/silences');
  const groups = (gRes.statusCode === 200 ? (gRes.json() as AlertGroup[]) : []).filter((g) =>
    matches(q.q, ...Object.values(g.labels)),
  );
  const silences =
    sRes.statusCode === 200 ? (sRes.json() as Silence[]).filter((s) => s.status.state !== 'expired') : [];
  const p = paginate(groups, q.page);
  const labels = (l: Record<string, string>) =>
    Object.entries(l).map(([k, v]) => html`<code>${k}=${v}</code> `);
  const gRows = p.rows.map(
    (g) =>
      html`<tr data-group="${g.id}">
        <td>${g.labels.alertname ?? ''}</td>
        <td>${labels(g.labels)}</td>
        <td>${g.alerts}</td>
        <td>${c.time(g.pagedAt)}</td>
        <td>
          ${g.acknowledgedAt ? html`${c.time(g.acknowledgedAt)} (${g.acknowledgedBy ?? ''})` : write ? html`<form class="inline" method="post" action="/ui/alerts/${g.id}/ack">${csrfField(c)}<button type="submit">${c.t('Acknowledge')}</button></form>` : '–'}
        </td>
      </tr>`,
  );
  const sRows = silences.map(
    (s) =>
      html`<tr data-silence="${s.id}">
        <td>
          ${s.matchers.map((m) => html`<code>${m.name}${m.isEqual === false ? '!' : ''}${m.isRegex ? '=~' : '='}${m.value}</code> `)}
        </td>
        <td>${s.status.state}</td>
        <td>${c.time(s.endsAt)}</td>
        <td>${s.createdBy}</td>
        <td>${s.comment}</td>
        <td>
          ${write ? html`<form class="inline" method="post" action="/ui/silences/${s.id}/expire">${csrfField(c)}<button type="submit">${c.t('Expire')}</button></form>` : ''}
        </td>
      </tr>`,
  );
  const newSilence = write
    ? html`<h2>${c.t('New silence')}</h2>
        <form method="post" action="/ui/silences" id="new-silence">
          ${csrfField(c)}
          <label
            >${c.t('Matchers')} <input name="matchers" placeholder="service=api, severity=page" required
          /></label>
          <label
            >${c.t('Duration (hours)')}
            <input name="hours" type="number" min="1" max="720" value="2" required
          /></label>
          <label>${c.t('Comment')} <input name="comment" required /></label
          ><button type="submit">${c.t('Create')}</button>
        </form>`
    : '';
  return layout(
    c,
    c.t('Alerts'),
    html`${filterForm(c, q.q)}
      <table id="groups">
        <thead>
          <tr>
            <th>${c.t('Alerts')}</th>
            <th>${c.t('Labels')}</th>
            <th>#</th>
            <th>${c.t('Paged at')}</th>
            <th>${c.t('Acknowledged')}</th>
          </tr>
        </thead>
        <tbody>
          ${
            gRows.length
              ? gRows
              : html`<tr>
                  <td colspan="5">${c.t('No open alert groups.')}</td>
                </tr>`
          }
        </tbody>
      </table>
      ${pager(c, p, q.q ? { q: q.q } : {})}
      <h2>${c.t('Silences')}</h2>
      <table id="silences">
        <thead>
          <tr>
            <th>${c.t('Matchers')}</th>
            <th>${c.t('State')}</th>
            <th>${c.t('Ends at')}</th>
            <th>${c.t('Created by')}</th>
            <th>${c.t('Comment')}</th>
            <th><span class="muted">–</span></th>
          </tr>
        </thead>
        <tbody>
          ${
            sRows.length
              ? sRows
              : html`<tr>
                  <td colspan="6">${c.t('No silences.')}</td>
                </tr>`
          }
        </tbody>
      </table>
      ${newSilence}`,
  );
}
