import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import { createMetricsRegistry, silentLogger, SecretBox, type Store } from '../../../core/index.js';
import {
  AuthService,
  authConfigFrom,
  createServer,
  type Argon2Params,
  type AuthConfig,
  type RoleDef,
} from '../../../server/index.js';

/** A clock the test moves by hand (lockout, idle and lifetime are about time). */
export class FakeClock {
  constructor(public t = Date.UTC(2026, 5, 1, 12, 0, 0)) {}
  now = () => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface AuthFixture {
  server: FastifyInstance;
  service: AuthService;
  clock: FakeClock;
  config: AuthConfig;
  box: SecretBox;
  lockouts: Array<{ user: string; until: number }>;
}

export const AGENT_TOKEN = 'agent-token-from-config-0123456789';

/**
 * A server kernel with auth over `store` and a few routes with declared permissions, as a domain
 * plugin would add them (things:read, things:write, probes:agent, sla:read with customer scope).
 */
export async function authServer(
  store: Store,
  opts: {
    customRoles?: RoleDef[];
    box?: SecretBox;
    clock?: FakeClock;
    argon2?: Argon2Params;
    config?: Partial<AuthConfig>;
  } = {},
): Promise<AuthFixture> {
  const clock = opts.clock ?? new FakeClock();
  const config = { ...authConfigFrom({ auth: undefined }), ...opts.config };
  const box = opts.box ?? new SecretBox([{ id: 'k1', key: randomBytes(32) }], 'k1');
  const service = new AuthService({
    store,
    box,
    clock,
    argon2: opts.argon2 ?? { memoryCost: 19456, timeCost: 2, parallelism: 1 },
    limits: {
      idleTimeoutMs: config.session.idle_timeout,
      absoluteLifetimeMs: config.session.absolute_lifetime,
    },
    customRoles: opts.customRoles ?? [],
  });
  const lockouts: AuthFixture['lockouts'] = [];
  const server = await createServer({
    log: silentLogger(),
    metrics: createMetricsRegistry(),
    readiness: async () => ({ ok: true, reasons: [] }),
    auth: {
      service,
      config,
      clock,
      allowedHosts: ['vigil.example'],
      allowedOrigins: ['https://vigil.example'],
      agentTokens: [{ location: 'fra', token: AGENT_TOKEN }],
      onLockout: (e) => lockouts.push({ user: e.user, until: e.until }),
    },
    plugins: [
      async (app) => {
        app.get('/api/v1/things', { config: { permission: 'alerting:read' } }, async (req) => ({
          who: req.principal.name,
        }));
        app.post('/api/v1/things', { config: { permission: 'alerting:write' } }, async (req) => ({
          done: true,
          who: req.principal.name,
        }));
        app.post('/api/v1/agent/push', { config: { permission: 'probes:agent' } }, async (req) => ({
          agent: req.principal.name,
        }));
        app.get('/api/v1/reports', { config: { permission: 'sla:read' } }, async (req) => ({
          customer: req.principal.customerId ?? null,
        }));
      },
    ],
  });
  return { server, service, clock, config, box, lockouts };
}

/** Cookie header value from a sign-in response. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'vigil_session');
  if (!c) throw new Error(`no session cookie in ${res.statusCode} ${res.body}`);
  return `vigil_session=${c.value}`;
}

/** The TOTP code of `secret` at the fake clock's time (RFC 6238, 30 s steps). */
export const totpAt = (secret: string, ms: number) => generate({ secret, epoch: Math.floor(ms / 1000) });

export interface SignedIn {
  cookie: string;
  csrf: string;
  secret: string;
  recoveryCodes: string[];
}

export const STRONG = 'correct horse battery staple 42';

/**
 * Adds a user with `role` and takes them through the first sign-in: one-time password, TOTP
 * enrolment, new password. Returns a full session.
 */
export async function enrolledUser(
  f: AuthFixture,
  name: string,
  role: string,
  customerId?: string,
): Promise<SignedIn> {
  const now = f.clock.now();
  const { password } = await f.service.accounts.add(
    name,
    { role, customerId, reason: 'test', until: now + 86_400_000 * 30, grantedBy: 'test' },
    now,
  );
  const first = await f.server.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username: name, password },
  });
  if (first.statusCode !== 200) throw new Error(`sign-in of ${name}: ${first.statusCode} ${first.body}`);
  const body = first.json() as { enrol: { secret: string }; csrfToken: string };
  const cookie = sessionCookie(first);
  const enrol = await f.server.inject({
    method: 'POST',
    url: '/api/v1/session/totp',
    headers: { cookie, 'x-csrf-token': body.csrfToken },
    payload: { code: await totpAt(body.enrol.secret, f.clock.now()), newPassword: STRONG },
  });
  if (enrol.statusCode !== 200) throw new Error(`enrolment of ${name}: ${enrol.statusCode} ${enrol.body}`);
  // The next code must come from a later step: the one just used is spent.
  f.clock.advance(30_000);
  return {
    cookie,
    csrf: body.csrfToken,
    secret: body.enrol.secret,
    recoveryCodes: (enrol.json() as { recoveryCodes: string[] }).recoveryCodes,
  };
}
