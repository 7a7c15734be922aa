import { expect, it } from 'vitest';
import { describeStores } from '../helpers/stores.js';
import { authServer, enrolledUser, sessionCookie, STRONG, totpAt } from './helpers/auth-server.js';

describeStores('sign-in, TOTP enrolment and first password', (getStore) => {
  it('a new user must enrol TOTP, then change the one-time password, before anything else', async () => {
    const f = await authServer(getStore());
    const now = f.clock.now();
    const { password } = await f.service.accounts.add(
      'olga',
      { role: 'ops', reason: 'on call', until: now + 86_400_000, grantedBy: 't' },
      now,
    );
    const res = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'olga', password },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { enrol: { secret: string; uri: string; qrSvg: string }; csrfToken: string };
    expect(body.enrol.uri).toMatch(/^otpauth:\/\/totp\/vigil:olga\?/);
    expect(body.enrol.qrSvg).toContain('<svg');
    const setCookie = res.cookies.find((c) => c.name === 'vigil_session')!;
    expect(setCookie.httpOnly).toBe(true);
    expect(setCookie.sameSite).toBe('Strict');
    const cookie = sessionCookie(res);
    const h = { cookie, 'x-csrf-token': body.csrfToken };

    // Enrolment session: nothing but enrolment.
    expect((await f.server.inject({ url: '/api/v1/things', headers: h })).statusCode).toBe(403);
    const bad = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session/totp',
      headers: h,
      payload: { code: '000000' },
    });
    expect(bad.statusCode).toBe(400);
    const ok = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session/totp',
      headers: h,
      payload: { code: await totpAt(body.enrol.secret, f.clock.now()) },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ enrolled: true, mustChangePassword: true });
    expect((ok.json() as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);

    // One-time password still in force: only a password change.
    expect((await f.server.inject({ url: '/api/v1/things', headers: h })).statusCode).toBe(403);
    const weak = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session/password',
      headers: h,
      payload: { newPassword: 'password1234' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ error: expect.stringContaining('common') });
    const changed = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session/password',
      headers: h,
      payload: { newPassword: STRONG },
    });
    expect(changed.statusCode).toBe(200);
    const things = await f.server.inject({ url: '/api/v1/things', headers: h });
    expect(things.statusCode).toBe(200);
    expect(things.json()).toEqual({ who: 'olga' });

    // The one-time password no longer works; the new one with a fresh code does.
    f.clock.advance(30_000);
    const old = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'olga', password, totp: await totpAt(body.enrol.secret, f.clock.now()) },
    });
    expect(old.statusCode).toBe(401);
    f.clock.advance(30_000);
    const again = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'olga', password: STRONG, totp: await totpAt(body.enrol.secret, f.clock.now()) },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ user: 'olga', mustChangePassword: false });
    await f.server.close();
  });

  it('a TOTP code works once per user and time step (replay refused)', async () => {
    const f = await authServer(getStore());
    const u = await enrolledUser(f, 'rita', 'ops');
    const code = await totpAt(u.secret, f.clock.now());
    const first = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'rita', password: STRONG, totp: code },
    });
    expect(first.statusCode).toBe(200);
    const replay = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'rita', password: STRONG, totp: code },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toEqual({ error: 'invalid credentials' });
    await f.server.close();
  });

  it('a recovery code replaces the TOTP code once', async () => {
    const f = await authServer(getStore());
    const u = await enrolledUser(f, 'remy', 'auditor');
    const rc = u.recoveryCodes[0]!;
    const first = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'remy', password: STRONG, totp: rc },
    });
    expect(first.statusCode).toBe(200);
    const second = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'remy', password: STRONG, totp: rc },
    });
    expect(second.statusCode).toBe(401);
    const other = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'remy', password: STRONG, totp: u.recoveryCodes[1]! },
    });
    expect(other.statusCode).toBe(200);
    await f.server.close();
  });

  it('DELETE /api/v1/session signs out: the cookie stops working', async () => {
    const f = await authServer(getStore());
    const u = await enrolledUser(f, 'sam', 'ops');
    const h = { cookie: u.cookie, 'x-csrf-token': u.csrf };
    expect((await f.server.inject({ url: '/api/v1/things', headers: h })).statusCode).toBe(200);
    expect((await f.server.inject({ method: 'DELETE', url: '/api/v1/session', headers: h })).statusCode).toBe(
      204,
    );
    expect((await f.server.inject({ url: '/api/v1/things', headers: h })).statusCode).toBe(401);
    await f.server.close();
  });

  it('an administrator can end all sessions of a user', async () => {
    const f = await authServer(getStore());
    const u = await enrolledUser(f, 'sid', 'ops');
    expect((await f.server.inject({ url: '/api/v1/things', headers: { cookie: u.cookie } })).statusCode).toBe(
      200,
    );
    expect((await f.server.inject({ method: 'HEAD', url: '/api/v1/things' })).statusCode).toBe(401);
    expect(await f.service.accounts.signOut('sid', f.clock.now())).toBe(1);
    expect((await f.server.inject({ url: '/api/v1/things', headers: { cookie: u.cookie } })).statusCode).toBe(
      401,
    );
    await f.server.close();
  });

  it('a disabled user is refused at once, also with a running session', async () => {
    const f = await authServer(getStore());
    const u = await enrolledUser(f, 'dora', 'ops');
    await f.service.accounts.disable('dora', f.clock.now());
    expect((await f.server.inject({ url: '/api/v1/things', headers: { cookie: u.cookie } })).statusCode).toBe(
      401,
    );
    const res = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'dora', password: STRONG, totp: await totpAt(u.secret, f.clock.now()) },
    });
    expect(res.statusCode).toBe(401);
    await f.server.close();
  });
});

describeStores('session cookie flags', (getStore) => {
  it.each([
    ['auto', false],
    [true, true],
  ] as const)(
    'secure_cookies %s over plain HTTP: Secure %s, always HttpOnly and SameSite=Strict',
    async (mode, secure) => {
      const f = await authServer(getStore(), { config: { secure_cookies: mode } });
      const now = f.clock.now();
      const { password } = await f.service.accounts.add(
        'cora',
        { role: 'ops', reason: 'r', until: now + 86_400_000, grantedBy: 't' },
        now,
      );
      const res = await f.server.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'cora', password },
      });
      const c = res.cookies.find((x) => x.name === 'vigil_session')!;
      expect([c.secure ?? false, c.httpOnly, c.sameSite, c.path]).toEqual([secure, true, 'Strict', '/']);
      await f.server.close();
    },
  );
});

describeStores('argon2 parameters raised', (getStore) => {
  it('re-hashes a password at the next sign-in with the new parameters', async () => {
    const f = await authServer(getStore());
    const u = await enrolledUser(f, 'hugo', 'ops');
    const before = (await f.service.accounts.find('hugo'))!.password_hash;
    expect(before).toContain('m=19456,t=2,');
    await f.server.close();
    const g = await authServer(getStore(), {
      box: f.box,
      clock: f.clock,
      argon2: { memoryCost: 19456, timeCost: 3, parallelism: 1 },
    });
    const res = await g.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'hugo', password: STRONG, totp: await totpAt(u.secret, g.clock.now()) },
    });
    expect(res.statusCode).toBe(200);
    const after = (await g.service.accounts.find('hugo'))!.password_hash;
    expect(after).toContain('m=19456,t=3,');
    g.clock.advance(30_000);
    const again = await g.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'hugo', password: STRONG, totp: await totpAt(u.secret, g.clock.now()) },
    });
    expect(again.statusCode).toBe(200);
    await g.server.close();
  });
});
