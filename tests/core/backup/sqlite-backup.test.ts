import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AUDIT_KEY_NAME,
  AuditLog,
  auditKeyPath,
  listBackups,
  loadOrCreateAuditKey,
  makeBackup,
  openStore,
  restoreBackup,
  silentLogger,
  systemClock,
  verifyBackupFolder,
} from '../../../core/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const data = join(dir, 'data');
const storeFile = join(data, 'vigil.db');
const keyFiles = { [AUDIT_KEY_NAME]: auditKeyPath(data) };

async function buildStore(entries: number): Promise<void> {
  const signer = loadOrCreateAuditKey(auditKeyPath(data));
  const store = await openStore(`sqlite:${storeFile}`);
  const log = new AuditLog({ store, log: silentLogger(), clock: systemClock, signer });
  for (let i = 1; i <= entries; i++) {
    log.append({
      at: 1_700_000_000_000 + i,
      actor: { kind: 'os_user', name: 'root' },
      source: 'test',
      action: 'cli: test',
      object: `/o/${i}`,
      result: 'ok',
    });
    if (i % 10 === 0) await log.checkpoint();
  }
  await log.flush();
  await store.close();
}

describe('SQLite backup', () => {
  it('takes a verified version with the keys, restores it into a fresh directory, refuses to overwrite', async () => {
    await buildStore(25);
    const backups = join(dir, 'backups');
    const r = await makeBackup({ storeFile, dir: backups, keyFiles, keep: 7, nowMs: Date.now() });
    expect(r.auditEntries).toBe(25);
    expect(statSync(backups).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(r.version.dir, 'keys', AUDIT_KEY_NAME), 'utf8')).toBe(
      readFileSync(auditKeyPath(data), 'utf8'),
    );
    const fresh = join(dir, 'fresh');
    const target = join(fresh, 'vigil.db');
    const restored = await restoreBackup({
      from: r.version.file,
      storeFile: target,
      keyTargets: { [AUDIT_KEY_NAME]: auditKeyPath(fresh) },
      force: false,
    });
    expect(restored.auditEntries).toBe(25);
    expect(existsSync(auditKeyPath(fresh))).toBe(true);
    const db = new Database(target, { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n).toBe(25);
    db.close();
    await expect(
      restoreBackup({ from: r.version.dir, storeFile: target, keyTargets: {}, force: false }),
    ).rejects.toMatchObject({ code: 'STO_BACKUP_EXISTS' });
    await expect(
      restoreBackup({ from: r.version.dir, storeFile: target, keyTargets: {}, force: true }),
    ).resolves.toMatchObject({ auditEntries: 25 });
  });

  it('finds a tampered audit log and a corrupt file, and does not restore them', async () => {
    const backups = join(dir, 'backups-2');
    const r = await makeBackup({ storeFile, dir: backups, keyFiles, keep: 7, nowMs: Date.now() });
    expect(await verifyBackupFolder(r.version.dir)).toMatchObject({ ok: true });
    const db = new Database(r.version.file);
    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
      name: string;
    }[])
      db.exec(`DROP TRIGGER "${t.name}"`);
    db.exec("UPDATE audit_log SET object = '/forged' WHERE seq = 7");
    db.close();
    const check = await verifyBackupFolder(r.version.dir);
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.problem).toMatch(/audit log broken at entry 7/);
    await expect(
      restoreBackup({
        from: r.version.dir,
        storeFile: join(dir, 'x', 'vigil.db'),
        keyTargets: {},
        force: false,
      }),
    ).rejects.toMatchObject({ code: 'STO_BACKUP_VERIFY' });
    writeFileSync(r.version.file, 'not a database');
    const corrupt = await verifyBackupFolder(r.version.dir);
    expect(corrupt.ok).toBe(false);
  });

  it('a checkpoint signed by a key the version does not carry fails the verification', async () => {
    const backups = join(dir, 'backups-3');
    await expect(
      makeBackup({ storeFile, dir: backups, keyFiles: {}, keep: 7, nowMs: Date.now() }),
    ).rejects.toMatchObject({ code: 'STO_BACKUP_VERIFY' });
    // nothing half-made is left behind as a version
    expect(listBackups(backups)).toEqual([]);
  });
});
