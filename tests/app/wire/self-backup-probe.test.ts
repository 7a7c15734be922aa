import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AUDIT_KEY_NAME,
  auditKeyPath,
  backupSchema,
  loadOrCreateAuditKey,
  makeBackup,
  openStore,
} from '../../../core/index.js';
import { createProbe, resolveProbes } from '../../../probes/index.js';
import { selfBackupService } from '../../../app/wire/probes.js';
import type { WireContext } from '../../../app/wire/types.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-self-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctxFor = (backup: unknown, url = 'sqlite:vigil.db'): WireContext =>
  ({
    dataDir: dir,
    config: { __file: 'x', store: { url }, ...(backup ? { backup: backupSchema.parse(backup) } : {}) },
  }) as unknown as WireContext;

async function runOnce(ctx: WireContext) {
  const [p] = resolveProbes(selfBackupService(ctx), 'local');
  const target = {
    id: p!.targetId,
    serviceId: p!.serviceId,
    type: 'backup' as const,
    location: 'local',
    intervalMs: p!.intervalMs,
    timeoutMs: p!.timeoutMs,
  };
  return { probe: p!, result: await createProbe(p!.config).run(target, new AbortController().signal) };
}

describe("vigil's own backup probe", () => {
  it('pages while no verified version exists, passes once the nightly backup ran', async () => {
    const ctx = ctxFor(undefined);
    const first = await runOnce(ctx);
    expect(first.probe.alert).toBe(true);
    expect(first.probe.sla).toBe(false);
    expect(first.result.ok).toBe(false);
    expect(first.result.error?.message).toMatch(/no backup found at .*backups\/vigil-\*\/vigil\.db/);

    loadOrCreateAuditKey(auditKeyPath(dir));
    const store = await openStore('sqlite:vigil.db', { baseDir: dir });
    await store.close();
    await makeBackup({
      storeFile: join(dir, 'vigil.db'),
      dir: join(dir, 'backups'),
      keyFiles: { [AUDIT_KEY_NAME]: auditKeyPath(dir) },
      keep: 7,
      nowMs: Date.now(),
    });
    expect((await runOnce(ctx)).result.ok).toBe(true);
  });

  it('is not wired on PostgreSQL or with backups disabled', () => {
    expect(selfBackupService(ctxFor({ enabled: false }))).toEqual([]);
    expect(selfBackupService(ctxFor(undefined, 'postgres://db/vigil'))).toEqual([]);
  });
});
