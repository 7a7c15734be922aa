import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ANONYMOUS, redactTarget, type AuditInput, type Principal } from '../core/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

/** Where the audit hook hands its entries (the AuditLog's `append`, which only queues). */
export type AuditSink = (entry: AuditInput) => void;

/** The audit log's view of who called: whoever authentication put on the request, else anonymous. */
function actorOf(req: FastifyRequest): AuditInput['actor'] {
  const p = (req as { principal?: Principal }).principal ?? ANONYMOUS;
  return { kind: p.kind, name: p.name, ...(p.id !== undefined ? { id: p.id } : {}) };
}

/**
 * Appends one audit entry for every request, reads included (S12, PCI DSS 10.2.1): when it was
 * received, who (the principal), from where, the route as action, the path as object and the
 * status code as result. Bodies, headers and cookies are never recorded, and the values of
 * secret-like query parameters (token, sig, …) are redacted. Runs in onResponse, after the answer
 * has gone out, and `sink` only queues, so auditing adds no latency to a request.
 */
export function auditHook(app: FastifyInstance, sink: AuditSink): void {
  // A request the client abandoned may see both hooks; it is one access, so one entry.
  const recorded = new WeakSet<FastifyRequest>();
  const record = (req: FastifyRequest, result: string, elapsedMs: number): void => {
    if (recorded.has(req)) return;
    recorded.add(req);
    sink({
      at: Math.round(Date.now() - elapsedMs),
      actor: actorOf(req),
      source: req.ip,
      action: `${req.method} ${req.routeOptions.url ?? '(no route)'}`,
      object: redactTarget(req.url),
      result,
    });
  };
  app.addHook('onResponse', async (req, reply) => record(req, String(reply.statusCode), reply.elapsedTime));
  // A client that hangs up before the answer gets no onResponse; it was still an access.
  app.addHook('onRequestAbort', async (req) => record(req, 'aborted', 0));
}
