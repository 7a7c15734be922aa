import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where Debian's `postgresql` package puts the server binaries. */
export const PG_BIN = process.env['VIGIL_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

/** How a test reaches the private cluster; plain data so vitest can `provide` it to workers. */
export interface PgClusterInfo {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Superuser URL to the `postgres` maintenance database. */
  adminUrl: string;
}

/** A running private cluster; `stop()` shuts it down and deletes its directory. */
export interface PgCluster extends PgClusterInfo {
  dir: string;
  stop(): Promise<void>;
}

const isRoot = process.getuid?.() === 0;

/**
 * Where clusters live. As root the server runs as `postgres`, which must reach the directory, so
 * not a root-only $TMPDIR: /tmp (world-searchable, sticky) unless VIGIL_PG_TMPDIR says otherwise.
 */
const BASE_DIR = process.env['VIGIL_PG_TMPDIR'] ?? (isRoot ? '/tmp' : tmpdir());

/** initdb and pg_ctl refuse to run as root (DESIGN.md §8), so root runs them as `postgres`. */
function dbUserCommand(bin: string, args: string[]): [string, string[]] {
  const exe = join(PG_BIN, bin);
  return isRoot ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
}

function run(bin: string, args: string[]): void {
  const [cmd, argv] = dbUserCommand(bin, args);
  const res = spawnSync(cmd, argv, { encoding: 'utf8', cwd: BASE_DIR });
  if (res.error || res.status !== 0) {
    const detail = res.error ? res.error.message : `${res.stderr}${res.stdout}`.trim();
    throw new Error(`${bin} ${args.join(' ')} failed (exit ${res.status}): ${detail}`);
  }
}

/** A TCP port free right now on 127.0.0.1 (bind port 0, read it, release it). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** Throws a message naming the Debian package when the PostgreSQL binaries are not installed. */
export function assertPostgresInstalled(): void {
  for (const bin of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(PG_BIN, bin))) {
      throw new Error(
        `PostgreSQL 15 is not installed (${join(PG_BIN, bin)} is missing): ` +
          'run `apt-get install postgresql` (or `npm test`, which installs the test dependencies)',
      );
    }
  }
}

/**
 * Starts a private PostgreSQL 15 cluster for the test run: a temp directory owned by the server
 * user, a free port on 127.0.0.1, the socket inside the temp directory, fsync off. Password auth
 * over TCP (scram), so tests exercise a URL with a password. A detached watchdog stops the cluster
 * if this process dies without calling `stop()`, so a killed test run leaks no server.
 */
export async function startPostgresCluster(): Promise<PgCluster> {
  assertPostgresInstalled();
  const dir = await mkdtemp(join(BASE_DIR, 'vigil-pg-'));
  const data = join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  await writeFile(join(dir, 'pwfile'), `${password}\n`, { mode: 0o600 });
  if (isRoot) {
    const { uid, gid } = postgresIds();
    await chown(dir, uid, gid);
    await chown(join(dir, 'pwfile'), uid, gid);
  }
  const stopSync = (): void => {
    if (existsSync(join(data, 'postmaster.pid'))) {
      const [cmd, argv] = dbUserCommand('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      spawnSync(cmd, argv, { stdio: 'ignore', cwd: BASE_DIR });
    }
  };
  try {
    run('initdb', [
      '-D', data, '-U', 'postgres', '--pwfile', join(dir, 'pwfile'), '--auth-local=trust',
      '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions',
    ]); // prettier-ignore
    let lastError: unknown;
    // The free port can be taken between probing and binding by another process: retry.
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort();
      await appendFile(
        join(data, 'postgresql.conf'),
        [
          `port = ${port}`,
          "listen_addresses = '127.0.0.1'",
          `unix_socket_directories = '${dir}'`,
          'fsync = off',
          'synchronous_commit = off',
          'full_page_writes = off',
          'max_connections = 300',
          'shared_buffers = 32MB',
          '',
        ].join('\n'),
      );
      try {
        run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
      } catch (err) {
        lastError = err;
        continue;
      }
      startWatchdog(dir, data);
      const info: PgClusterInfo = {
        host: '127.0.0.1',
        port,
        user: 'postgres',
        password,
        adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
      };
      return {
        ...info,
        dir,
        stop: async () => {
          stopSync();
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    throw lastError;
  } catch (err) {
    stopSync();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

function postgresIds(): { uid: number; gid: number } {
  const res = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const resG = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  const uid = Number(res.stdout.trim());
  const gid = Number(resG.stdout.trim());
  if (res.status !== 0 || !Number.isInteger(uid) || !Number.isInteger(gid)) {
    throw new Error('running as root but there is no `postgres` user: run `apt-get install postgresql`');
  }
  return { uid, gid };
}

/** Polls this process; when it is gone, stops the cluster and removes its directory. */
function startWatchdog(dir: string, data: string): void {
  const [cmd, argv] = dbUserCommand('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  const stop = [cmd, ...argv].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const script =
    `while kill -0 ${process.pid} 2>/dev/null && [ -d '${dir}' ]; do sleep 2; done; ` +
    `if [ -f '${data}/postmaster.pid' ]; then ${stop} >/dev/null 2>&1; fi; rm -rf '${dir}'`;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore', cwd: BASE_DIR });
  child.unref();
}

let counter = 0;

/** Creates an empty database with a unique name on the cluster; returns its URL. */
export async function createDatabase(info: PgClusterInfo, prefix = 'vigil_test'): Promise<string> {
  const name = `${prefix}_${process.pid}_${++counter}_${randomBytes(3).toString('hex')}`.toLowerCase();
  const client = new pg.Client({ connectionString: info.adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return `postgres://${info.user}:${info.password}@${info.host}:${info.port}/${name}`;
}

/** Drops a database made by `createDatabase`, closing any connection a test left open. */
export async function dropDatabase(info: PgClusterInfo, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: info.adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
