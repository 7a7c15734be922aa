import { expect, it } from 'vitest';
import { describeStores } from '../helpers/stores.js';
import { authServer, enrolledUser, STRONG, totpAt } from './helpers/auth-server.js';

const MIN = 60_000;

describeStores('lockout (PCI DSS 8.3.4) and session lifetime (8.2.8)', (getStore) => {
  it('locks at the 11th attempt after 10 failures, answers exactly as for a wrong password, and unlocks after 30 minutes', async () => {
    const f = await authServer(getStore());
    const u = await enrolledUser(f, 'lola', 'ops');
    const attempt = async (password: string) =>
      f.server.inject({
        method: 'POST',
        url: '/api/v1/session',
        remoteAddress: `198.51.100.${Math.floor(Math.random() * 200)}`,
        payload: { username: 'lola', password, totp: await totpAt(u.secret, f.clock.now()) },
      });
    const wrong = await attempt('wrong password number one');
    for (let i = 2; i <= 10; i++) expect((await attempt(`wrong password ${i}`)).statusCode).toBe(401);
    expect(f.lockouts).toEqual([{ user: 'lola', until: f.clock.now() + 30 * MIN }]);
    // 11th attempt, right password and a fresh code: refused, and indistinguishable.
    f.clock.advance(30_000);
    const locked = await attempt(STRONG);
    expect(locked.statusCode).toBe(wrong.statusCode);
    expect(locked.body).toBe(wrong.body);
    expect(locked.headers['content-type']).toBe(wrong.headers['content-type']);
    // An unknown user gets the same answer too.
    const unknown = await f.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'nobody', password: STRONG },
    });
    expect([unknown.statusCode, unknown.body]).toEqual([wrong.statusCode, wrong.body]);

    f.clock.advance(29 * MIN);
    expect((await attempt(STRONG)).statusCode).toBe(401);
    f.clock.advance(1 * MIN);
    expect((await attempt(STRONG)).statusCode).toBe(200);
    await f.server.close();
  });

  it('a correct sign-in resets the failure count', async () => {
    const f = await authServer(getStore());
    const u = await enrolledUser(f, 'mia', 'ops');
    const signIn = async (password: string) =>
      (
        await f.server.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { username: 'mia', password, totp: await totpAt(u.secret, f.clock.now()) },
        })
      ).statusCode;
    for (let i = 0; i < 9; i++) expect(await signIn('not the password at all')).toBe(401);
    expect(await signIn(STRONG)).toBe(200);
    f.clock.advance(30_000);
    for (let i = 0; i < 9; i++) expect(await signIn('not the password at all')).toBe(401);
    f.clock.advance(30_000);
    expect(await signIn(STRONG)).toBe(200);
    expect(f.lockouts).toEqual([]);
    await f.server.close();
  });

  it('a session idle for 15:00 still works; idle for 15:01 is refused', async () => {
    const f = await authServer(getStore());
    const u = await enrolledUser(f, 'ida', 'ops');
    f.clock.advance(-30_000); // undo the helper's step so the last use is exactly "now"
    await f.server.inject({ url: '/api/v1/things', headers: { cookie: u.cookie } });
    f.clock.advance(15 * MIN);
    expect((await f.server.inject({ url: '/api/v1/things', headers: { cookie: u.cookie } })).statusCode).toBe(
      200,
    );
    f.clock.advance(15 * MIN + 1000);
    expect((await f.server.inject({ url: '/api/v1/things', headers: { cookie: u.cookie } })).statusCode).toBe(
      401,
    );
    await f.server.close();
  });

  it('a busy session ends at its absolute lifetime (12 h)', async () => {
    const f = await authServer(getStore());
    const u = await enrolledUser(f, 'abe', 'ops');
    for (let t = 0; t < 12 * 60; t += 10) {
      f.clock.advance(10 * MIN);
      const code = (await f.server.inject({ url: '/api/v1/things', headers: { cookie: u.cookie } }))
        .statusCode;
      if (t + 10 < 12 * 60 - 1) expect(code).toBe(200);
      else expect(code).toBe(401);
    }
    await f.server.close();
  });
});
