import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ANONYMOUS, type Clock, type Logger, type Principal } from '../../core/index.js';
import { AUTHENTICATED, mayCall } from './access.js';
import type { Accounts } from './accounts.js';
import { csrfMatches, type ActiveSession, type Sessions } from './sessions.js';
import { userPrincipal } from './sign-in.js';
import type { Tokens } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    /** The session the caller came with (cookie), if any. */
    authSession?: ActiveSession;
    /** Set when the CSRF token is still to be read from the parsed form body (preHandler). */
    csrfFromForm?: boolean;
  }
}

/** The name of the session cookie. */
export const SESSION_COOKIE = 'vigil_session';
/** The header carrying the CSRF token for cookie-authenticated state changes. */
export const CSRF_HEADER = 'x-csrf-token';
/** The form field carrying it in HTML form posts (`application/x-www-form-urlencoded`), which cannot set headers. */
export const CSRF_FIELD = '_csrf';

export interface AuthHookOptions {
  accounts: Accounts;
  sessions: Sessions;
  tokens: Tokens;
  clock: Clock;
  log: Logger;
  /** Paths served without authentication and without the Host check (health, readiness, metrics). */
  publicPaths: readonly string[];
  /** Host names (no port) this server answers to; loopback names are always accepted. */
  allowedHosts: readonly string[];
  /** Origins (scheme://host[:port]) accepted besides the request's own, e.g. the external URL. */
  allowedOrigins: readonly string[];
  /** Agent tokens from config (`locations[].token`): they authenticate as an agent with only `probes:agent`. */
  agentTokens: ReadonlyArray<{ location: string; token: string }>;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOOPBACK = ['localhost', '127.0.0.1', '::1', '[::1]'];
const digest = (s: string) => createHash('sha256').update(s).digest();

const refuse = (reply: FastifyReply, code: number, error: string) => reply.code(code).send({ error });

/**
 * The door: runs first (onRequest) on every request. It refuses a Host this server is not
 * (DNS rebinding) and a cross-site state change (foreign Origin), finds the caller (API token,
 * agent token or session cookie), asks for the CSRF token on cookie-authenticated state changes,
 * and enforces the route's declared permission: 401 without credentials, 403 without the right.
 * A route that matches nothing needs authentication too, so anonymous callers cannot map routes.
 */
export function installAuthHook(app: FastifyInstance, o: AuthHookOptions): void {
  const hosts = new Set([...LOOPBACK, ...o.allowedHosts].map((h) => h.toLowerCase()));
  const agents = o.agentTokens.map((a) => ({ location: a.location, digest: digest(a.token) }));
  const publicPaths = new Set(o.publicPaths);
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('authSession', undefined);
  app.decorateRequest('csrfFromForm', false);

  app.addHook('onRequest', async (req, reply) => {
    req.principal = ANONYMOUS;
    const path = req.url.split('?')[0]!;
    if (publicPaths.has(path)) return;
    const host = hostName(req.headers.host);
    if (!host || !hosts.has(host)) return refuse(reply, 421, 'this server does not answer to that Host');
    if (STATE_CHANGING.has(req.method) && !sameOrigin(req, o.allowedOrigins))
      return refuse(reply, 403, 'cross-site request refused (Origin)');

    const needed = req.routeOptions.config?.permission ?? AUTHENTICATED;
    const now = o.clock.now();
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const cookie = req.cookies?.[SESSION_COOKIE];
    if (bearer) {
      const p = await fromBearer(bearer, now);
      if (!p) return needed === 'public' ? undefined : refuse(reply, 401, 'invalid or expired token');
      req.principal = p;
    } else if (cookie) {
      const s = await o.sessions.use(cookie, now);
      const user =
        s &&
        (await o.accounts.db
          .selectFrom('auth_users')
          .select(['id', 'name', 'disabled'])
          .where('id', '=', s.userId)
          .executeTakeFirst());
      if (!s || !user || user.disabled === 1) {
        if (needed === 'public') return;
        return refuse(reply, 401, 'not signed in (session ended)');
      }
      req.authSession = s;
      req.principal = await userPrincipal(o.accounts, user, s.state, now);
      // Synchronizer token (OWASP CSRF cheat sheet): a cookie alone never changes anything.
      if (
        needed !== 'public' &&
        STATE_CHANGING.has(req.method) &&
        !csrfMatches(s, header(req, CSRF_HEADER))
      ) {
        // An HTML form cannot send a header: its token comes in the body, checked once parsed.
        if (header(req, CSRF_HEADER) !== undefined || !isForm(req))
          return refuse(reply, 403, `missing or wrong ${CSRF_HEADER} header`);
        req.csrfFromForm = true;
      }
    }
    if (mayCall(req.principal, req.authSession?.state, needed)) return;
    if (req.principal.kind === 'anonymous') return refuse(reply, 401, 'authentication required');
    return refuse(reply, 403, `permission ${needed} required`);
  });

  // Before any handler: a form post's `_csrf` field must match the session's token.
  app.addHook('preHandler', async (req, reply) => {
    if (!req.csrfFromForm) return;
    const field = (req.body as Record<string, unknown> | null | undefined)?.[CSRF_FIELD];
    if (!req.authSession || typeof field !== 'string' || !csrfMatches(req.authSession, field))
      return refuse(reply, 403, `missing or wrong ${CSRF_HEADER} header`);
  });

  async function fromBearer(token: string, now: number): Promise<Principal | undefined> {
    const t = await o.tokens.authenticate(token, now);
    if (t)
      return {
        kind: 'token',
        name: t.name,
        id: t.id,
        roles: [],
        permissions: t.scopes,
        ...(t.customerId ? { customerId: t.customerId } : {}),
      };
    const d = digest(token);
    const agent = agents.find((a) => timingSafeEqual(a.digest, d));
    return agent
      ? { kind: 'agent', name: `agent:${agent.location}`, roles: [], permissions: ['probes:agent'] }
      : undefined;
  }
}

const isForm = (req: FastifyRequest): boolean =>
  /^application\/x-www-form-urlencoded\s*(;|$)/i.test(header(req, 'content-type') ?? '');

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The host name of a Host header, lower-cased, without the port; undefined when malformed. */
export function hostName(h: string | undefined): string | undefined {
  if (!h) return undefined;
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i.exec(h.trim());
  return m ? m[1]!.toLowerCase() : undefined;
}

/**
 * A state change is same-origin when the browser's Origin is this server as the client reached
 * it (same host and port), or a configured origin; with no Origin, `Sec-Fetch-Site` must not say
 * cross-site. Clients that are not browsers send neither, and authenticate with tokens.
 */
function sameOrigin(req: FastifyRequest, allowed: readonly string[]): boolean {
  const origin = header(req, 'origin');
  if (origin === undefined) return header(req, 'sec-fetch-site') !== 'cross-site';
  if (origin === 'null') return false;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false; // an unparsable Origin is not ours
  }
  // Same host and port as the request (default ports spelled out: "https://h" is "h:443").
  const m = /^(.*?)(?::(\d+))?$/.exec(String(req.headers.host ?? '').toLowerCase())!;
  const hostPort = m[2] ?? (req.protocol === 'https' ? '443' : '80');
  const originPort = u.port || (u.protocol === 'https:' ? '443' : '80');
  if (u.hostname.toLowerCase() === m[1] && originPort === hostPort) return true;
  return allowed.some((a) => a.replace(/\/+$/, '').toLowerCase() === u.origin.toLowerCase());
}
