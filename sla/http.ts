import type { FastifyPluginAsync } from 'fastify';
import {
  VigilError,
  customerScope,
  inScope,
  inputIssues,
  parseRfc3339,
  type Clock,
  type Store,
} from '../core/index.js';
import type { NamedTimeIntervalSpec } from '../core/index.js';
import { announcePlannedDowntime, announceSchema } from './planned-downtime.js';
import { reportCsv, reportHtml, reportPdf, serviceMonthReport } from './report/index.js';
import { listPlannedDowntimes } from './store.js';
import type { SlaService } from './services.js';

export interface SlaHttpOptions {
  store: Store;
  services: readonly SlaService[];
  timeIntervals: readonly NamedTimeIntervalSpec[];
  clock: Clock;
}

const badRequest = (message: string) => ({ error: 'bad_request', message });

/**
 * The SLA engine's routes: announce and list planned downtimes (S8), and month reports in
 * JSON, CSV, HTML or PDF.
 */
export function slaHttp(o: SlaHttpOptions): FastifyPluginAsync {
  return async (app) => {
    const post = { config: { permission: 'sla:write' }, bodyLimit: 64 * 1024 };
    app.post('/api/v1/planned-downtimes', post, async (req, reply) => {
      const parsed = announceSchema.safeParse(req.body);
      if (!parsed.success) return reply.code(400).send(badRequest(inputIssues(parsed.error).join('; ')));
      // A customer-scoped caller may only touch its own customer's services (404, not 403: no peeking).
      const svc = o.services.find((s) => s.id === parsed.data.service);
      if (svc && !inScope(customerScope(req), svc.customer))
        return reply.code(404).send({ error: 'not_found', message: `no service "${parsed.data.service}"` });
      try {
        return reply.code(201).send(
          await announcePlannedDowntime(
            o.store,
            o.services.filter((s) => inScope(customerScope(req), s.customer)),
            parsed.data,
            o.clock.now(),
          ),
        );
      } catch (err) {
        if (err instanceof VigilError && err.code === 'SLA_DOWNTIME')
          return reply.code(400).send(badRequest(err.message));
        throw err;
      }
    });

    app.get<{ Querystring: { service?: string; from?: string; to?: string } }>(
      '/api/v1/planned-downtimes',
      { config: { permission: 'sla:read' } },
      async (req, reply) => {
        // A bad bound is an error naming it, not silently "no bound".
        const from = req.query.from ? parseRfc3339(req.query.from) : 0;
        const to = req.query.to ? parseRfc3339(req.query.to) : 8.64e15;
        for (const [name, v] of [
          ['from', from],
          ['to', to],
        ] as const)
          if (v === undefined)
            return reply
              .code(400)
              .send(badRequest(`${name}: not a valid RFC 3339 time (e.g. 2026-03-14T22:00:00Z)`));
        const q: Parameters<typeof listPlannedDowntimes>[1] = { fromMs: from!, toMs: to! };
        const scope = customerScope(req);
        if (req.query.service) q.serviceIds = [req.query.service];
        if (scope !== undefined) {
          const own = new Set(o.services.filter((s) => s.customer === scope).map((s) => s.id));
          q.serviceIds = (q.serviceIds ?? [...own]).filter((id) => own.has(id));
        }
        return { plannedDowntimes: await listPlannedDowntimes(o.store.db, q) };
      },
    );

    app.get<{ Params: { service: string; month: string }; Querystring: { format?: string } }>(
      '/api/v1/sla/reports/:service/:month',
      { config: { permission: 'sla:read' } },
      async (req, reply) => {
        const svc = o.services.find(
          (s) => s.id === req.params.service && inScope(customerScope(req), s.customer),
        );
        if (!svc)
          return reply
            .code(404)
            .send({ error: 'not_found', message: `service "${req.params.service}" has no SLA policy` });
        const format = req.query.format ?? 'json';
        if (!['json', 'csv', 'html', 'pdf'].includes(format))
          return reply.code(400).send(badRequest('format must be json, csv, html or pdf'));
        if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(req.params.month))
          return reply.code(400).send(badRequest(`month "${req.params.month}" is not YYYY-MM`));
        const r = await serviceMonthReport({
          store: o.store,
          service: svc,
          timeIntervals: o.timeIntervals,
          month: req.params.month,
          nowMs: o.clock.now(),
        });
        if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(reportCsv(r));
        if (format === 'html') return reply.type('text/html; charset=utf-8').send(reportHtml(r));
        if (format === 'pdf') return reply.type('application/pdf').send(await reportPdf(r));
        return r;
      },
    );
  };
}
