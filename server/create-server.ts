import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
} from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import { Counter, Histogram } from 'prom-client';
import { VigilError, type Clock, type Logger, type Registry } from '../core/index.js';
import { routePermissions, type RoutePermission } from './permissions.js';
import { installErrorHandler } from './error-handler.js';
import { installAuthHook } from './auth/hook.js';
import { sessionRoutes } from './auth/session-routes.js';
import type { AuthService } from './auth/service.js';
import type { AuthConfig } from './config.js';
import { auditHook, type AuditSink } from './audit-hook.js';
import { securityHeaders } from './security-headers.js';
import type { TlsMaterial } from './tls.js';

/** The state /readyz reports: ready, or not with the reasons. */
export interface Readiness {
  ok: boolean;
  reasons: string[];
}

/** What the kernel needs to authenticate callers and enforce the function matrix. */
export interface ServerAuth {
  service: AuthService;
  config: AuthConfig;
  clock: Clock;
  /** Host names the server answers to besides loopback names (listen host, external URL, `auth.allowed_hosts`). */
  allowedHosts: readonly string[];
  /** Origins accepted for state changes besides the request's own (the external URL). */
  allowedOrigins: readonly string[];
  /** Agent tokens of today's config: they keep working, with only `probes:agent`. */
  agentTokens: ReadonlyArray<{ location: string; token: string }>;
  /** Called on every account lockout, so admins are told (app/ raises an alert). */
  onLockout?: (event: { user: string; address: string; until: number }) => void;
}

export interface ServerOptions {
  log: Logger;
  metrics: Registry;
  /** Called by /readyz. */
  readiness: () => Promise<Readiness>;
  /** Accounts, sessions, tokens and RBAC. */
  auth: ServerAuth;
  /** The domains' route plugins, registered after the kernel's own routes. */
  plugins?: FastifyPluginAsync[];
  /** Receives one audit entry per request (see audit-hook.ts). */
  audit?: AuditSink;
  /** Serve HTTPS with this certificate (and send HSTS). */
  tls?: TlsMaterial;
}

/**
 * The HTTP kernel: health, readiness and metrics routes, request metrics, sign-in and sessions,
 * and the auth hook that enforces the permission every domain route declares
 * (`config: { permission }`). It knows no domain: app/ hands in the domains' plugins.
 */
export async function createServer(
  opts: ServerOptions,
): Promise<FastifyInstance & { permissions: RoutePermission[] }> {
  const app = Fastify({
    // pino's Logger is what fastify expects at run time; only the declared generics differ.
    loggerInstance: opts.log.child({ component: 'http' }) as unknown as FastifyBaseLogger,
    // Requests are counted in metrics; per-request log lines would drown the useful ones.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 16 * 1024 * 1024,
    return503OnClosing: true,
    ...(opts.tls
      ? { https: { cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2' as const } }
      : {}),
  }) as unknown as FastifyInstance;
  const permissions = routePermissions(app);
  installErrorHandler(app);
  if (opts.audit) auditHook(app, opts.audit);
  await securityHeaders(app, opts.tls);

  const requests = new Counter({
    name: 'vigil_http_requests_total',
    help: 'HTTP requests served by vigil, by route, method and status code.',
    labelNames: ['route', 'method', 'status'],
    registers: [opts.metrics],
  });
  const duration = new Histogram({
    name: 'vigil_http_request_duration_seconds',
    help: 'Time to serve an HTTP request.',
    labelNames: ['route', 'method'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [opts.metrics],
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ route, method: req.method, status: String(reply.statusCode) });
    duration.observe({ route, method: req.method }, reply.elapsedTime / 1000);
  });

  const a = opts.auth;
  await app.register(cookie);
  // Per-address limits only where a route asks (sign-in, TOTP): `config.rateLimit`.
  await app.register(rateLimit, { global: false });
  installAuthHook(app, {
    accounts: a.service.accounts,
    sessions: a.service.sessions,
    tokens: a.service.tokens,
    clock: a.clock,
    log: opts.log,
    publicPaths: a.config.public_paths,
    allowedHosts: a.allowedHosts,
    allowedOrigins: a.allowedOrigins,
    agentTokens: a.agentTokens,
  });
  await app.register(
    sessionRoutes({
      accounts: a.service.accounts,
      sessions: a.service.sessions,
      box: a.service.o.box,
      clock: a.clock,
      log: opts.log.child({ component: 'auth' }),
      lockout: { maxFailures: a.config.lockout.max_failures, lockoutMs: a.config.lockout.duration },
      issuer: a.config.issuer,
      secureCookies: a.config.secure_cookies,
      rateLimitPerMinute: a.config.rate_limit_per_minute,
      ...(a.onLockout ? { onLockout: a.onLockout } : {}),
    }),
  );

  app.get('/healthz', { config: { permission: 'public' } }, async (_req, reply) => {
    return reply.type('text/plain').send('ok\n');
  });
  app.get('/readyz', { config: { permission: 'public' } }, async (_req, reply) => {
    const r = await opts.readiness();
    return reply.code(r.ok ? 200 : 503).send(r);
  });
  app.get('/metrics', { config: { permission: 'public' } }, async (_req, reply) => {
    return reply.type(opts.metrics.contentType).send(await opts.metrics.metrics());
  });

  for (const plugin of opts.plugins ?? []) await app.register(plugin);
  try {
    await app.ready();
  } catch (err) {
    throw new VigilError('APP_HTTP', `cannot set up the HTTP routes: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return Object.assign(app, { permissions });
}

/** Splits "host:port" / "[v6]:port" for fastify's listen. */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(listen);
  if (!m) throw new VigilError('CFG_LISTEN', `server.listen "${listen}" must be HOST:PORT`);
  return { host: m[1]!, port: Number(m[2]) };
}
