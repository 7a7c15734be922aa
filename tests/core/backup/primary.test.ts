import { describe, expect, it } from 'vitest';
import { assertPrimary } from '../../../core/index.js';
import { describeStores } from '../../helpers/stores.js';

describeStores('the store answers as a primary', (getStore) => {
  it('a primary (and SQLite) passes the check vigil start makes', async () => {
    await expect(assertPrimary(getStore())).resolves.toBeUndefined();
  });
});

describe('a store that cannot be asked', () => {
  it('is refused with a clear error, not taken for a primary', async () => {
    const broken = {
      engine: 'postgres' as const,
      displayUrl: 'postgres://vigil:<secret>@db/vigil',
      db: { executeQuery: () => Promise.reject(new Error('connection refused')) },
      close: async () => {},
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await expect(assertPrimary(broken as any)).rejects.toMatchObject({ code: 'STO_PRIMARY' });
  });
});
