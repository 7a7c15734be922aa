import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../../../core/index.js';
import { ClamdClient, ManagedClamd, SignatureDb, buildEngines } from '../../../analyzers/scanners/index.js';
import { EICAR, requireBinary, writeTestDatabase } from './clamd-fixture.js';
import { tempDir, testConfig } from './run-fixture.js';

describe('ManagedClamd (clamav.manage: true)', () => {
  let dir: string;
  beforeEach(() => {
    requireBinary('clamd', 'clamav-daemon');
    dir = tempDir('managed-clamd');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const managed = (onUnexpectedExit?: () => void) =>
    new ManagedClamd({
      dir: join(dir, 'clamav'),
      databaseDir: join(dir, 'clamav', 'db'),
      maxFileSize: 50 * 1024 * 1024,
      log: silentLogger(),
      ...(onUnexpectedExit ? { onUnexpectedExit } : {}),
    });

  it('starts with no signature anywhere on the built-in EICAR test signature only, and says so', async () => {
    const m = managed();
    await m.start();
    try {
      expect(m.database).toMatchObject({ official: [], own: [], builtinOnly: true });
      writeFileSync(join(dir, 'eicar.com'), EICAR);
      const [reply] = await new ClamdClient({ socket: m.socket, timeoutMs: 10_000 }).scanPath(
        join(dir, 'eicar.com'),
      );
      expect(reply).toMatchObject({ status: 'found', signature: 'Vigil.Builtin.EICAR.UNOFFICIAL' });
    } finally {
      await m.stop();
    }
  });

  it("loads freshclam's database directory together with vigil's own signatures", async () => {
    // A stand-in for /var/lib/clamav: any database file there is loaded as freshclam's would be.
    const system = join(dir, 'system-db');
    mkdirSync(system);
    const marker = 'vigil system database marker';
    writeFileSync(join(system, 'daily.ndb'), `Sys.Test.Marker:0:*:${Buffer.from(marker).toString('hex')}\n`);
    writeFileSync(join(system, 'stale.ndb'), ''); // empty files are left out (clamd refuses them)
    writeTestDatabase(join(dir, 'clamav', 'db'));
    const m = new ManagedClamd({
      dir: join(dir, 'clamav'),
      databaseDir: join(dir, 'clamav', 'db'),
      systemDatabaseDir: system,
      maxFileSize: 50 * 1024 * 1024,
      log: silentLogger(),
    });
    await m.start();
    try {
      expect(m.database).toMatchObject({
        official: ['daily.ndb'],
        own: ['test.hdb', 'test.ndb'],
        builtinOnly: false,
      });
      writeFileSync(join(dir, 'marker.txt'), marker);
      writeFileSync(join(dir, 'eicar.com'), EICAR);
      const client = new ClamdClient({ socket: m.socket, timeoutMs: 10_000 });
      expect((await client.scanPath(join(dir, 'marker.txt')))[0]).toMatchObject({
        signature: 'Sys.Test.Marker.UNOFFICIAL',
      });
      expect((await client.scanPath(join(dir, 'eicar.com')))[0]).toMatchObject({
        signature: 'Vigil.Test.EICAR.UNOFFICIAL',
      });
    } finally {
      await m.stop();
    }
  });

  it('writes its clamd.conf (socket in the data dir, Foreground, limits) and answers PING', async () => {
    writeTestDatabase(join(dir, 'clamav', 'db'));
    const m = managed();
    await m.start();
    try {
      const conf = readFileSync(join(dir, 'clamav', 'clamd.conf'), 'utf8');
      for (const line of [
        `LocalSocket ${join(dir, 'clamav', 'clamd.sock')}`,
        `DatabaseDirectory ${join(dir, 'clamav', 'db-active')}`,
        'Foreground yes',
        'MaxFileSize 52428800',
        'AlertExceedsMax yes',
        'ConcurrentDatabaseReload no',
      ]) {
        expect(conf.split('\n')).toContain(line);
      }
      expect(await new ClamdClient({ socket: m.socket, timeoutMs: 5000 }).ping()).toBe(true);
    } finally {
      await m.stop();
    }
  });

  it('restarts clamd when it dies, and reports the exit', async () => {
    writeTestDatabase(join(dir, 'clamav', 'db'));
    let exits = 0;
    const m = managed(() => exits++);
    await m.start();
    try {
      const first = m.pid!;
      process.kill(first, 'SIGKILL');
      const client = new ClamdClient({ socket: m.socket, timeoutMs: 2000 });
      // Bounded wait for the supervisor (1 s back-off, then the database load).
      for (
        let i = 0;
        i < 300 && !(m.pid !== undefined && m.pid !== first && (await client.ping().catch(() => false)));
        i++
      )
        await sleep(100);
      expect(exits).toBe(1);
      expect(m.pid).not.toBe(first);
      expect(await client.ping()).toBe(true);
    } finally {
      await m.stop();
    }
  });

  it('shuts down a clamd an earlier vigil left running on the socket, then starts its own', async () => {
    writeTestDatabase(join(dir, 'clamav', 'db'));
    const leftover = managed();
    await leftover.start();
    const oldPid = leftover.pid!;
    const m = managed();
    await m.start();
    try {
      expect(m.pid).not.toBe(oldPid);
      expect(await new ClamdClient({ socket: m.socket, timeoutMs: 5000 }).ping()).toBe(true);
      await sleep(100);
      expect(() => process.kill(oldPid, 0)).toThrow();
    } finally {
      await m.stop();
      await leftover.stop();
    }
  });

  it('a hash signature added after start is used after RELOAD', async () => {
    writeTestDatabase(join(dir, 'clamav', 'db'));
    const m = managed();
    await m.start();
    try {
      const f = join(dir, 'late.bin');
      writeFileSync(f, 'listed after start\n');
      const client = new ClamdClient({ socket: m.socket, timeoutMs: 30_000 });
      expect((await client.scanPath(f))[0]?.status).toBe('ok');
      await new SignatureDb(join(dir, 'clamav', 'db')).addHash(f, 'Vigil.Late');
      // vigil.hdb is a new file: it is linked into the directory clamd loads before the RELOAD,
      // as the scanner service does (ScannerService.reloadIfChanged).
      await m.refreshDatabase();
      expect(await client.reload()).toBe('RELOADING');
      expect(await client.scanPath(f)).toEqual([
        { path: f, status: 'found', signature: 'Vigil.Late.UNOFFICIAL' },
      ]);
    } finally {
      await m.stop();
    }
  });
});

describe('buildEngines', () => {
  it('stops the clamd it started when a later engine fails, so a failed `vigil start` exits', async () => {
    requireBinary('clamd', 'clamav-daemon');
    const dir = tempDir('engines-fail');
    try {
      writeTestDatabase(join(dir, 'clamav', 'db'));
      const cfg = testConfig({ paths: [dir], yara: { rules: [join(dir, 'no-such-rules')] } });
      await expect(buildEngines(cfg, { dataDir: dir, log: silentLogger() })).rejects.toThrow(
        /does not exist/,
      );
      // The socket no longer answers: clamd was shut down, not left running.
      await expect(
        new ClamdClient({ socket: join(dir, 'clamav', 'clamd.sock'), timeoutMs: 2000 }).ping(),
      ).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
