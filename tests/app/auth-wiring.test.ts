import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openStore, SecretBox, silentLogger, type Alert } from '../../core/index.js';
import { AuthService } from '../../server/index.js';
import { serverAuthFrom } from '../../app/auth.js';
import type { LoadedConfig } from '../../app/wire/types.js';

describe('app/auth: the server auth settings vigil start derives from config', () => {
  it('answers to the listen host, the external URL and auth.allowed_hosts; agent tokens from locations; a lockout becomes an alert', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      const clock = { now: () => Date.UTC(2026, 0, 1) };
      const service = new AuthService({
        store,
        box: new SecretBox([{ id: 'k', key: randomBytes(32) }], 'k'),
        clock,
        argon2: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
        limits: { idleTimeoutMs: 900_000, absoluteLifetimeMs: 43_200_000 },
      });
      const config = {
        __file: 'x.yaml',
        server: { listen: '10.0.0.5:8443', external_url: 'https://vigil.example.net/' },
        auth: undefined,
        locations: [
          { id: 'ams', agent: false },
          { id: 'fra', agent: true, token: { reveal: () => 'fra-token' } },
        ],
      } as unknown as LoadedConfig;
      const raised: Alert[] = [];
      const a = serverAuthFrom(
        config,
        service,
        clock,
        async (alerts) => void raised.push(...alerts),
        silentLogger(),
      );
      expect(a.allowedHosts).toEqual(['10.0.0.5', 'vigil.example.net']);
      expect(a.allowedOrigins).toEqual(['https://vigil.example.net']);
      expect(a.agentTokens).toEqual([{ location: 'fra', token: 'fra-token' }]);
      a.onLockout!({ user: 'olga', address: '198.51.100.7', until: clock.now() + 1_800_000 });
      await new Promise((r) => setImmediate(r));
      expect(raised).toEqual([
        expect.objectContaining({
          labels: { alertname: 'VigilAccountLocked', severity: 'warning', user: 'olga', component: 'auth' },
          endsAt: '2026-01-01T00:30:00.000Z',
        }),
      ]);
    } finally {
      await store.close();
    }
  });
});
