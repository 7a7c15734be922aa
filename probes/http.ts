import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseRfc3339, type Logger, type ProbeResult, type ProbeResultSink } from '../core/index.js';
import { encodeAgentConfig } from './agent-wire.js';
import { AGENT_WINDOW_DEFAULTS, type LocationsConfig, type ResolvedProbe } from './config.js';

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
  startedAt: z.iso.datetime().refine((t) => parseRfc3339(t) !== undefined, 'not a real date and time'),
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
  /** The server's clock (epoch ms); default Date.now. */
  now?: () => number;
}

/** Results inside what the agent's buffer can hold and its clock skew, and how many were not. */
function splitByWindow(
  results: readonly ProbeResult[],
  oldestMs: number,
  newestMs: number,
): { kept: ProbeResult[]; tooOld: number; inFuture: number } {
  const kept: ProbeResult[] = [];
  let tooOld = 0;
  let inFuture = 0;
  for (const r of results) {
    const t = Date.parse(r.startedAt);
    if (t < oldestMs) tooOld++;
    else if (t > newestMs) inFuture++;
    else kept.push(r);
  }
  return { kept, tooOld, inFuture };
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
    // A full batch (10,000 results of ~600 bytes) fits; more is a 413 before any parsing.
    const results = { config: { permission: 'probes:agent' }, bodyLimit: 16 * 1024 * 1024 };
    app.post('/api/v1/agent/results', results, async (req, reply) => {
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
      // Only what the agent's buffer could hold, dated no further ahead than clock skew: an agent
      // token must not rewrite a closed month or post results dated 2099. Refused per result (an
      // agent whose buffer outlived the window still delivers the rest) and logged.
      const loc = opts.locations.find((l) => l.id === location);
      const now = (opts.now ?? Date.now)();
      const oldestMs = now - (loc?.max_buffer_age ?? AGENT_WINDOW_DEFAULTS.maxBufferAgeMs);
      const newestMs = now + (loc?.max_clock_skew ?? AGENT_WINDOW_DEFAULTS.maxClockSkewMs);
      const { kept, tooOld, inFuture } = splitByWindow(parsed.data.results, oldestMs, newestMs);
      if (tooOld + inFuture > 0)
        log.warn(
          {
            location,
            refusedTooOld: tooOld,
            refusedInFuture: inFuture,
            oldest: new Date(oldestMs).toISOString(),
            newest: new Date(newestMs).toISOString(),
          },
          'refused agent results dated outside the buffer window',
        );
      try {
        if (kept.length > 0) await opts.sink(kept);
      } catch (err) {
        log.error({ err, location }, 'storing agent results failed');
        // The detail (a SQL message) is logged, never sent.
        return reply.code(503).send({ error: 'cannot store results now; retry later' });
      }
      return reply.send({
        accepted: kept.length,
        refused: tooOld + inFuture,
        refusedTooOld: tooOld,
        refusedInFuture: inFuture,
      });
    });

    app.get('/api/v1/agent/config', { config: { permission: 'probes:agent' } }, async (req, reply) => {
      const location = agentOf(req);
      if (!location) return reply.code(401).send({ error: 'missing or unknown agent token' });
      return reply.type('application/json').send(encodeAgentConfig({ location, probes: assigned(location) }));
    });
  };
}
