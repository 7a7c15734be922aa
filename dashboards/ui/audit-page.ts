import type { FastifyInstance } from 'fastify';
import {
  chainHead,
  readEntries,
  storeSegment,
  verifyAuditChain,
  type AuditDb,
  type AuditEntry,
} from '../../core/index.js';
import { pageCtx, type UiOptions } from './context.js';
import { html } from './html.js';
import { layout, pager } from './layout.js';

const PAGE = 50;

/**
 * The audit log, newest first, with its verification state: the whole chain checked exactly as
 * `vigil audit verify` checks the store (hash chain, gaps, signed checkpoints with this
 * instance's key). Read-only for every role.
 */
export function auditPage(app: FastifyInstance, o: UiOptions): void {
  if (!o.auditKeys) return;
  const keysOf = o.auditKeys;
  const db = o.overview.store.db as unknown as AuditDb;
  app.get('/ui/audit', { config: { permission: 'audit:read' } }, async (req, reply) => {
    const c = pageCtx(o, req);
    const seg = await storeSegment(db);
    const v = await verifyAuditChain(seg.entries, seg.checkpoints, {
      keys: keysOf(),
      firstSeq: seg.firstSeq,
    });
    const head = (await chainHead(db)).seq;
    const pages = Math.max(1, Math.ceil(head / PAGE));
    const n = Math.min(
      pages,
      Math.max(1, Number.parseInt(String((req.query as { page?: string }).page ?? '1'), 10) || 1),
    );
    const to = head - (n - 1) * PAGE;
    const rows: AuditEntry[] = [];
    if (to >= 1) for await (const e of readEntries(db, Math.max(1, to - PAGE + 1), to)) rows.push(e);
    rows.reverse();
    const state = v.ok
      ? html`<p id="verify" class="ok">
          ${c.t('Verified')}: ${v.entries} ${c.t('entries')}, ${v.checkpoints} ${c.t('signed checkpoints')},
          ${v.unsignedTail} ${c.t('after the last checkpoint')}.
        </p>`
      : html`<p id="verify" class="bad" role="alert">${c.t('NOT verified')}: seq ${v.seq}: ${v.problem}</p>`;
    return reply.type('text/html; charset=utf-8').send(
      layout(
        c,
        c.t('Audit log'),
        html`${state}
          <table id="audit">
            <thead>
              <tr>
                <th>#</th>
                <th>${c.t('Time')}</th>
                <th>${c.t('Who')}</th>
                <th>${c.t('Source')}</th>
                <th>${c.t('Action')}</th>
                <th>${c.t('Object')}</th>
                <th>${c.t('Result')}</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                (e) =>
                  html`<tr data-seq="${e.seq}">
                    <td>${e.seq}</td>
                    <td>${c.time(e.at)}</td>
                    <td>${e.actor.name} (${e.actor.kind})</td>
                    <td>${e.source}</td>
                    <td>${e.action}</td>
                    <td>${e.object}</td>
                    <td>${e.result}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
          ${pager(c, { page: n, pages }, {})}`,
      ),
    );
  });
}
