import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/index.js';
import { runCli } from '../helpers/cli.js';

// `vigil notice change | list` through the real CLI: under one month refused, or queued flagged
// with --force; every queued message listed with its content hash.
const dir = mkdtempSync(join(tmpdir(), 'vigil-notice-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = join(dir, 'vigil.yaml');
writeFileSync(
  config,
  `customers:
  - { id: acme, name: ACME B.V., language: en, contacts: [{ name: A, email: a@acme.example }] }
  - { id: globex, name: Globex, contacts: [{ name: G, email: g@globex.example }] }
`,
);
const at = ['--config', config, '--data', dir];
beforeAll(async () => {
  await (await openStore(`sqlite:${join(dir, 'vigil.db')}`)).close();
});
const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();

describe('vigil notice', () => {
  it('refuses a change under one month, flags it with --force, queues 32 days ahead', async () => {
    const change = (d: number, ...more: string[]) =>
      runCli([
        'notice',
        'change',
        '--customer',
        'acme',
        '--effective',
        inDays(d),
        '--text',
        'new relay',
        ...more,
        ...at,
      ]);
    const refused = await change(29);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/under one month's notice/);
    expect((await change(29, '--force')).stdout).toContain(
      'queued 1 message(s) (flagged: under one month notice)',
    );
    // 32 days: one calendar month from the CLI's own clock, whatever the month's length (31 vs 29 at a
    // fixed date is in notices.test.ts).
    expect((await change(32)).stdout).toBe('queued 1 message(s); vigil start delivers them\n');
    const list = (await runCli(['notice', 'list', ...at])).stdout.trim().split('\n');
    expect(list.map((l) => l.split('\t').slice(1, 5))).toEqual([
      ['acme', 'change-notice-late', 'A <a@acme.example>', 'pending'],
      ['acme', 'change-notice', 'A <a@acme.example>', 'pending'],
    ]);
    expect(list.every((l) => /^[0-9a-f]{64}$/.test(l.split('\t')[5]!))).toBe(true);
  }, 600_000);
});
