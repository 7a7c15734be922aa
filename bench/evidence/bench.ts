// Evidence export and verify for a synthetic installation: N services with one probe each and a
// minute roll-up per service and minute over D days, 4 analysis runs a day, an audit log with a
// signed checkpoint. Reports wall time and process CPU of the export (store → signed tar bytes)
// and of the offline verification (tar bytes → result).
//   node --import tsx bench/evidence/bench.ts [--services 1000] [--days 30]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  AuditLog,
  auditKeyPath,
  keyIdOf,
  loadOrCreateAuditKey,
  openStore,
  parsePublicKeys,
  silentLogger,
} from '../../core/index.js';
import { buildBundle, readTar, verifyBundle, writeTar } from '../../evidence/index.js';

const { values } = parseArgs({
  options: { services: { type: 'string', default: '1000' }, days: { type: 'string', default: '30' } },
});
const services = Number(values.services);
const days = Number(values.days);
const FROM = Date.UTC(2026, 5, 1);
const TO = FROM + days * 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'vigil-evidence-bench-'));
const store = await openStore(`sqlite:${join(dir, 'vigil.db')}`);
const db = store.db as never as import('kysely').Kysely<Record<string, Record<string, unknown>>>;

const t0 = Date.now();
const minutes = days * 1440;
for (let m = 0; m < minutes; m += 60) {
  await db.transaction().execute(async (tx) => {
    for (let s = 0; s < services; s += 10) {
      const rows = [];
      for (let k = s; k < Math.min(services, s + 10); k++)
        for (let i = m; i < m + 60; i++) {
          const down = k % 97 === 0 && i % 1440 >= 600 && i % 1440 < 615;
          rows.push({
            target_id: `svc-${k}/http`,
            location: 'local',
            minute_at: FROM + i * 60_000,
            ok_count: down ? 0 : 2,
            fail_count: down ? 2 : 0,
            flagged_count: 0,
            lat_sum: 40,
            lat_count: 2,
            hist: '{}',
            last_at: FROM + i * 60_000 + 30_000,
            last_ok: down ? 0 : 1,
          });
        }
      await tx.insertInto('probe_rollups').values(rows).execute();
    }
  });
}
for (let d = 0; d < days; d++)
  for (let r = 0; r < 4; r++) {
    const at = FROM + d * 86_400_000 + r * 6 * 3_600_000;
    await db
      .insertInto('analysis_runs')
      .values({
        id: `run-${d}-${r}`,
        analyzer: 'zeek-tail',
        scheduled_for: at,
        started_at: at,
        finished_at: at + 60_000,
        status: 'ok',
        findings: 0,
        new_findings: 0,
      })
      .execute();
  }
const keyFile = auditKeyPath(dir);
const signerKey = loadOrCreateAuditKey(keyFile);
let now = FROM;
const log = new AuditLog({
  store,
  log: silentLogger(),
  clock: { now: () => now },
  signer: signerKey,
  checkpointIntervalMs: 0,
});
for (let i = 0; i < 10_000; i++) {
  now = FROM + i * 60_000;
  log.append({
    at: now,
    actor: { kind: 'user', name: 'alice' },
    source: '127.0.0.1',
    action: 'GET /api/v1/sla',
    object: '/api/v1/sla',
    result: '200',
  });
}
await log.flush();
await log.checkpoint();
const seeded = Date.now() - t0;

const key = createPrivateKey(readFileSync(keyFile, 'utf8'));
const pub = createPublicKey(key);
const signer = {
  key,
  keyId: keyIdOf(pub),
  publicPem: pub.export({ type: 'spki', format: 'pem' }).toString(),
};
const inputs = {
  period: { from: FROM, to: TO },
  frameworks: ['pci-dss-4.0.1', 'iso27001-2022'] as const,
  roleMatrix: [],
  targets: Array.from({ length: services }, (_, k) => ({
    id: `svc-${k}/http`,
    serviceId: `svc-${k}`,
    kind: 'http',
  })),
  instance: 'bench',
};
const measure = async <T>(fn: () => Promise<T>): Promise<[T, number, number]> => {
  const w = Date.now();
  const c = process.cpuUsage();
  const r = await fn();
  const u = process.cpuUsage(c);
  return [r, Date.now() - w, (u.user + u.system) / 1000];
};
const [tar, exportMs, exportCpu] = await measure(async () =>
  writeTar(
    (await buildBundle(store.db, { ...inputs, frameworks: [...inputs.frameworks] }, signer, null)).files,
    TO,
  ),
);
const [result, verifyMs, verifyCpu] = await measure(() =>
  verifyBundle(readTar(tar), parsePublicKeys(signer.publicPem, 'k')),
);
process.stdout.write(
  `services ${services}, days ${days}: ${services * minutes} roll-up rows (seeded in ${(seeded / 1000).toFixed(0)} s), 10000 audit entries\n` +
    `| step | wall s | CPU s |\n|---|---|---|\n` +
    `| export (store → signed tar, ${(tar.length / 1e6).toFixed(1)} MB) | ${(exportMs / 1000).toFixed(1)} | ${(exportCpu / 1000).toFixed(1)} |\n` +
    `| verify (tar → result: ${result.ok ? 'valid' : 'NOT valid'}) | ${(verifyMs / 1000).toFixed(1)} | ${(verifyCpu / 1000).toFixed(1)} |\n`,
);
await store.close();
rmSync(dir, { recursive: true, force: true });
