import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openStore } from '../../../core/index.js';
import { getPgCluster } from '../../helpers/pg-database.js';
import { createDatabase, dropDatabase } from '../../helpers/postgres.js';
import { describeStores } from '../../helpers/stores.js';

const MIGRATIONS = fileURLToPath(new URL('../../../core/store/migrations/', import.meta.url));

/** Migration names as the migrator records them: every `NNNN_name.ts` file, sorted. */
function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => f.replace(/\.(ts|js)$/, ''))
    .sort();
}

describe('migration files', () => {
  it('are named NNNN_domain_what.ts with unique numbers', () => {
    const all = readdirSync(MIGRATIONS).filter((f) => !f.startsWith('.'));
    expect(all.filter((f) => !/^\d{4}_[a-z0-9_]+\.ts$/.test(f))).toEqual([]);
    const numbers = all.map((f) => f.slice(0, 4));
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});

describeStores('store migrations', (getStore, ctx) => {
  it('applied every migration to the empty store on open', async () => {
    const { db } = getStore();
    const rows = await db.selectFrom('kysely_migration').select('name').orderBy('name').execute();
    expect(rows.map((r) => r.name as string)).toEqual(migrationFiles());
    const count = await sql<{ n: number }>`select count(*) as n from probe_results`.execute(db);
    expect(Number(count.rows[0]?.n)).toBe(0);
  });

  it('applies nothing on a second open of the same store', async () => {
    const again = await openStore(ctx.url(), { migrate: false });
    try {
      expect(await migrateToLatest(again.db)).toEqual([]);
    } finally {
      await again.close();
    }
    const third = await openStore(ctx.url());
    try {
      const rows = await third.db.selectFrom('kysely_migration').select('name').execute();
      expect(rows).toHaveLength(migrationFiles().length);
    } finally {
      await third.close();
    }
  });

  it('reports every migration it applies, in order, on a never-migrated store', async () => {
    const url =
      ctx.engine === 'sqlite'
        ? ctx.url().replace(/\.db$/, '-raw.db')
        : await createDatabase(await getPgCluster());
    const raw = await openStore(url, { migrate: false });
    try {
      const before = await raw.db.introspection.getTables();
      expect(before.map((t) => t.name)).toEqual([]);
      expect(await migrateToLatest(raw.db)).toEqual(migrationFiles());
      const after = await raw.db.introspection.getTables();
      expect(after.map((t) => t.name)).toContain('probe_results');
    } finally {
      await raw.close();
      if (ctx.engine === 'postgres') await dropDatabase(await getPgCluster(), url);
    }
  });
});
