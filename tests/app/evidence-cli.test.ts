import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../core/index.js';
import { runCli } from '../helpers/cli.js';
import { dayOfVigil } from '../evidence/scenario.js';

describe('vigil evidence export | verify (CLI, real store, instance key)', () => {
  let store: Store;
  let dataDir: string;
  let pubkey: string;

  beforeAll(async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'vigil-ev-cli-'));
    store = await openStore(`sqlite:${join(tmp, 'vigil.db')}`);
    const day = await dayOfVigil(store, { withScan: true });
    await store.close();
    // The scenario wrote its key under its own data dir: use that dir, with the store moved in.
    dataDir = day.dataDir;
    writeFileSync(join(dataDir, 'vigil.db'), readFileSync(join(tmp, 'vigil.db')));
    pubkey = join(dataDir, 'pub.pem');
    writeFileSync(pubkey, day.signer.publicPem);
  }, 120_000);

  const env = { VIGIL_CONFIG: '', VIGIL_DATA: '' };

  it('exports a tar, twice byte-identical, verifies it (exit 0), audits the export, and exits 1 on a changed byte', async () => {
    const args = (out: string) => [
      'evidence',
      'export',
      '--data',
      dataDir,
      '--from',
      '2026-06-01',
      '--to',
      '2026-06-02',
      '--out',
      join(dataDir, out),
    ];
    const first = await runCli(args('a.tar'), { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/wrote .*a\.tar: \d+ files, bundle sha256:[0-9a-f]{64}/);
    const second = await runCli(args('b.tar'), { env });
    expect(second.code).toBe(0);
    const a = readFileSync(join(dataDir, 'a.tar'));
    expect(readFileSync(join(dataDir, 'b.tar')).equals(a)).toBe(true);

    const ok = await runCli(['evidence', 'verify', join(dataDir, 'a.tar'), '--pubkey', pubkey], { env });
    expect(ok.stdout).toMatch(/^bundle valid: /);
    expect(ok.code).toBe(0);

    const bad = Buffer.from(a);
    const at = bad.indexOf('"shop/http"');
    bad[at + 2] = 'x'.charCodeAt(0);
    writeFileSync(join(dataDir, 'bad.tar'), bad);
    const no = await runCli(['evidence', 'verify', join(dataDir, 'bad.tar'), '--pubkey', pubkey], { env });
    expect(no.code).toBe(1);
    expect(no.stdout).toMatch(/NOT valid: data\/records\/[a-z-]+\.jsonl: /);

    const unreadable = await runCli(['evidence', 'verify', join(dataDir, 'nope.tar')], { env });
    expect(unreadable.code).toBe(2);

    // Every export is itself an audit-log entry (the CLI audit hook).
    const s = await openStore(`sqlite:${join(dataDir, 'vigil.db')}`);
    try {
      const rows = await s.db
        .selectFrom('audit_log' as never)
        .select(['action' as never, 'result' as never])
        .where('action' as never, '=', 'cli: evidence export' as never)
        .execute();
      expect(rows).toEqual([
        { action: 'cli: evidence export', result: 'ok' },
        { action: 'cli: evidence export', result: 'ok' },
      ]);
    } finally {
      await s.close();
    }
  }, 240_000);
});
