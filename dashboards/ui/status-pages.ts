import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pageCtx, type PageCtx, type UiOptions } from './context.js';
import { escapeHtml, html } from './html.js';
import { layout } from './layout.js';
import { mayViewStatus } from './status-access.js';
import { statusData, type StatusData } from './status-data.js';

const pct = (v: number | null): string => (v === null ? '–' : `${(v * 100).toFixed(3)} %`);

/**
 * Answers with an ETag (a hash of the body) and 304 when the client has it already
 * (RFC 9110 §13.1.2 If-None-Match), so status pages polled by many can be cheap.
 */
function conditional(req: FastifyRequest, reply: FastifyReply, type: string, body: string) {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  reply.header('etag', etag).header('cache-control', 'no-cache');
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.code(304).send();
  return reply.type(type).send(body);
}

/** `/status/:customer` with its Atom feed and SVG badge; access per `customers[].status_page`. */
export function statusPages(app: FastifyInstance, o: UiOptions): void {
  const gate = async (req: FastifyRequest, reply: FastifyReply): Promise<StatusData | undefined> => {
    const customer = (req.params as { customer: string }).customer;
    const known = o.customerNames.has(customer);
    if (!known || !mayViewStatus(req, customer, o.statusPages.get(customer), (p) => o.may(req, p))) {
      reply.code(404).type('text/plain; charset=utf-8').send('no such status page\n');
      return undefined;
    }
    return statusData(o, customer);
  };
  const opts = { config: { permission: 'public' } };
  const sig = (req: FastifyRequest) => {
    const s = (req.query as { sig?: unknown }).sig;
    return typeof s === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(s) ? `?sig=${s}` : '';
  };

  app.get('/status/:customer', opts, async (req, reply) => {
    const d = await gate(req, reply);
    if (!d) return reply;
    const c = pageCtx(o, req);
    return conditional(
      req,
      reply,
      'text/html; charset=utf-8',
      layout(c, `${d.name}: status`, statusBody(c, d, sig(req))),
    );
  });

  app.get('/status/:customer/feed.atom', opts, async (req, reply) => {
    const d = await gate(req, reply);
    if (!d) return reply;
    return conditional(req, reply, 'application/atom+xml; charset=utf-8', atom(o, d, req));
  });

  app.get('/status/:customer/badge.svg', opts, async (req, reply) => {
    const d = await gate(req, reply);
    if (!d) return reply;
    const worst = d.services
      .map((s) => s.months[0]?.availability ?? null)
      .filter((v): v is number => v !== null)
      .reduce<number | null>((m, v) => (m === null || v < m ? v : m), null);
    const met = d.services.every((s) => (s.months[0]?.availability ?? 1) >= s.objective);
    const text = pct(worst);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="170" height="20" role="img" aria-label="availability ${text}"><title>availability ${text}</title><rect width="80" height="20" fill="#555"/><rect x="80" width="90" height="20" fill="${met ? '#1b5e20' : '#b71c1c'}"/><g fill="#fff" font-family="Verdana,sans-serif" font-size="11"><text x="6" y="14">availability</text><text x="86" y="14">${escapeHtml(text)}</text></g></svg>`;
    return conditional(req, reply, 'image/svg+xml', svg);
  });
}

function statusBody(c: PageCtx, d: StatusData, sig: string) {
  const months = d.services[0]?.months.map((m) => m.month) ?? [];
  return html`<h2>${c.t('Services')}</h2>
    <table id="status-now">
      <thead>
        <tr>
          <th>${c.t('Service')}</th>
          <th>${c.t('Now')}</th>
          <th>${c.t('Objective')}</th>
        </tr>
      </thead>
      <tbody>
        ${d.services.map(
          (s) =>
            html`<tr data-service="${s.id}">
              <td>${s.id}</td>
              <td><span class="state ${s.state}">${s.state}</span></td>
              <td>${pct(s.objective)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h2>${c.t('Availability per month')}</h2>
    <p class="muted">
      ${c.t('As the contract counts it: maintenance and downtime announced in time are excluded; downtime announced too late counts.')}
    </p>
    <table id="months">
      <thead>
        <tr>
          <th>${c.t('Service')}</th>
          ${months.map((m) => html`<th>${m}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${d.services.map(
          (s) =>
            html`<tr data-service="${s.id}">
              <th>${s.id}</th>
              ${s.months.map((m) => html`<td data-month="${m.month}">${pct(m.availability)}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
    <h2>${c.t('Planned downtime')}</h2>
    <table id="maintenance">
      <thead>
        <tr>
          <th>${c.t('Service')}</th>
          <th>${c.t('Start')}</th>
          <th>${c.t('End')}</th>
          <th>${c.t('Reason')}</th>
          <th>${c.t('Notice')}</th>
        </tr>
      </thead>
      <tbody>
        ${
          d.downtimes.length
            ? d.downtimes.map(
                (x) =>
                  html`<tr data-downtime="${x.id}" class="${x.ahead ? 'ahead' : ''}">
                    <td>${x.serviceId}</td>
                    <td>${c.time(x.start)}</td>
                    <td>${c.time(x.end)}</td>
                    <td>${x.reason}</td>
                    <td>
                      ${x.counted ? html`<span class="bad">${c.t('too late: counted as downtime')}</span>` : html`<span class="ok">${c.t('met: excluded')}</span>`}${x.ahead ? html` · ${c.t('ahead')}` : ''}
                    </td>
                  </tr>`,
              )
            : html`<tr>
                <td colspan="5">–</td>
              </tr>`
        }
      </tbody>
    </table>
    <p>
      <a href="/status/${d.customer}/feed.atom${sig}">Atom</a> ·
      <a href="/status/${d.customer}/badge.svg${sig}">${c.t('Badge')}</a>
    </p>`;
}

function atom(o: UiOptions, d: StatusData, req: FastifyRequest): string {
  const base = `/status/${d.customer}`;
  const updated = new Date(
    Math.max(0, ...d.downtimes.map((x) => Date.parse(x.announcedAt))) || o.clock.now(),
  ).toISOString();
  const entries = d.downtimes.map(
    (x) =>
      html`<entry
        ><id>urn:vigil:status:${d.customer}:downtime:${x.id}</id><title>${x.serviceId}: ${x.reason}</title>
        <updated>${x.announcedAt}</updated>
        <summary>
          ${x.start} –
          ${x.end}${x.counted ? ' (announced too late: counted as downtime)' : ' (planned: excluded)'}
        </summary>
        <link href="${base}${sigOf(req)}"
      /></entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
${
  html`<feed xmlns="http://www.w3.org/2005/Atom"
    ><id>urn:vigil:status:${d.customer}</id><title>${d.name}</title><updated>${updated}</updated>
    <link href="${base}${sigOf(req)}" />${entries}</feed
  >`.value
}
`;
}

const sigOf = (req: FastifyRequest) => {
  const s = (req.query as { sig?: unknown }).sig;
  return typeof s === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(s) ? `?sig=${s}` : '';
};
