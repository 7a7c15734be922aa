import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli, waitForLog } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-audit-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const count = (db: string): number => {
  const ro = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (ro.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
  } finally {
    ro.close();
  }
};

describe('vigil start killed with SIGKILL while requests are audited', () => {
  it('loses at most the entries not yet committed and leaves a chain that verifies and grows on', async () => {
    const file = join(dir, 'vigil.yaml');
    writeFileSync(file, 'server: {listen: "127.0.0.1:0"}\nstore: {url: "sqlite:vigil.db"}\n');
    const data = join(dir, 'data');
    const db = join(data, 'vigil.db');
    for (let round = 0; round < 2; round++) {
      const child = spawnCli(['start', '--config', file, '--data', data]);
      const started = await waitForLog(child, (l) => l.msg === 'vigil started');
      const base = String(started.address);
      // Requests in flight from several clients while the process dies.
      let stop = false;
      const clients = Array.from({ length: 6 }, async () => {
        while (!stop)
          await fetch(`${base}/healthz`).then(
            (r) => r.text(),
            () => (stop = true),
          );
      });
      const before = count(db);
      for (let i = 0; i < 200 && count(db) < before + 100; i++) await new Promise((r) => setTimeout(r, 50));
      expect(count(db)).toBeGreaterThanOrEqual(before + 100);
      child.kill('SIGKILL');
      await once(child, 'exit');
      stop = true;
      await Promise.all(clients);
    }
    const r = await runCli(['audit', 'verify', '--config', file, '--data', data, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, firstSeq: 1 });
    expect((JSON.parse(r.stdout) as { entries: number }).entries).toBeGreaterThanOrEqual(200);
  }, 180_000);
});
