import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/index.js';
import { runCli } from '../helpers/cli.js';

// The incident commands through the real CLI on a SQLite store: open by hand, refused steps,
// measures, and the report in both languages read back from the PDF with pdftotext.
const dir = mkdtempSync(join(tmpdir(), 'vigil-inc-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = join(dir, 'vigil.yaml');
writeFileSync(
  config,
  `customers:
  - { id: acme, name: ACME B.V., language: nl, contacts: [{ name: A, email: a@acme.example }] }
  - { id: globex, name: Globex Corporation, language: en }
`,
);
const at = ['--config', config, '--data', dir];
// The store as `vigil start` leaves it (the CLI refuses to create a stray one).
beforeAll(async () => {
  await (await openStore(`sqlite:${join(dir, 'vigil.db')}`)).close();
});
const pdftotext = (pdf: Buffer): string => {
  const r = spawnSync('pdftotext', ['-layout', '-', '-'], { input: pdf });
  expect(r.status, r.stderr.toString()).toBe(0);
  return r.stdout.toString();
};

describe('vigil incident', () => {
  it('opens, refuses a skipped step, records measures, resolves, reports in nl and en', async () => {
    const open = await runCli([
      'incident',
      'open',
      '--customer',
      'acme',
      '--kind',
      'security',
      '--title',
      'Phishing login on the portal',
      '--priority',
      'P1',
      ...at,
    ]);
    expect(open.stderr).toBe('');
    const id = open.stdout.trim();
    expect(id).toMatch(/^INC-\d{8}-[0-9a-f]{8}$/);
    const early = await runCli(['incident', 'resolve', id, ...at]);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/is detected: cannot go to resolved \(next step is reported\)/);
    expect(
      (await runCli(['incident', 'ack', id, '--measure', 'reset the account password', ...at])).code,
    ).toBe(0);
    expect((await runCli(['incident', 'update', id, '--text', 'sessions revoked', ...at])).code).toBe(0);
    const res = await runCli(['incident', 'resolve', id, '--measure', 'enforced TOTP for the portal', ...at]);
    expect(res.stdout).toContain('\tresolved\t');
    const show = JSON.parse((await runCli(['incident', 'show', id, ...at])).stdout) as {
      timeline: { kind: string; actor: string }[];
    };
    expect(show.timeline.map((e) => e.kind)).toEqual([
      'detected',
      'reported',
      'acknowledged',
      'measure',
      'update',
      'resolved',
      'measure',
    ]);
    expect(show.timeline.every((e) => e.actor.startsWith('os:'))).toBe(true);
    const list = await runCli(['incident', 'list', ...at]);
    expect(list.stdout.split('\n').filter(Boolean)).toHaveLength(1);

    const nl = await runCli(['incident', 'report', id, '--format', 'html', ...at]);
    expect(nl.stdout).toContain('<html lang="nl">');
    expect(nl.stdout).toContain('Genomen maatregelen tot nu toe');
    expect(nl.stdout).not.toContain('Globex');
    const pdfOf = async (lang: string): Promise<Buffer> => {
      const out = join(dir, `${lang}.pdf`);
      const r = await runCli(['incident', 'report', id, '--format', 'pdf', '--lang', lang, ...at]);
      expect(r.code).toBe(0);
      writeFileSync(out, r.stdout, 'latin1');
      return Buffer.from(r.stdout, 'latin1');
    };
    const json = JSON.parse(
      (await runCli(['incident', 'report', id, '--format', 'json', '--lang', 'en', ...at])).stdout,
    ) as {
      measures: { text: string }[];
    };
    expect(json.measures.map((m) => m.text)).toEqual([
      'reset the account password',
      'enforced TOTP for the portal',
    ]);
    expect(pdftotext(await pdfOf('nl'))).toMatch(
      /Eindrapport over incident[\s\S]*Genomen maatregelen tot nu toe[\s\S]*enforced TOTP/,
    );
    expect(pdftotext(await pdfOf('en'))).toMatch(
      /Final report on incident[\s\S]*Measures taken so far[\s\S]*reset the account password/,
    );
  }, 600_000);
});
