import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EICAR, requireBinary, startTestClamd, type TestClamd } from './clamd-fixture.js';
import { tempDir } from './run-fixture.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RUNNER = fileURLToPath(new URL('./cli-runner.ts', import.meta.url));

function vigil(
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, ...args], {
      cwd,
      // No config: a named one ($VIGIL_CONFIG) must exist, so name none (./vigil.yaml is absent).
      env: { ...process.env, VIGIL_CONFIG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Each spawn starts Node + tsx (seconds on a loaded machine), so these tests get a long timeout.
describe('vigil scan / signatures (spawned, real clamd)', { timeout: 180_000 }, () => {
  let dir: string;
  let files: string;
  let data: string;
  beforeAll(() => {
    requireBinary('clamd', 'clamav-daemon');
    dir = tempDir('scan-cli');
    files = join(dir, 'files');
    data = join(dir, 'data');
    mkdirSync(files);
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(files, 'clean.txt'), 'hello\n');
    writeFileSync(
      join(dir, 'rules', 'r.yar'),
      'rule Marker : test { meta: why = "cli test" strings: $m = "YARA-MARKER" condition: $m }\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('without signatures, a ClamAV scan is an error (2) that says what to do', async () => {
    // freshclam's database directory is named (empty here), so the test does not depend on the machine's.
    const empty = join(dir, 'no-freshclam-db');
    mkdirSync(empty);
    const cfg = join(dir, 'no-sigs.yaml');
    writeFileSync(cfg, `scanners:\n  paths: [${files}]\n  clamav: {system_database_dir: ${empty}}\n`);
    const r = await vigil(['scan', files, '--data', data, '--config', cfg], ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `no ClamAV signatures: ${empty} holds no official database \\(run freshclam\\) and .* holds none of vigil's own \\(add some with "vigil signatures add-hash.*--no-clamav`,
      ),
    );
  });

  it('signatures add-hex / add-hash / list manage the database', async () => {
    const hex = Buffer.from('EICAR-STANDARD-ANTIVIRUS-TEST-FILE').toString('hex');
    expect((await vigil(['signatures', 'add-hex', 'Vigil.Cli.EICAR', hex, '--data', data], ROOT)).code).toBe(
      0,
    );
    writeFileSync(join(dir, 'known.bin'), 'known bad bytes\n');
    expect(
      (
        await vigil(
          ['signatures', 'add-hash', join(dir, 'known.bin'), '--name', 'Vigil.Cli.Known', '--data', data],
          ROOT,
        )
      ).code,
    ).toBe(0);
    const bad = await vigil(['signatures', 'add-hex', 'Bad', 'xyz', '--data', data], ROOT);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a ClamAV hex pattern/);
    const list = await vigil(['signatures', 'list', '--json', '--data', data], ROOT);
    expect((JSON.parse(list.stdout) as { name: string }[]).map((e) => e.name)).toEqual([
      'Vigil.Cli.Known',
      'Vigil.Cli.EICAR',
    ]);
  });

  it('clean files: exit 0 (temporary clamd on the managed database + YARA)', async () => {
    const r = await vigil(
      ['scan', files, '--data', data, '--yara-rules', join(dir, 'rules'), '--json'],
      ROOT,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      status: string;
      engines: string[];
      clamav: string;
      files: { status: string }[];
    };
    expect(doc).toMatchObject({
      status: 'clean',
      engines: ['clamav', 'yara'],
      clamav: expect.stringMatching(/^temporary clamd/),
    });
    expect(doc.files.map((f) => f.status)).toEqual(['clean']);
  });

  it('found: exit 1, with signature names; quarantine and restore', async () => {
    writeFileSync(join(files, 'eicar.com'), EICAR);
    writeFileSync(join(files, 'marked.txt'), 'xx YARA-MARKER xx');
    const q = join(dir, 'quarantine');
    const r = await vigil(
      ['scan', files, '--data', data, '--yara-rules', join(dir, 'rules'), '--quarantine', q],
      ROOT,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${join(files, 'eicar.com')}: Vigil.Cli.EICAR.UNOFFICIAL FOUND (clamav)`);
    expect(r.stdout).toContain(`${join(files, 'marked.txt')}: Marker FOUND (yara)`);
    expect(r.stdout).toMatch(/Infected files: 2\nErrors: 0/);
    const id = /eicar\.com: .*\[quarantined as (q-[0-9a-f]{16})\]/.exec(r.stdout)?.[1];
    expect(id).toBeDefined();
    expect(existsSync(join(files, 'eicar.com'))).toBe(false);
    const restored = await vigil(['scan', 'restore', id!, '--quarantine', q, '--data', data], ROOT);
    expect(restored.code).toBe(0);
    expect(readFileSync(join(files, 'eicar.com'), 'utf8')).toBe(EICAR);
  });

  it('--no-clamav says so; an error is exit 2 even next to a hit', async () => {
    writeFileSync(join(files, 'marked.txt'), 'xx YARA-MARKER xx'); // the previous test quarantined it
    const r = await vigil(
      [
        'scan',
        files,
        join(dir, 'does-not-exist'),
        '--no-clamav',
        '--yara-rules',
        join(dir, 'rules'),
        '--data',
        data,
      ],
      ROOT,
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('ClamAV: not used (--no-clamav): YARA and hash lists only');
    expect(r.stdout).toContain(`${join(dir, 'does-not-exist')}: ERROR cannot list:`);
    expect(r.stdout).toContain('Marker FOUND (yara)');
  });

  it('prints file names with control characters escaped; --json keeps them exact', async () => {
    const names = join(dir, 'names');
    mkdirSync(names);
    // A name that would clear the screen and forge a clean line for the file after it.
    const evil = 'evil\x1b[2J\x1b[H\rnothing.txt: OK\nx';
    writeFileSync(join(names, evil), 'xx YARA-MARKER xx');
    const args = ['scan', names, '--no-clamav', '--yara-rules', join(dir, 'rules'), '--data', data];
    const human = await vigil(args, ROOT);
    expect(human.code).toBe(1);
    // No raw control character but the newlines that end lines.
    expect([...human.stdout].filter((c) => c !== '\n' && (c < ' ' || c === '\x7f'))).toEqual([]);
    expect(human.stdout).toContain(
      `${join(names, 'evil\\x1b[2J\\x1b[H\\x0dnothing.txt: OK\\x0ax')}: Marker FOUND (yara)`,
    );
    const json = await vigil([...args, '--json'], ROOT);
    const doc = JSON.parse(json.stdout) as { files: { path: string }[] };
    expect(doc.files.map((f) => f.path)).toEqual([join(names, evil)]);
  });

  describe('with --clamd-socket', () => {
    let clamd: TestClamd;
    beforeAll(async () => {
      clamd = await startTestClamd();
    });
    afterAll(async () => clamd?.stop());

    it('uses that clamd (INSTREAM), and exits 2 when it dies', async () => {
      const ok = await vigil(
        ['scan', join(files, 'eicar.com'), '--clamd-socket', clamd.socket, '--data', data, '--json'],
        ROOT,
      );
      expect(ok.code).toBe(1);
      expect(JSON.parse(ok.stdout)).toMatchObject({
        status: 'infected',
        clamav: `clamd at ${clamd.socket}`,
        files: [{ hits: [{ name: 'Vigil.Test.EICAR.UNOFFICIAL' }] }],
      });
      const gone = new Promise((r) => clamd.child.once('exit', r));
      clamd.child.kill('SIGKILL');
      await gone;
      const dead = await vigil(
        ['scan', join(files, 'clean.txt'), '--clamd-socket', clamd.socket, '--data', data, '--json'],
        ROOT,
      );
      expect(dead.code).toBe(2);
      expect(JSON.parse(dead.stdout)).toMatchObject({ status: 'error', files: [{ status: 'error' }] });
    });
  });
});
