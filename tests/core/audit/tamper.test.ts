import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
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
  type AuditVerifyResult,
} from '../../../core/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-tamper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const signer = loadOrCreateAuditKey(auditKeyPath(dir));
const keys = parsePublicKeys(signer.publicPem, 'test');
let n = 0;

/** A log of 20 entries with signed checkpoints after entry 10 and entry 20 (and one at stop); returns its file. */
async function buildLog(): Promise<string> {
  const file = join(dir, `log-${++n}.db`);
  const store = await openStore(`sqlite:${file}`);
  const log = new AuditLog({ store, log: silentLogger(), clock: systemClock, signer });
  for (let i = 1; i <= 20; i++) {
    log.append({
      at: 1_700_000_000_000 + i * 1000,
      actor: i % 3 ? { kind: 'user', name: 'alice', id: 'u1' } : { kind: 'os_user', name: 'root' },
      source: '192.0.2.7',
      action: i % 2 ? 'GET /api/v2/alerts' : 'cli: alerts ack',
      object: `/thing/${i}`,
      result: i % 5 ? '200' : 'exit:2',
    });
    if (i === 10 || i === 20) await log.checkpoint();
  }
  await log.stop();
  await store.close();
  return file;
}

/** Opens the file as an attacker with write access would: without the append-only triggers. */
function tamper(file: string, statements: string[]): void {
  const db = new Database(file);
  for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
    name: string;
  }[])
    db.exec(`DROP TRIGGER "${t.name}"`);
  for (const s of statements) db.exec(s);
  db.close();
}

async function verifyFile(file: string): Promise<AuditVerifyResult> {
  const store = await openStore(`sqlite:${file}`);
  try {
    const seg = await storeSegment(store.db as AuditDb);
    return await verifyAuditChain(seg.entries, seg.checkpoints, { keys, firstSeq: seg.firstSeq });
  } finally {
    await store.close();
  }
}

/** SQL that flips the lowest bit of the byte at `pos` (1-based) of a text column. */
const flip = (col: string, pos = 3) =>
  `${col} = substr(${col}, 1, ${pos - 1}) || char((unicode(substr(${col}, ${pos}, 1)) | 1) - (unicode(substr(${col}, ${pos}, 1)) & 1)) || substr(${col}, ${pos + 1})`;

describe('audit verify on a tampered SQLite store', () => {
  it('an untouched log verifies', async () => {
    expect(await verifyFile(await buildLog())).toMatchObject({ ok: true, entries: 20, checkpoints: 3 }); // at 10, at 20, and at stop;
  });

  it.each([
    ['actor_kind', flip('actor_kind')],
    ['actor_name', flip('actor_name')],
    ['actor_id', flip('actor_id', 1)],
    ['source', flip('source')],
    ['action', flip('action', 1)],
    ['object', flip('object', 8)],
    ['result', flip('result', 2)],
    ['at', 'at = at + 1'],
    ['hash', flip('hash', 40)],
  ])('one flipped byte in %s of entry 7 is found at entry 7', async (_col, set) => {
    const file = await buildLog();
    tamper(file, [`UPDATE audit_log SET ${set} WHERE seq = 7`]);
    const r = await verifyFile(file);
    expect(r).toMatchObject({ ok: false, seq: 7 });
    expect(!r.ok && r.problem).toMatch(/entry 7/);
  });

  it('a flipped byte in prev_hash is found at that entry', async () => {
    const file = await buildLog();
    tamper(file, [`UPDATE audit_log SET ${flip('prev_hash', 10)} WHERE seq = 13`]);
    const r = await verifyFile(file);
    expect(r).toMatchObject({ ok: false, seq: 13, problem: expect.stringMatching(/prevHash/) as unknown });
  });

  it('a deleted entry is named', async () => {
    const file = await buildLog();
    tamper(file, ['DELETE FROM audit_log WHERE seq = 12']);
    const r = await verifyFile(file);
    expect(r).toMatchObject({
      ok: false,
      seq: 12,
      problem: expect.stringMatching(/entry 12 is missing/) as unknown,
    });
  });

  it('a deleted entry with the following ones renumbered and rehashed is caught by the signed checkpoint', async () => {
    // The attacker rebuilds a consistent chain without entry 5; only the signature can tell.
    const file = await buildLog();
    tamper(file, ['DELETE FROM audit_log WHERE seq >= 5']);
    const store = await openStore(`sqlite:${file}`);
    const w = new AuditLog({ store, log: silentLogger(), clock: systemClock });
    for (let i = 6; i <= 21; i++)
      w.append({
        at: 1_700_000_000_000 + i * 1000,
        actor: { kind: 'user', name: 'alice' },
        source: 'x',
        action: 'a',
        object: 'o',
        result: '200',
      });
    await w.flush();
    await store.close();
    const r = await verifyFile(file);
    expect(r).toMatchObject({ ok: false, seq: 10 });
    expect(!r.ok && r.problem).toMatch(/checkpoint signed at .* names hash/);
  });

  it('a truncated tail after a signed checkpoint is named', async () => {
    const file = await buildLog();
    tamper(file, ['DELETE FROM audit_log WHERE seq > 16']);
    const r = await verifyFile(file);
    expect(r).toMatchObject({ ok: false, seq: 17 });
    expect(!r.ok && r.problem).toMatch(
      /ends at entry 16, but the checkpoint .* covers entries up to 20: the tail was removed/,
    );
  });

  it('a forged checkpoint signature fails', async () => {
    const file = await buildLog();
    tamper(file, [`UPDATE audit_checkpoints SET ${flip('signature', 5)} WHERE seq = 10`]);
    const r = await verifyFile(file);
    expect(r).toMatchObject({
      ok: false,
      seq: 10,
      problem: expect.stringMatching(/signature does not verify/) as unknown,
    });
  });
});
