import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { openStore, type Store, type StoreEngine } from '../../core/index.js';
import { getPgCluster, releaseOwnCluster } from './pg-database.js';
import { createDatabase, dropDatabase, type PgClusterInfo } from './postgres.js';

/** What a suite gets besides the store: the engine and the URL, to reopen or hand to a child process. */
export interface StoreTestContext {
  engine: StoreEngine;
  /** The URL the current store was opened from (a fresh one per test unless `fresh: 'suite'`). */
  url(): string;
}

export interface DescribeStoresOptions {
  /** `test` (default): an empty store per test. `suite`: one store shared by the block's tests. */
  fresh?: 'test' | 'suite';
}

export const STORE_ENGINES: readonly StoreEngine[] = ['sqlite', 'postgres'];

/**
 * Runs the same suite on SQLite (a temp file, WAL) and on PostgreSQL (a fresh database on the
 * run's private cluster), each opened with `openStore(url)`, which applies the migrations, and
 * closed afterwards. Describe blocks are named `name [sqlite]` and `name [postgres]`.
 */
export function describeStores(
  name: string,
  fn: (getStore: () => Store, ctx: StoreTestContext) => void,
  opts: DescribeStoresOptions = {},
): void {
  for (const engine of STORE_ENGINES) {
    describe(`${name} [${engine}]`, () => {
      const perTest = (opts.fresh ?? 'test') === 'test';
      let store: Store | undefined;
      let url: string | undefined;
      let pgInfo: PgClusterInfo | undefined;
      let tmp: string | undefined;
      let n = 0;

      const open = async (): Promise<void> => {
        if (engine === 'postgres') {
          pgInfo ??= await getPgCluster();
          url = await createDatabase(pgInfo);
        } else {
          tmp ??= mkdtempSync(join(tmpdir(), 'vigil-sqlite-'));
          url = `sqlite:${join(tmp, `store-${++n}.db`)}`;
        }
        store = await openStore(url);
      };
      const close = async (): Promise<void> => {
        const [s, u] = [store, url];
        store = undefined;
        if (s) await s.close();
        if (engine === 'postgres' && pgInfo && u) await dropDatabase(pgInfo, u);
      };

      if (perTest) {
        beforeEach(open);
        afterEach(close);
      } else {
        beforeAll(open);
        afterAll(close);
      }
      afterAll(async () => {
        if (tmp) rmSync(tmp, { recursive: true, force: true });
        if (engine === 'postgres') await releaseOwnCluster();
      });

      fn(
        () => {
          if (!store)
            throw new Error(`describeStores(${name}): the store exists only inside tests and hooks`);
          return store;
        },
        {
          engine,
          url: () => {
            if (!url) throw new Error(`describeStores(${name}): the URL exists only inside tests and hooks`);
            return url;
          },
        },
      );
    });
  }
}
