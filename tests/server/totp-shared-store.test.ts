import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSecret } from 'otplib';
import { openStore, SecretBox, type Store } from '../../core/index.js';
import { spendTotp, type AuthDb } from '../../server/index.js';
import { getPgCluster, releaseOwnCluster } from '../helpers/pg-database.js';
import { createDatabase, dropDatabase } from '../helpers/postgres.js';
import { describeStores } from '../helpers/stores.js';
import { totpAt } from './helpers/auth-server.js';

const box = new SecretBox([{ id: 'k1', key: randomBytes(32) }], 'k1');

async function userWithSeed(
  store: Store,
  id: string,
): Promise<{ id: string; totp_secret: string; secret: string }> {
  const secret = generateSecret();
  const totp_secret = box.seal(secret, `totp:${id}`);
  await (store.db as AuthDb)
    .insertInto('auth_users')
    .values({
      id,
      name: id,
      password_hash: 'x',
      password_one_time: 0,
      disabled: 0,
      totp_secret,
      totp_enrolled: 1,
      failed_count: 0,
      created_at: 0,
      updated_at: 0,
    })
    .execute();
  return { id, totp_secret, secret };
}

describeStores('TOTP replay guard in the store', (getStore) => {
  it('accepts a code once; the same code in parallel is accepted exactly once; the next step works', async () => {
    const store = getStore();
    const u = await userWithSeed(store, 'tess');
    const now = Date.UTC(2026, 0, 1, 10, 0, 5);
    const code = await totpAt(u.secret, now);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => spendTotp(store.db as AuthDb, box, u, code, now)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await spendTotp(store.db as AuthDb, box, u, code, now + 10_000)).toBe(false);
    expect(
      await spendTotp(store.db as AuthDb, box, u, await totpAt(u.secret, now + 30_000), now + 30_000),
    ).toBe(true);
    // Another user's code of the same step is theirs alone.
    const v = await userWithSeed(store, 'vera');
    expect(await spendTotp(store.db as AuthDb, box, v, await totpAt(v.secret, now), now)).toBe(true);
  });

  it("a seed sealed for one user does not open as another's", async () => {
    const store = getStore();
    const u = await userWithSeed(store, 'una');
    const now = Date.UTC(2026, 0, 1, 10, 0, 5);
    await expect(
      spendTotp(
        store.db as AuthDb,
        box,
        { id: 'someone-else', totp_secret: u.totp_secret },
        await totpAt(u.secret, now),
        now,
      ),
    ).rejects.toThrow(/does not decrypt/);
  });
});

describe('TOTP replay across two instances on one PostgreSQL', () => {
  const opened: Store[] = [];
  let url: string | undefined;
  afterAll(async () => {
    for (const s of opened) await s.close();
    if (url) await dropDatabase(await getPgCluster(), url);
    await releaseOwnCluster();
  });

  it('two stores (two instances) racing with the same code: one wins, the other is refused', async () => {
    url = await createDatabase(await getPgCluster());
    const a = await openStore(url);
    opened.push(a);
    const b = await openStore(url);
    opened.push(b);
    const u = await userWithSeed(a, 'pia');
    for (let step = 0; step < 5; step++) {
      const now = Date.UTC(2026, 0, 1, 10, 0, 5) + step * 30_000;
      const code = await totpAt(u.secret, now);
      const [ra, rb] = await Promise.all([
        spendTotp(a.db as AuthDb, box, u, code, now),
        spendTotp(b.db as AuthDb, box, u, code, now),
      ]);
      expect([ra, rb].filter(Boolean)).toHaveLength(1);
      expect(await spendTotp(a.db as AuthDb, box, u, code, now)).toBe(false);
      expect(await spendTotp(b.db as AuthDb, box, u, code, now)).toBe(false);
    }
  });
});
