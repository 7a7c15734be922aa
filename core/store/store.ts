import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { VigilError, errorMessage } from '../errors.js';
import { migrateToLatest } from './migrate.js';
import type { Logger } from '../log.js';

export type StoreEngine = 'sqlite' | 'postgres';

/**
 * The one store of a process: a Kysely instance over SQLite (embedded default) or PostgreSQL.
 * Domains declare their own table typings and use `store.db as Kysely<TheirTables>`.
 * Conventions every table follows so one migration works on both engines: times are epoch
 * milliseconds in `bigint` columns, booleans are `integer` 0/1, JSON is `text`.
 */
export interface Store {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  readonly engine: StoreEngine;
  /** The URL with any password masked, safe to log. */
  readonly displayUrl: string;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Directory a relative `sqlite:` path is resolved against. */
  baseDir?: string;
  /** Run the migrations (default true). */
  migrate?: boolean;
  log?: Logger;
}

/**
 * Masks the password of any `scheme://user:password@host` URL (also a mistyped scheme, so a
 * rejected URL can be quoted safely) and a `password=` query parameter, which pg also accepts.
 * The password runs to the LAST `@`: an unencoded `@` in it must not leave its tail visible.
 */
export function maskUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)\S*@/i, '$1<secret>@')
    .replace(/([?&]password=)[^&#]*/gi, '$1<secret>');
}

/**
 * Opens the store named by `url` (`sqlite:PATH`, `sqlite::memory:` or `postgres://…`) and brings
 * its schema to the latest version. Throws STO_OPEN when the store cannot be reached.
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  let store: Store;
  if (url.startsWith('sqlite:')) store = openSqlite(url.slice('sqlite:'.length), opts);
  else if (/^postgres(ql)?:\/\//.test(url)) store = await openPostgres(url, opts);
  else throw new VigilError('STO_URL', `store.url "${maskUrl(url)}" must start with sqlite: or postgres://`);
  if (opts.migrate !== false) {
    try {
      await migrateToLatest(store.db, opts.log);
    } catch (err) {
      await store.close();
      throw err;
    }
  }
  return store;
}

function openSqlite(path: string, opts: OpenStoreOptions): Store {
  const file = path === ':memory:' ? ':memory:' : resolve(opts.baseDir ?? process.cwd(), path);
  let sqlite: Database.Database;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    sqlite = new Database(file);
    // WAL keeps readers off the writer's back and makes a kill -9 safe: committed transactions
    // survive, an interrupted one is rolled back on the next open.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
  } catch (err) {
    throw new VigilError('STO_OPEN', `cannot open SQLite store ${file}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  const db = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, engine: 'sqlite', displayUrl: `sqlite:${file}`, close: () => db.destroy() };
}

async function openPostgres(url: string, opts: OpenStoreOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // int8 (bigint, our epoch-ms columns and counts) as a JS number: safe below 2^53.
    types: {
      getTypeParser: (oid: number, format?: unknown) =>
        oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
    } as pg.CustomTypesConfig,
  });
  // An idle client's connection dying (server restart, admin kill) is emitted on the pool; with no
  // listener Node turns it into an uncaught exception that ends the process. The pool drops that
  // client and the next query reconnects, so a warning is enough.
  pool.on('error', (err) => {
    opts.log?.warn({ err, store: maskUrl(url) }, 'idle PostgreSQL connection lost');
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end();
    throw new VigilError(
      'STO_OPEN',
      `cannot connect to PostgreSQL at ${maskUrl(url)}: ${errorMessage(err)}`,
      {
        cause: err,
      },
    );
  }
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', displayUrl: maskUrl(url), close: () => db.destroy() };
}
