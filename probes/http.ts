import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorMessage, type Logger, type ProbeResultSink } from '../core/index.js';
import { encodeAgentConfig } from './agent-wire.js';
import type { LocationsConfig, ResolvedProbe } from './config.js';

const phases = z.strictObject({
  resolve: z.number(),
  connect: z.number(),
  tls: z.number(),
  processing: z.number(),
  transfer: z.number(),
});
const errorKind = z.enum([
  'dns',
  'connect_refused',
  'connect_timeout',
  'tls',
  'timeout',
  'http_status',
  'assertion',
  'reset',
  'other',
]);
const resultSchema = z.strictObject({
  targetId: z.string(),
  location: z.string(),
  startedAt: z.iso.datetime(),
  ok: z.boolean(),
  status: z.number().int().optional(),
  error: z.strictObject({ kind: errorKind, message: z.string() }).optional(),
  totalMs: z.number().nonnegative(),
  phases,
  tls: z
    .strictObject({
      validTo: z.string(),
      issuer: z.string(),
      protocol: z.string(),
      earliestValidTo: z.string().optional(),
    })
    .optional(),
  loopDelayMs: z.number().nonnegative(),
  loopDelayFlagged: z.boolean().optional(),
  script: z
    .strictObject({
      checksPassed: z.number().int().nonnegative(),
      checksFailed: z.number().int().nonnegative(),
      requests: z.number().int().nonnegative(),
      requestsFailed: z.number().int().nonnegative(),
      durationMs: z.number().nonnegative(),
    })
    .optional(),
});
const batchSchema = z.strictObject({ results: z.array(resultSchema).max(10_000) });

export interface AgentRoutesOptions {
  locations: LocationsConfig;
  probes: ResolvedProbe[];
  sink: ProbeResultSink;
  log: Logger;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * The agents' routes: POST /api/v1/agent/results (a batch of results) and GET
 * /api/v1/agent/config (the probes assigned to the agent's location). Both authenticate with
 * the agent's bearer token from config (`locations[].token`), compared in constant time; a
 * location may only report results for itself, for targets assigned to it. Re-sent batches are
 * harmless: the store ignores duplicates by (target, location, startedAt).
 */
export function agentRoutes(opts: AgentRoutesOptions): FastifyPluginAsync {
  const log = opts.log.child({ component: 'probe-agent-routes' });
  const agents = opts.locations
    .filter((l) => l.agent && l.token)
    .map((l) => ({ id: l.id, token: digest(l.token!.reveal()) }));
  const assigned = (location: string): ResolvedProbe[] =>
    opts.probes.filter((p) => p.locations.includes(location));

  const agentOf = (req: FastifyRequest): string | undefined => {
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return undefined;
    const given = digest(m[1]!.trim());
    return agents.find((a) => timingSafeEqual(a.token, given))?.id;
  };

  return async (app) => {
    app.post('/api/v1/agent/results', { config: { permission: 'probes:agent' } }, async (req, reply) => {
      const location = agentOf(req);
      if (!location) return reply.code(401).send({ error: 'missing or unknown agent token' });
      const parsed = batchSchema.safeParse(req.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return reply
          .code(400)
          .send({ error: `invalid batch at ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}` });
      }
      const targets = new Set(assigned(location).map((p) => p.targetId));
      const wrong = parsed.data.results.find((r) => r.location !== location || !targets.has(r.targetId));
      if (wrong) {
        return reply.code(403).send({
          error: `agent ${location} may not report ${wrong.targetId} from location ${wrong.location}`,
        });
      }
      try {
        await opts.sink(parsed.data.results);
      } catch (err) {
        log.error({ err, location }, 'storing agent results failed');
        return reply.code(503).send({ error: `cannot store results now: ${errorMessage(err)}` });
      }
      return reply.send({ accepted: parsed.data.results.length });
    });

    app.get('/api/v1/agent/config', { config: { permission: 'probes:agent' } }, async (req, reply) => {
      const location = agentOf(req);
      if (!location) return reply.code(401).send({ error: 'missing or unknown agent token' });
      return reply.type('application/json').send(encodeAgentConfig({ location, probes: assigned(location) }));
    });
  };
}
