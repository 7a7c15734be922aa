import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock, Logger, SecretBox } from '../../core/index.js';
import { AUTHENTICATED, ENROL, OWN_PASSWORD, PUBLIC } from './access.js';
import type { Accounts } from './accounts.js';
import { CSRF_HEADER, SESSION_COOKIE } from './hook.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import type { Sessions, SessionState } from './sessions.js';
import { signIn, type LockoutPolicy } from './sign-in.js';
import { enrolment, newRecoveryCodes, spendTotp } from './totp.js';

export interface SessionRoutesOptions {
  accounts: Accounts;
  sessions: Sessions;
  box: SecretBox;
  clock: Clock;
  log: Logger;
  lockout: LockoutPolicy;
  /** `otpauth://` issuer shown in authenticator apps. */
  issuer: string;
  /** `auto`: Secure when the request came over TLS; true/false to force. */
  secureCookies: 'auto' | boolean;
  /** Requests per address and minute on the sign-in routes. */
  rateLimitPerMinute: number;
  /** Told about every lockout (logged here too), so admins hear of it. */
  onLockout?: (event: { user: string; address: string; until: number }) => void;
}

const signInBody = z.object({
  username: z.string().max(200),
  password: z.string().max(1024),
  totp: z.string().max(64).optional(),
});
const totpBody = z.object({ code: z.string().max(16), newPassword: z.string().max(1024).optional() });
const passwordBody = z.object({
  password: z.string().max(1024).optional(),
  newPassword: z.string().max(1024),
});

/** The same answer for every failed sign-in (PCI DSS 8.3.4: a locked account looks like a wrong password). */
const INVALID = { error: 'invalid credentials' };

/** POST/GET/DELETE /api/v1/session, POST /api/v1/session/totp and /api/v1/session/password. */
export function sessionRoutes(o: SessionRoutesOptions): FastifyPluginAsync {
  return async (app) => {
    const limited = (permission: string) => ({
      config: { permission, rateLimit: { max: o.rateLimitPerMinute, timeWindow: 60_000 } },
    });

    const startSession = async (
      req: FastifyRequest,
      reply: FastifyReply,
      userId: string,
      state: SessionState,
    ) => {
      const s = await o.sessions.create(userId, state, req.ip, o.clock.now());
      const secure = o.secureCookies === 'auto' ? req.protocol === 'https' : o.secureCookies;
      reply.setCookie(SESSION_COOKIE, s.id, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure,
        maxAge: Math.floor(o.sessions.limits.absoluteLifetimeMs / 1000),
      });
      return s.csrf;
    };

    app.post('/api/v1/session', limited(PUBLIC), async (req, reply) => {
      const body = signInBody.safeParse(req.body);
      if (!body.success) return reply.code(401).send(INVALID);
      const now = o.clock.now();
      const r = await signIn(o.accounts, o.box, o.lockout, body.data, now);
      if (!r.ok) {
        if (r.lockedNow) {
          o.log.warn(
            { user: r.lockedNow.user, address: req.ip, until: new Date(r.lockedNow.until).toISOString() },
            'account locked after repeated failed sign-ins',
          );
          o.onLockout?.({ user: r.lockedNow.user, address: req.ip, until: r.lockedNow.until });
        }
        return reply.code(401).send(INVALID);
      }
      const csrfToken = await startSession(req, reply, r.user.id, r.state);
      if (r.state === 'enrol') {
        const e = await enrolment(o.accounts.db, o.box, r.user, o.issuer);
        return {
          enrol: { secret: e.secret, uri: e.uri, qrSvg: e.qrSvg },
          csrfToken,
          csrfHeader: CSRF_HEADER,
        };
      }
      return {
        user: r.user.name,
        mustChangePassword: r.state === 'password',
        csrfToken,
        csrfHeader: CSRF_HEADER,
      };
    });

    app.post('/api/v1/session/totp', limited(ENROL), async (req, reply) => {
      const body = totpBody.safeParse(req.body);
      if (!body.success) return reply.code(400).send({ error: 'body must be {"code": "123456"}' });
      const s = req.authSession!;
      const user = await o.accounts.db
        .selectFrom('auth_users')
        .selectAll()
        .where('id', '=', s.userId)
        .executeTakeFirstOrThrow();
      const now = o.clock.now();
      let newHash: string | undefined;
      if (body.data.newPassword !== undefined) {
        const problem = passwordProblem(body.data.newPassword, user.name);
        if (problem) return reply.code(400).send({ error: `new password ${problem}` });
        newHash = await hashPassword(body.data.newPassword, o.accounts.argon2);
      }
      if (!(await spendTotp(o.accounts.db, o.box, user, body.data.code.trim(), now)))
        return reply
          .code(400)
          .send({ error: 'code not accepted: check the authenticator app and the clock' });
      await o.accounts.db
        .updateTable('auth_users')
        .set({
          totp_enrolled: 1,
          updated_at: now,
          ...(newHash ? { password_hash: newHash, password_one_time: 0 } : {}),
        })
        .where('id', '=', user.id)
        .execute();
      const recoveryCodes = await newRecoveryCodes(o.accounts.db, user.id, now);
      const mustChangePassword = !newHash && Number(user.password_one_time) === 1;
      await o.sessions.setState(s.idHash, mustChangePassword ? 'password' : 'full');
      return { enrolled: true, recoveryCodes, mustChangePassword };
    });

    app.post('/api/v1/session/password', limited(OWN_PASSWORD), async (req, reply) => {
      const body = passwordBody.safeParse(req.body);
      if (!body.success)
        return reply.code(400).send({ error: 'body must be {"password": "...", "newPassword": "..."}' });
      const s = req.authSession!;
      const user = await o.accounts.db
        .selectFrom('auth_users')
        .selectAll()
        .where('id', '=', s.userId)
        .executeTakeFirstOrThrow();
      // Outside the first sign-in, the current password is asked again (OWASP ASVS 2.1.5).
      if (s.state === 'full' && !(await verifyPassword(user.password_hash, body.data.password ?? '')))
        return reply.code(400).send({ error: 'current password is wrong' });
      const problem = passwordProblem(body.data.newPassword, user.name);
      if (problem) return reply.code(400).send({ error: `new password ${problem}` });
      const now = o.clock.now();
      await o.accounts.db
        .updateTable('auth_users')
        .set({
          password_hash: await hashPassword(body.data.newPassword, o.accounts.argon2),
          password_one_time: 0,
          updated_at: now,
        })
        .where('id', '=', user.id)
        .execute();
      // Other sessions of this user end; this one continues with full rights.
      await o.accounts.db
        .updateTable('auth_sessions')
        .set({ revoked_at: now })
        .where('user_id', '=', user.id)
        .where('id_hash', '!=', s.idHash)
        .where('revoked_at', 'is', null)
        .execute();
      await o.sessions.setState(s.idHash, 'full');
      return { changed: true };
    });

    app.get('/api/v1/session', { config: { permission: AUTHENTICATED } }, async (req) => {
      const p = req.principal;
      return {
        kind: p.kind,
        name: p.name,
        roles: p.roles,
        permissions: p.permissions,
        customerId: p.customerId ?? null,
        state: req.authSession?.state ?? null,
      };
    });

    app.delete('/api/v1/session', { config: { permission: AUTHENTICATED } }, async (req, reply) => {
      if (req.authSession) await o.sessions.revoke(req.authSession.idHash, o.clock.now());
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    });
  };
}
