// Part 2 of the audit benchmark: append N entries to a fresh SQLite store through AuditLog
// (group commit, batches of `batch`), sign a checkpoint, then time `verifyAuditChain` over the
// whole store, as `vigil audit verify` does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditLog,
  auditKeyPath,
  loadOrCreateAuditKey,
  openStore,
  parsePublicKeys,
  silentLogger,
  storeSegment,
  systemClock,
  verifyAuditChain,
  type AuditDb,
} from '../../core/index.js';

export async function verifyBench(n: number, batch = 10_000) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-audit-verify-'));
  const store = await openStore(`sqlite:${join(dir, 'vigil.db')}`);
  try {
    const signer = loadOrCreateAuditKey(auditKeyPath(dir));
    const log = new AuditLog({ store, log: silentLogger(), clock: systemClock, signer, maxBatch: batch });
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      log.append({
        at: 1_760_000_000_000 + i,
        actor: { kind: 'user', name: `user${i % 50}`, id: `u${i % 50}` },
        source: `192.0.2.${i % 250}`,
        action: i % 2 ? 'GET /api/v2/alerts' : 'POST /api/v2/alerts',
        object: `/api/v2/alerts?filter=service%3D%22svc-${i % 1000}%22`,
        result: '200',
      });
      if (i % batch === batch - 1) await log.flush();
    }
    await log.stop();
    const appendSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const seg = await storeSegment(store.db as AuditDb);
    const r = await verifyAuditChain(seg.entries, seg.checkpoints, {
      keys: parsePublicKeys(signer.publicPem, 'bench'),
      firstSeq: seg.firstSeq,
    });
    const verifySeconds = (performance.now() - t1) / 1000;
    return { entries: n, batch, appendSeconds, verifySeconds, ok: r.ok };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
