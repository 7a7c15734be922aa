import { randomBytes } from 'node:crypto';
import { SecretBox, systemClock, type Store } from '../../core/index.js';
import { AuthService, authConfigFrom, type ServerAuth } from '../../server/index.js';

/**
 * Real accounts over `store` for tests that exercise a domain's routes through the HTTP kernel:
 * the kernel's `auth` option, and the `authorization` header of an API token with `scopes`
 * (default every permission). The token is created for real and checked by the real hook.
 */
export async function testAuth(
  store: Store,
  scopes: string[] = ['*'],
  name = `test-${randomBytes(4).toString('hex')}`,
): Promise<{ auth: ServerAuth; headers: { authorization: string }; token: string; name: string }> {
  const config = authConfigFrom({ auth: undefined });
  const service = new AuthService({
    store,
    box: new SecretBox([{ id: 'k1', key: randomBytes(32) }], 'k1'),
    clock: systemClock,
    argon2: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
    limits: {
      idleTimeoutMs: config.session.idle_timeout,
      absoluteLifetimeMs: config.session.absolute_lifetime,
    },
  });
  const token = await service.tokens.create({ name, scopes, createdBy: 'test' }, Date.now());
  return {
    auth: { service, config, clock: systemClock, allowedHosts: [], allowedOrigins: [], agentTokens: [] },
    headers: { authorization: `Bearer ${token}` },
    token,
    name,
  };
}
