import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createLogger, maskUrl, openStore, VigilError } from '../../../core/index.js';
import { getPgCluster, usePostgresDatabase } from '../../helpers/pg-database.js';
import { freePort } from '../../helpers/postgres.js';
import { describeStores } from '../../helpers/stores.js';

const tmp = mkdtempSync(join(tmpdir(), 'vigil-open-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `open` and returns the VigilError it throws (fails the test when it does not throw one). */
async function openError(open: () => Promise<unknown>): Promise<VigilError> {
  const err = await open().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VigilError);
  return err as VigilError;
}

describe('openStore errors', () => {
  it.each([
    ['mysql://root:hunter2@db.example/vigil', 'hunter2'],
    ['postgress://vigil:hunter2@db.example/vigil', 'hunter2'],
    ['sqlite', ''],
    ['', ''],
    ['data/vigil.db', ''],
  ])('rejects the URL %j with STO_URL and no password in the message', async (url, password) => {
    const err = await openError(() => openStore(url));
    expect(err.code).toBe('STO_URL');
    expect(err.message).toMatch(/must start with sqlite: or postgres:\/\//);
    if (password) expect(err.message).not.toContain(password);
  });

  it('gives STO_OPEN without the password when nothing listens on the PostgreSQL port', async () => {
    const port = await freePort();
    const err = await openError(() => openStore(`postgres://vigil:Sup3rS3cret@127.0.0.1:${port}/vigil`));
    expect(err.code).toBe('STO_OPEN');
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(err.message).not.toContain('Sup3rS3cret');
  });

  it('gives STO_OPEN without the password when PostgreSQL rejects the password', async () => {
    const pg = await getPgCluster();
    const err = await openError(() =>
      openStore(`postgresql://${pg.user}:Wr0ngPassw0rd@${pg.host}:${pg.port}/postgres`),
    );
    expect(err.code).toBe('STO_OPEN');
    expect(err.message).toMatch(/password authentication failed/);
    expect(err.message).not.toContain('Wr0ngPassw0rd');
  });

  it('gives STO_OPEN naming the file when the SQLite path cannot be a database', async () => {
    const notDir = join(tmp, 'a-file');
    writeFileSync(notDir, 'x');
    const err = await openError(() => openStore(`sqlite:${join(notDir, 'vigil.db')}`));
    expect(err.code).toBe('STO_OPEN');
    expect(err.message).toContain(notDir);
  });

  it('gives STO_OPEN (not a crash) when the SQLite file is not a database', async () => {
    const junk = join(tmp, 'junk.db');
    writeFileSync(
      junk,
      'this is not an SQLite database, just text long enough to fill a header page'.repeat(20),
    );
    const err = await openError(() => openStore(`sqlite:${junk}`));
    expect(err.code).toBe('STO_OPEN');
    expect(err.message).toContain(junk);
  });
});

describe('openStore sqlite paths', () => {
  it('resolves a relative sqlite: path against baseDir', async () => {
    const base = mkdtempSync(join(tmpdir(), 'vigil-base-'));
    try {
      const store = await openStore('sqlite:sub/dir/v.db', { baseDir: base });
      expect(store.displayUrl).toBe(`sqlite:${join(base, 'sub/dir/v.db')}`);
      await store.close();
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('opens sqlite::memory: migrated', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      const tables = await store.db.introspection.getTables();
      expect(tables.map((t) => t.name)).toContain('probe_results');
    } finally {
      await store.close();
    }
  });
});

describe('PostgreSQL connection loss', () => {
  const dbUrl = usePostgresDatabase();

  it('survives the server ending its idle connections: logs a warning and reconnects', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const store = await openStore(dbUrl(), { log });
    try {
      await sql`select 1`.execute(store.db);
      const admin = new pg.Client({ connectionString: (await getPgCluster()).adminUrl });
      await admin.connect();
      try {
        const ended = await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1',
          [new URL(dbUrl()).pathname.slice(1)],
        );
        expect(ended.rowCount).toBeGreaterThan(0);
      } finally {
        await admin.end();
      }
      // Without an 'error' listener on the pool this is an uncaught exception, which fails the run.
      await vi.waitFor(() => expect(lines.join('')).toContain('idle PostgreSQL connection lost'), {
        timeout: 20_000,
        interval: 50,
      });
      const one = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      expect(one.rows[0]?.one).toBe(1);
      expect(lines.join('')).not.toContain(new URL(dbUrl()).password);
    } finally {
      await store.close();
    }
  });
});

describe('maskUrl', () => {
  it.each([
    ['postgres://vigil:s3cret@db:5432/vigil', 'postgres://vigil:<secret>@db:5432/vigil'],
    ['postgresql://vigil:s3cret@db/vigil', 'postgresql://vigil:<secret>@db/vigil'],
    ['postgres://:s3cret@db/vigil', 'postgres://:<secret>@db/vigil'],
    ['postgres://vigil:p%40ss%2Fw0rd@db/vigil', 'postgres://vigil:<secret>@db/vigil'],
    ['postgres://vigil@db/vigil', 'postgres://vigil@db/vigil'],
    ['postgres://db/vigil?user=vigil&password=s3cret', 'postgres://db/vigil?user=vigil&password=<secret>'],
    ['postgres://vigil:p@ss@db/vigil', 'postgres://vigil:<secret>@db/vigil'],
    ['mysql://root:s3cret@db/x', 'mysql://root:<secret>@db/x'],
    ['sqlite:data/vigil.db', 'sqlite:data/vigil.db'],
  ])('%s → %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });
});

describeStores('openStore', (getStore, ctx) => {
  it('reports the engine and a display URL without the password', async () => {
    const store = getStore();
    expect(store.engine).toBe(ctx.engine);
    if (ctx.engine === 'postgres') {
      const password = new URL(ctx.url()).password;
      expect(password).not.toBe('');
      expect(store.displayUrl).not.toContain(password);
      expect(store.displayUrl).toContain('<secret>');
    } else {
      expect(store.displayUrl).toBe(ctx.url());
    }
  });

  it('runs SQLite in WAL mode with foreign keys on (PostgreSQL: a working connection)', async () => {
    const { db } = getStore();
    if (ctx.engine === 'sqlite') {
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
      expect(fk.rows[0]?.foreign_keys).toBe(1);
    } else {
      const one = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(one.rows[0]?.one).toBe(1);
    }
  });
});
