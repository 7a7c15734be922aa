import { expect, it } from 'vitest';
import { describeStores } from '../helpers/stores.js';
import { AGENT_TOKEN, authServer, enrolledUser } from './helpers/auth-server.js';

const DAY = 86_400_000;

describeStores('the door: Host, Origin, CSRF, tokens, rate limit', (getStore) => {
  it('anonymous callers get 401 on every non-public route, also on routes that do not exist', async () => {
    const f = await authServer(getStore());
    for (const [method, url] of [
      ['GET', '/api/v1/things'],
      ['POST', '/api/v1/things'],
      ['GET', '/api/v1/session'],
      ['DELETE', '/api/v1/session'],
      ['POST', '/api/v1/session/totp'],
      ['GET', '/no/such/route'],
    ] as const)
      expect([method, url, (await f.server.inject({ method, url })).statusCode]).toEqual([method, url, 401]);
    for (const url of ['/healthz', '/readyz', '/metrics'])
      expect((await f.server.inject({ url })).statusCode).toBe(200);
    await f.server.close();
  });

  it('a Host the server is not is refused (DNS rebinding); its own names are served', async () => {
    const f = await authServer(getStore());
    const u = await enrolledUser(f, 'hank', 'ops');
    const get = (host: string) =>
      f.server.inject({ url: '/api/v1/things', headers: { host, cookie: u.cookie } });
    expect((await get('evil.example')).statusCode).toBe(421);
    expect((await get('evil.example:8080')).statusCode).toBe(421);
    expect((await get('vigil.example')).statusCode).toBe(200);
    expect((await get('127.0.0.1:8080')).statusCode).toBe(200);
    expect((await get('[::1]:8080')).statusCode).toBe(200);
    const signIn = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { host: 'evil.example' },
      payload: { username: 'hank', password: 'x' },
    });
    expect(signIn.statusCode).toBe(421);
    await f.server.close();
  });

  it('a cookie-authenticated state change needs the CSRF token; a foreign Origin is refused', async () => {
    const f = await authServer(getStore());
    const u = await enrolledUser(f, 'cleo', 'ops');
    const post = (headers: Record<string, string>) =>
      f.server.inject({
        method: 'POST',
        url: '/api/v1/things',
        headers: { cookie: u.cookie, ...headers },
        payload: {},
      });
    expect((await post({})).statusCode).toBe(403);
    expect((await post({ 'x-csrf-token': 'guessed' })).statusCode).toBe(403);
    expect((await post({ 'x-csrf-token': u.csrf })).statusCode).toBe(200);
    expect((await post({ 'x-csrf-token': u.csrf, origin: 'https://attacker.example' })).statusCode).toBe(403);
    expect((await post({ 'x-csrf-token': u.csrf, origin: 'null' })).statusCode).toBe(403);
    expect((await post({ 'x-csrf-token': u.csrf, 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await post({ 'x-csrf-token': u.csrf, origin: 'https://vigil.example' })).statusCode).toBe(200);
    expect(
      (await post({ 'x-csrf-token': u.csrf, origin: 'http://localhost:80', host: 'localhost:80' }))
        .statusCode,
    ).toBe(200);
    // A login form on another site cannot sign a victim in either.
    const login = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { origin: 'https://attacker.example' },
      payload: { username: 'cleo', password: 'x' },
    });
    expect(login.statusCode).toBe(403);
    // Reads need no CSRF token.
    expect((await f.server.inject({ url: '/api/v1/things', headers: { cookie: u.cookie } })).statusCode).toBe(
      200,
    );
    await f.server.close();
  });

  it('API tokens: shown once, stored hashed, limited to their scopes, refused after expiry or revocation', async () => {
    const f = await authServer(getStore());
    const now = f.clock.now();
    const token = await f.service.tokens.create(
      { name: 'prometheus', scopes: ['alerting:write'], createdBy: 'test', expiresAt: now + DAY },
      now,
    );
    expect(token).toMatch(/^vgl_[A-Za-z0-9_-]{43}$/);
    const rows = await f.service.db.selectFrom('auth_tokens').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
    const auth = { authorization: `Bearer ${token}` };
    const post = await f.server.inject({ method: 'POST', url: '/api/v1/things', headers: auth, payload: {} });
    expect(post.statusCode).toBe(200);
    expect(post.json()).toEqual({ done: true, who: 'prometheus' });
    expect((await f.server.inject({ url: '/api/v1/things', headers: auth })).statusCode).toBe(403);
    const listed = (await f.service.tokens.list())[0]!;
    expect(listed.lastUsedAt).toBe(now);
    expect(
      (
        await f.server.inject({
          method: 'POST',
          url: '/api/v1/things',
          headers: { authorization: `Bearer ${token}x` },
          payload: {},
        })
      ).statusCode,
    ).toBe(401);
    f.clock.advance(DAY);
    expect(
      (await f.server.inject({ method: 'POST', url: '/api/v1/things', headers: auth, payload: {} }))
        .statusCode,
    ).toBe(401);

    const other = await f.service.tokens.create(
      { name: 'ci', scopes: ['alerting:*'], createdBy: 'test' },
      f.clock.now(),
    );
    expect(
      (await f.server.inject({ url: '/api/v1/things', headers: { authorization: `Bearer ${other}` } }))
        .statusCode,
    ).toBe(200);
    await f.service.tokens.revoke('ci', f.clock.now());
    expect(
      (await f.server.inject({ url: '/api/v1/things', headers: { authorization: `Bearer ${other}` } }))
        .statusCode,
    ).toBe(401);
    await f.server.close();
  });

  it("the agent tokens of today's config still work, for the agent routes only", async () => {
    const f = await authServer(getStore());
    const auth = { authorization: `Bearer ${AGENT_TOKEN}` };
    const push = await f.server.inject({
      method: 'POST',
      url: '/api/v1/agent/push',
      headers: auth,
      payload: {},
    });
    expect(push.statusCode).toBe(200);
    expect(push.json()).toEqual({ agent: 'agent:fra' });
    expect((await f.server.inject({ url: '/api/v1/things', headers: auth })).statusCode).toBe(403);
    // An admin is no agent: `*` does not cover machine-only permissions.
    const admin = await enrolledUser(f, 'adele', 'admin');
    expect(
      (
        await f.server.inject({
          method: 'POST',
          url: '/api/v1/agent/push',
          headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
          payload: {},
        })
      ).statusCode,
    ).toBe(403);
    await f.server.close();
  });

  it('limits sign-in attempts per address (429), independently of the account', async () => {
    const f = await authServer(getStore());
    const codes: number[] = [];
    for (let i = 0; i < f.config.rate_limit_per_minute + 1; i++)
      codes.push(
        (
          await f.server.inject({
            method: 'POST',
            url: '/api/v1/session',
            remoteAddress: '203.0.113.9',
            payload: { username: `u${i}`, password: 'x' },
          })
        ).statusCode,
      );
    expect(codes.slice(0, -1).every((c) => c === 401)).toBe(true);
    expect(codes.at(-1)).toBe(429);
    const elsewhere = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      remoteAddress: '203.0.113.10',
      payload: { username: 'u', password: 'x' },
    });
    expect(elsewhere.statusCode).toBe(401);
    await f.server.close();
  });
});
