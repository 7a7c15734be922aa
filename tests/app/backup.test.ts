import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli, waitForLog } from '../helpers/cli.js';
import { getPgCluster } from '../helpers/pg-database.js';
import { createDatabase } from '../helpers/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-backup-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'vigil.yaml');
writeFileSync(file, `server: {listen: "127.0.0.1:0"}\nstore: {url: "sqlite:vigil.db"}\n`);
const dataA = join(dir, 'a');
const dataB = join(dir, 'b');

describe('vigil backup', () => {
  it('backs up during writes, restores into a fresh data directory, vigil starts on it and the audit log verifies', async () => {
    const a = spawnCli(['start', '--config', file, '--data', dataA]);
    const base = String((await waitForLog(a, (l) => l.msg === 'vigil started')).address);
    // Writers: every request is an audit entry, committed while the backup reads the store.
    let writing = true;
    let requests = 0;
    const writers = Array.from({ length: 3 }, async () => {
      while (writing) {
        await (await fetch(`${base}/healthz`)).text();
        requests++;
      }
    });
    while (requests < 20) await new Promise((r) => setTimeout(r, 20));
    const before = requests;
    const now = await runCli(['backup', 'now', '--config', file, '--data', dataA], { timeoutMs: 120_000 });
    const during = requests - before;
    writing = false;
    await Promise.all(writers);
    expect(now.stderr).toBe('');
    expect(now.code).toBe(0);
    expect(now.stdout).toMatch(/integrity ok, audit chain intact \(\d+ entries\)/);
    expect(during).toBeGreaterThan(0);

    const list = await runCli(['backup', 'list', '--json', '--config', file, '--data', dataA]);
    expect(list.code).toBe(0);
    const versions = list.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { path: string; bytes: number });
    expect(versions).toHaveLength(1);
    expect(versions[0]!.bytes).toBeGreaterThan(0);
    a.kill('SIGTERM');
    expect((await once(a, 'exit'))[0]).toBe(0);

    const restore = await runCli(['backup', 'restore', versions[0]!.path, '--config', file, '--data', dataB]);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    // A second restore would overwrite a store: refused without --force.
    const again = await runCli(['backup', 'restore', versions[0]!.path, '--config', file, '--data', dataB]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/a store exists at .*--force/);

    const b = spawnCli(['start', '--config', file, '--data', dataB]);
    const baseB = String((await waitForLog(b, (l) => l.msg === 'vigil started')).address);
    expect((await fetch(`${baseB}/readyz`)).status).toBe(200);
    b.kill('SIGTERM');
    expect((await once(b, 'exit'))[0]).toBe(0);

    const verify = await runCli(['audit', 'verify', '--json', '--config', file, '--data', dataB]);
    expect(verify.code).toBe(0);
    const result = JSON.parse(verify.stdout) as { ok: boolean; entries: number };
    expect(result.ok).toBe(true);
    // The restored log holds the requests made before the backup, and the new run's entries after them.
    expect(result.entries).toBeGreaterThan(before);
  }, 300_000);

  it('on a PostgreSQL store, says which backup to run instead', async () => {
    const url = await createDatabase(await getPgCluster());
    const r = await runCli(['backup', 'now', '--store', url, '--data', dataA]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/on PostgreSQL run pg_basebackup with WAL archiving or pg_dump/);
  }, 120_000);
});
