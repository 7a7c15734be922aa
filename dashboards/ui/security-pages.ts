import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import {
  VigilError,
  getRun,
  listFindings,
  listRunReviews,
  listRuns,
  reviewRun,
  setFindingStatus,
  type AnalysisDb,
  type Finding,
  type StoredAnalysisRun,
} from '../../core/index.js';
import { pageCtx, type PageCtx, type UiOptions } from './context.js';
import { html } from './html.js';
import { csrfField, layout, pager, paginate } from './layout.js';

const send = (reply: FastifyReply, page: string, code = 200) =>
  reply.code(code).type('text/html; charset=utf-8').send(page);
const form = (req: FastifyRequest) => (req.body ?? {}) as Record<string, string | undefined>;
const STATUSES: ReadonlyArray<Finding['status']> = ['new', 'triaged', 'false_positive', 'incident'];
/** DESIGN.md: every analyzer and scanner runs at least 4 times in every 24 h. */
const CADENCE_PER_DAY = 4;
const DAY = 86_400_000;

const sum = (run: StoredAnalysisRun, k: 'records' | 'badRecords') => run.inputs.reduce((n, i) => n + i[k], 0);

/**
 * Analysis and scan runs (status, inputs, records, cadence), the review (sign-off) of a run and
 * findings with their triage, for security officers; read-only for roles without the write
 * permission. Actions call the same store functions as `vigil analyze review`.
 */
export function securityPages(app: FastifyInstance, o: UiOptions): void {
  const db = o.overview.store.db as unknown as Kysely<AnalysisDb>;

  app.get('/ui/runs', { config: { permission: 'analyzers:read' } }, async (req, reply) => {
    const c = pageCtx(o, req);
    const q = req.query as { q?: string; page?: string };
    const now = o.clock.now();
    const runs = (await listRuns(db, { limit: 5000 })).filter((r) => !q.q || r.analyzer.includes(q.q));
    const recent = new Map<string, number>();
    for (const r of runs) {
      if (!recent.has(r.analyzer)) recent.set(r.analyzer, 0);
      if (r.status !== 'failed' && r.status !== 'running' && Date.parse(r.startedAt) >= now - DAY)
        recent.set(r.analyzer, recent.get(r.analyzer)! + 1);
    }
    const p = paginate(runs, q.page);
    const cadence = [...recent]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([a, n]) =>
          html`<tr data-cadence="${a}">
            <td>${a}</td>
            <td>${n}</td>
            <td class="${n >= CADENCE_PER_DAY ? 'ok' : 'bad'}">
              ${n >= CADENCE_PER_DAY ? c.t('met') : c.t('not met')}
            </td>
          </tr>`,
      );
    const rows = p.rows.map(
      (r) =>
        html`<tr data-run="${r.id}">
          <td><a href="/ui/runs/${r.id}">${c.time(r.startedAt)}</a></td>
          <td>${r.analyzer}</td>
          <td><span class="${r.status === 'ok' ? 'ok' : 'bad'}">${r.status}</span></td>
          <td>${r.inputs.length}</td>
          <td>${sum(r, 'records')}</td>
          <td class="${sum(r, 'badRecords') > 0 ? 'bad' : ''}">${sum(r, 'badRecords')}</td>
          <td>${r.findings} (${r.newFindings} ${c.t('new')})</td>
          <td>${r.reviewedBy ? html`${r.reviewedBy}, ${c.time(r.reviewedAt)}` : '–'}</td>
        </tr>`,
    );
    return send(
      reply,
      layout(
        c,
        c.t('Analysis and scan runs'),
        html`<form class="filters" method="get" action="/ui/runs">
            <label>${c.t('Filter')} <input name="q" value="${q.q ?? ''}" /></label
            ><button type="submit">${c.t('Filter')}</button>
          </form>
          <h2>${c.t('Cadence (last 24 h, at least 4 runs)')}</h2>
          <table id="cadence">
            <thead>
              <tr>
                <th>${c.t('Analyzer')}</th>
                <th>${c.t('Runs')}</th>
                <th>${c.t('Rule')}</th>
              </tr>
            </thead>
            <tbody>
              ${cadence}
            </tbody>
          </table>
          <table id="runs">
            <thead>
              <tr>
                <th>${c.t('Started')}</th>
                <th>${c.t('Analyzer')}</th>
                <th>${c.t('State')}</th>
                <th>${c.t('Inputs')}</th>
                <th>${c.t('Records')}</th>
                <th>${c.t('Bad records')}</th>
                <th>${c.t('Findings')}</th>
                <th>${c.t('Reviewed')}</th>
              </tr>
            </thead>
            <tbody>
              ${
                rows.length
                  ? rows
                  : html`<tr>
                      <td colspan="8">–</td>
                    </tr>`
              }
            </tbody>
          </table>
          ${pager(c, p, q.q ? { q: q.q } : {})}`,
      ),
    );
  });

  app.get('/ui/runs/:id', { config: { permission: 'analyzers:read' } }, async (req, reply) => {
    const c = pageCtx(o, req);
    const run = await getRun(db, (req.params as { id: string }).id);
    if (!run) return send(reply, layout(c, c.t('Run'), html`<p class="error">404</p>`), 404);
    return send(reply, layout(c, `${run.analyzer} · ${c.time(run.startedAt)}`, await runPage(c, db, run)));
  });

  app.post('/ui/runs/:id/review', { config: { permission: 'analyzers:write' } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const note = String(form(req).note ?? '').slice(0, 2000);
    try {
      await reviewRun(db, id, { by: req.principal.name, note, at: new Date(o.clock.now()) });
    } catch (err) {
      if (err instanceof VigilError && err.code === 'ANL_RUN_UNKNOWN')
        return reply.code(404).send({ error: err.message });
      throw err;
    }
    return reply.redirect(`/ui/runs/${encodeURIComponent(id)}`, 303);
  });

  app.get('/ui/findings', { config: { permission: 'findings:read' } }, async (req, reply) => {
    const c = pageCtx(o, req);
    const q = req.query as { q?: string; status?: string; page?: string };
    const status = STATUSES.find((s) => s === q.status);
    const list = (await listFindings(db, { ...(status ? { status } : {}), limit: 5000 })).filter(
      (f) =>
        !q.q ||
        [f.title, f.detector, f.src ?? '', f.dst ?? ''].some((v) =>
          v.toLowerCase().includes(q.q!.toLowerCase()),
        ),
    );
    const p = paginate(list, q.page);
    const write = c.may('findings:write');
    const rows = p.rows.map(
      (f) =>
        html`<tr data-finding="${f.id}">
          <td>${f.severity}</td>
          <td>${f.title}</td>
          <td>${f.detector}</td>
          <td>${f.src ?? ''} → ${f.dst ?? ''}</td>
          <td>${f.customerId ? c.customerName(f.customerId) : '–'}</td>
          <td>${f.count}</td>
          <td>${c.time(f.lastSeen)}</td>
          <td>${c.t(f.status)}</td>
          <td>
            ${
              write
                ? html`<form class="inline" method="post" action="/ui/findings/${f.id}/status">
                    ${csrfField(c)}<label
                      >${c.t('Triage')}
                      <select name="status">
                        ${STATUSES.map((s) => html`<option value="${s}" ${s === f.status ? html` selected` : ''}>${c.t(s)}</option>`)}
                      </select></label
                    >
                    <button type="submit">${c.t('Save')}</button>
                  </form>`
                : ''
            }
          </td>
        </tr>`,
    );
    const keep: Record<string, string> = { ...(q.q ? { q: q.q } : {}), ...(status ? { status } : {}) };
    return send(
      reply,
      layout(
        c,
        c.t('Findings'),
        html`<form class="filters" method="get" action="/ui/findings">
            <label>${c.t('Filter')} <input name="q" value="${q.q ?? ''}" /></label>
            <label
              >${c.t('State')}
              <select name="status">
                <option value="">–</option>
                ${STATUSES.map((s) => html`<option value="${s}" ${s === status ? html` selected` : ''}>${c.t(s)}</option>`)}
              </select></label
            ><button type="submit">${c.t('Filter')}</button>
          </form>
          <table id="findings">
            <thead>
              <tr>
                <th>${c.t('Severity')}</th>
                <th>${c.t('Title')}</th>
                <th>${c.t('Detector')}</th>
                <th>${c.t('Source → destination')}</th>
                <th>${c.t('Customer')}</th>
                <th>#</th>
                <th>${c.t('Last seen')}</th>
                <th>${c.t('State')}</th>
                <th>${write ? c.t('Triage') : html`<span class="muted">–</span>`}</th>
              </tr>
            </thead>
            <tbody>
              ${
                rows.length
                  ? rows
                  : html`<tr>
                      <td colspan="9">–</td>
                    </tr>`
              }
            </tbody>
          </table>
          ${pager(c, p, keep)}`,
      ),
    );
  });

  app.post('/ui/findings/:id/status', { config: { permission: 'findings:write' } }, async (req, reply) => {
    const status = STATUSES.find((s) => s === form(req).status);
    if (!status) return reply.code(400).send({ error: `status must be one of ${STATUSES.join(', ')}` });
    try {
      await setFindingStatus(db, (req.params as { id: string }).id, status);
    } catch (err) {
      if (err instanceof VigilError && err.code === 'ANL_FINDING_UNKNOWN')
        return reply.code(404).send({ error: err.message });
      throw err;
    }
    return reply.redirect('/ui/findings', 303);
  });
}

async function runPage(c: PageCtx, db: Kysely<AnalysisDb>, run: StoredAnalysisRun) {
  const reviews = await listRunReviews(db, run.id);
  const findings = await listFindings(db, { runId: run.id, limit: 200 });
  return html`<table id="run">
      <tbody>
        <tr>
          <th>${c.t('State')}</th>
          <td>${run.status}</td>
        </tr>
        <tr>
          <th>${c.t('Scheduled for')}</th>
          <td>${c.time(run.scheduledFor)}</td>
        </tr>
        <tr>
          <th>${c.t('Finished')}</th>
          <td>${c.time(run.finishedAt)}</td>
        </tr>
        <tr>
          <th>${c.t('Reviewed')}</th>
          <td id="reviewed">
            ${run.reviewedBy ? html`${run.reviewedBy}, ${c.time(run.reviewedAt)}: ${run.reviewNote ?? ''}` : '–'}
          </td>
        </tr>
      </tbody>
    </table>
    <h2>${c.t('Inputs')}</h2>
    <table id="inputs">
      <thead>
        <tr>
          <th>${c.t('File')}</th>
          <th>SHA-256</th>
          <th>${c.t('Bytes')}</th>
          <th>${c.t('Records')}</th>
          <th>${c.t('Bad records')}</th>
        </tr>
      </thead>
      <tbody>
        ${run.inputs.map(
          (i) =>
            html`<tr>
              <td>${i.path}</td>
              <td><code>${i.sha256.slice(0, 16)}…</code></td>
              <td>${i.fromOffset}–${i.toOffset}</td>
              <td>${i.records}</td>
              <td class="${i.badRecords ? 'bad' : ''}">${i.badRecords}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h2>${c.t('Findings')}</h2>
    <ul>
      ${findings.map((f) => html`<li>${f.severity}: ${f.title} (${c.t(f.status)})</li>`)}
    </ul>
    <h2>${c.t('Reviews')}</h2>
    <ul id="reviews">
      ${reviews.map((r) => html`<li>${r.by}, ${c.time(r.at)}: ${r.note}</li>`)}
    </ul>
    ${
      c.may('analyzers:write')
        ? html`<form method="post" action="/ui/runs/${run.id}/review" id="review">
            ${csrfField(c)}<label>${c.t('Note')} <input name="note" required maxlength="2000" /></label
            ><button type="submit">${c.t('Sign off')}</button>
          </form>`
        : ''
    }`;
}
