import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
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
  type AuditInput,
  type Store,
} from '../../../core/index.js';
import { describeStores } from '../../helpers/stores.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const signer = loadOrCreateAuditKey(auditKeyPath(dir));
const keys = parsePublicKeys(signer.publicPem, 'test');

const input = (i: number, who = 'alice'): AuditInput => ({
  at: 1_700_000_000_000 + i,
  actor: { kind: 'user', name: who, id: `u-${who}` },
  source: '127.0.0.1',
  action: 'GET /api/v2/alerts',
  object: `/api/v2/alerts?n=${i}`,
  result: '200',
});

async function verifyStore(store: Store) {
  const seg = await storeSegment(store.db as AuditDb);
  return verifyAuditChain(seg.entries, seg.checkpoints, { keys, firstSeq: seg.firstSeq });
}

describe('audit key', () => {
  it('is created once, mode 0600, and loads to the same key id', () => {
    const again = loadOrCreateAuditKey(auditKeyPath(dir));
    expect(again.keyId).toBe(signer.keyId);
    expect(statSync(auditKeyPath(dir)).mode & 0o777).toBe(0o600);
    expect(parsePublicKeys(again.publicPem, 'x')[0]!.keyId).toBe(signer.keyId);
  });
});

describeStores('audit log', (getStore, ctx) => {
  const log = silentLogger();

  it('chains entries from many writers into one gap-free chain that verifies', async () => {
    // Two writers on one store (two connections, as vigil start and the CLI, or two instances).
    const other = await openStore(ctx.url());
    try {
      const a = new AuditLog({ store: getStore(), log, clock: systemClock, signer, maxBatch: 7 });
      const b = new AuditLog({ store: other, log, clock: systemClock, maxBatch: 5 });
      for (let i = 0; i < 60; i++) (i % 2 ? a : b).append(input(i, i % 2 ? 'alice' : 'bob'));
      await Promise.all([a.flush(), b.flush()]);
      await a.checkpoint();
      const r = await verifyStore(getStore());
      expect(r).toMatchObject({
        ok: true,
        entries: 60,
        checkpoints: 1,
        firstSeq: 1,
        lastSeq: 60,
        unsignedTail: 0,
      });
      const rows = await (getStore().db as AuditDb).selectFrom('audit_log').select('actor_name').execute();
      expect(rows.filter((x) => x.actor_name === 'bob')).toHaveLength(30);
    } finally {
      await other.close();
    }
  });

  it('group-commits a burst into few transactions and keeps order within a writer', async () => {
    const a = new AuditLog({ store: getStore(), log, clock: systemClock });
    for (let i = 0; i < 500; i++) a.append(input(i));
    await a.flush();
    const rows = await (getStore().db as AuditDb)
      .selectFrom('audit_log')
      .select(['seq', 'object'])
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.object)).toEqual(Array.from({ length: 500 }, (_, i) => `/api/v2/alerts?n=${i}`));
  });

  it('signs a checkpoint also when nothing happened, and stop commits what is queued', async () => {
    const a = new AuditLog({ store: getStore(), log, clock: systemClock, signer });
    const empty = await a.checkpoint();
    expect(empty.seq).toBe(0);
    a.append(input(1));
    a.append(input(2));
    await a.stop();
    const r = await verifyStore(getStore());
    expect(r).toMatchObject({ ok: true, entries: 2, checkpoints: 2 });
  });

  it('refuses UPDATE and DELETE on the audit tables (append-only trigger)', async () => {
    const a = new AuditLog({ store: getStore(), log, clock: systemClock, signer });
    a.append(input(1));
    await a.checkpoint();
    const db = getStore().db;
    await expect(sql`UPDATE audit_log SET result = '500'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_checkpoints`.execute(db)).rejects.toThrow(/append-only/);
    if (ctx.engine === 'postgres')
      await expect(sql`TRUNCATE audit_log`.execute(db)).rejects.toThrow(/append-only/);
    expect((await verifyStore(getStore())).ok).toBe(true);
  });

  it('a checkpoint signed with a key that is not trusted, or forged, fails verification', async () => {
    const a = new AuditLog({ store: getStore(), log, clock: systemClock, signer });
    a.append(input(1));
    a.append(input(2));
    await a.checkpoint();
    const otherDir = mkdtempSync(join(dir, 'k-'));
    const stranger = loadOrCreateAuditKey(auditKeyPath(otherDir));
    const seg = await storeSegment(getStore().db as AuditDb);
    const foreign = await verifyAuditChain(seg.entries, seg.checkpoints, {
      keys: parsePublicKeys(stranger.publicPem, 'x'),
    });
    expect(foreign).toMatchObject({ ok: false, seq: 2 });
    expect(!foreign.ok && foreign.problem).toMatch(/not trusted/);
    // A forged checkpoint: right key id, signature over other content.
    const cp = seg.checkpoints[0]!;
    const forged = { ...cp, signature: signer.sign({ seq: 1, hash: cp.hash, at: cp.at }).signature };
    const seg2 = await storeSegment(getStore().db as AuditDb);
    const r = await verifyAuditChain(seg2.entries, [forged], { keys, firstSeq: 1 });
    expect(r).toMatchObject({ ok: false, seq: 2 });
    expect(!r.ok && r.problem).toMatch(/signature does not verify/);
  });

  it('verifies a time range: only its entries, anchored at its first seq', async () => {
    const a = new AuditLog({ store: getStore(), log, clock: systemClock, signer });
    for (let i = 1; i <= 30; i++) a.append(input(i * 1000)); // at = base + i s
    await a.flush();
    const base = 1_700_000_000_000;
    const seg = await storeSegment(getStore().db as AuditDb, { from: base + 10_000, to: base + 20_000 });
    expect(seg.firstSeq).toBe(10);
    const r = await verifyAuditChain(seg.entries, seg.checkpoints, { keys, firstSeq: seg.firstSeq });
    expect(r).toMatchObject({ ok: true, entries: 10, firstSeq: 10, lastSeq: 19 });
    const none = await storeSegment(getStore().db as AuditDb, { from: base + 99_000 });
    expect(
      await verifyAuditChain(none.entries, none.checkpoints, { keys, firstSeq: none.firstSeq }),
    ).toMatchObject({
      ok: true,
      entries: 0,
    });
  });
});
