import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { VigilError, customerScope, inputIssues, type Principal } from '../core/index.js';
import type { CustomerFilter, IncidentService } from './service.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

const openBody = z.strictObject({
  customer: z.string().min(1).max(100),
  kind: z.enum(['availability', 'security']),
  title: z.string().min(1).max(500),
  priority: z.enum(['P1', 'P2', 'P3', 'P4']).default('P2'),
  service: z.string().min(1).max(100).optional(),
});
const reportBody = z.strictObject({
  customer: z.string().min(1).max(100).optional(),
  kind: z.enum(['availability', 'security']),
  title: z.string().min(1).max(500),
  priority: z.enum(['P1', 'P2', 'P3', 'P4']).default('P2'),
  service: z.string().min(1).max(100).optional(),
});
const stepBody = z.strictObject({ measure: z.string().min(1).max(2000).optional() });
const updateBody = z.strictObject({
  text: z.string().min(1).max(4000),
  measure: z.string().min(1).max(2000).optional(),
});
const acceptBody = z.union([
  z.strictObject({ accept: z.literal(true) }),
  z.strictObject({ accept: z.literal(false), reason: z.string().trim().min(1).max(2000) }),
]);

const STATUS: Record<string, number> = {
  INC_NOT_FOUND: 404,
  INC_TRANSITION: 409,
  INC_TIME: 409,
  INC_CLOSED: 409,
  INC_REASON: 400,
  INC_TEXT: 400,
};

/** Customers the caller may see: its own when customer-scoped (S12), else all. */
const scopeOf = (req: FastifyRequest): CustomerFilter => {
  const s = customerScope(req);
  return s === undefined ? undefined : [s];
};

async function handle(reply: FastifyReply, f: () => Promise<unknown>, code = 200): Promise<FastifyReply> {
  try {
    return reply.code(code).send(await f());
  } catch (err) {
    const status = err instanceof VigilError ? STATUS[err.code] : undefined;
    if (status === undefined || !(err instanceof VigilError)) throw err;
    return reply.code(status).send({
      error: status === 404 ? 'not_found' : status === 409 ? 'conflict' : 'bad_request',
      message: err.message,
    });
  }
}

/**
 * Incident routes (issue 12). Reads and acceptance are limited to the caller's customer in the
 * query itself; ops and security officers (incidents:write) run the lifecycle; a customer
 * coordinator reports an incident for its own customer (incidents:report) and accepts or rejects
 * a resolution (incidents:accept). The actor of every step is the signed-in principal.
 */
export function incidentsHttp(o: {
  service: IncidentService;
  customerIds: () => readonly string[];
  now: () => number;
}): FastifyPluginAsync {
  return async (app) => {
    const read = { config: { permission: 'incidents:read' } };
    const write = { config: { permission: 'incidents:write' }, bodyLimit: 64 * 1024 };
    const bad = (reply: FastifyReply, e: z.ZodError) =>
      reply.code(400).send({ error: 'bad_request', message: inputIssues(e).join('; ') });

    app.get<{ Querystring: { open?: string } }>('/api/v1/incidents', read, async (req) =>
      o.service.list({ customers: scopeOf(req), open: req.query.open === 'true' }),
    );
    app.get<{ Params: { id: string } }>('/api/v1/incidents/:id', read, async (req, reply) =>
      handle(reply, () => o.service.get(req.params.id, scopeOf(req))),
    );
    app.post('/api/v1/incidents', write, async (req, reply) => {
      const p = openBody.safeParse(req.body);
      if (!p.success) return bad(reply, p.error);
      if (!o.customerIds().includes(p.data.customer) || scopeOf(req)?.includes(p.data.customer) === false)
        return reply.code(400).send({ error: 'bad_request', message: `no customer "${p.data.customer}"` });
      return handle(
        reply,
        () =>
          o.service.open({
            kind: p.data.kind,
            customerId: p.data.customer,
            priority: p.data.priority,
            title: p.data.title,
            actor: req.principal.name,
            ...(p.data.service ? { serviceId: p.data.service } : {}),
          }),
        201,
      );
    });
    app.post(
      '/api/v1/incidents/customer-reports',
      { config: { permission: 'incidents:report' }, bodyLimit: 64 * 1024 },
      async (req, reply) => {
        const p = reportBody.safeParse(req.body);
        if (!p.success) return bad(reply, p.error);
        // A scoped caller reports for its own customer only; its report time starts the downtime (23.1f).
        const customer = customerScope(req) ?? p.data.customer;
        if (customer === undefined || !o.customerIds().includes(customer))
          return reply.code(400).send({ error: 'bad_request', message: 'name the customer' });
        return handle(
          reply,
          async () => {
            const now = o.now();
            return o.service.open({
              kind: p.data.kind,
              customerId: customer,
              priority: p.data.priority,
              title: p.data.title,
              actor: req.principal.name,
              reportedByCustomerAtMs: now,
              detectedAtMs: now,
              ...(p.data.service ? { serviceId: p.data.service } : {}),
            });
          },
          201,
        );
      },
    );
    for (const [path, to] of [
      ['ack', 'acknowledged'],
      ['resolve', 'resolved'],
    ] as const) {
      app.post<{ Params: { id: string } }>(`/api/v1/incidents/:id/${path}`, write, async (req, reply) => {
        const p = stepBody.safeParse(req.body ?? {});
        if (!p.success) return bad(reply, p.error);
        const m = p.data.measure !== undefined ? { measure: p.data.measure } : {};
        return handle(reply, async () => {
          const cur = await o.service.get(req.params.id, scopeOf(req));
          if (to === 'acknowledged' && cur.state === 'detected')
            await o.service.step(cur.id, 'reported', req.principal.name);
          return o.service.step(cur.id, to, req.principal.name, { ...m, customers: scopeOf(req) });
        });
      });
    }
    app.post<{ Params: { id: string } }>('/api/v1/incidents/:id/updates', write, async (req, reply) => {
      const p = updateBody.safeParse(req.body);
      if (!p.success) return bad(reply, p.error);
      const m = p.data.measure !== undefined ? { measure: p.data.measure } : {};
      return handle(reply, () =>
        o.service.update(req.params.id, req.principal.name, p.data.text, { ...m, customers: scopeOf(req) }),
      );
    });
    app.post<{ Params: { id: string } }>(
      '/api/v1/incidents/:id/acceptance',
      { config: { permission: 'incidents:accept' }, bodyLimit: 16 * 1024 },
      async (req, reply) => {
        const p = acceptBody.safeParse(req.body);
        if (!p.success) return bad(reply, p.error);
        const scope = scopeOf(req);
        return handle(reply, () =>
          p.data.accept
            ? o.service.step(req.params.id, 'accepted', req.principal.name, { customers: scope })
            : o.service.reject(req.params.id, req.principal.name, p.data.reason, scope),
        );
      },
    );
  };
}
