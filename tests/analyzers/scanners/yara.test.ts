import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compileRuleDirs,
  factsOf,
  YaraScanner,
  type CompiledRules,
} from '../../../analyzers/scanners/index.js';

const RULES = `
rule Webshell_Eval : webshell php
{
  meta:
    author = "vigil tests"
    score = 80
  strings:
    $eval = "eval($_POST["
    $b64 = { 62 61 73 65 36 34 5f 64 65 63 6f 64 65 }
  condition:
    any of them
}

rule Only_In_Uploads
{
  strings:
    $m = "UPLOAD-MARKER"
  condition:
    $m and filepath contains "/uploads/" and extension == ".php" and filename == "shell.php"
}

rule Exe_By_Magic
{
  condition:
    filetype == "EXE" and owner == "root"
}
`;

describe('YARA rules compiled from folders', () => {
  let dir: string;
  let files: string;
  let compiled: CompiledRules;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-yara-'));
    mkdirSync(join(dir, 'rules', 'nested'), { recursive: true });
    writeFileSync(join(dir, 'rules', 'web.yar'), RULES);
    writeFileSync(
      join(dir, 'rules', 'nested', 'big.yara'),
      'rule Tail_Marker { strings: $t = "TAIL-OF-A-LARGE-FILE" condition: $t }\n',
    );
    writeFileSync(join(dir, 'rules', 'README.txt'), 'not a rule file');
    files = join(dir, 'files');
    mkdirSync(join(files, 'uploads'), { recursive: true });
    compiled = await compileRuleDirs([join(dir, 'rules')]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const scan = (path: string) =>
    new YaraScanner({ compiled: () => compiled }).scan(factsOf(path, statSync(path)));

  it('reports rule, tags, metadata and string offsets (not the matched text)', async () => {
    const p = join(files, 'a.txt');
    writeFileSync(p, 'xxxx eval($_POST["c"]); base64_decode');
    const v = await scan(p);
    expect(v.status).toBe('infected');
    if (v.status !== 'infected') return;
    expect(v.hits).toEqual([
      {
        engine: 'yara',
        name: 'Webshell_Eval',
        tags: ['webshell', 'php'],
        meta: { author: 'vigil tests', score: 80 },
        strings: [
          { identifier: '$eval', offset: 5, length: 12 },
          { identifier: '$b64', offset: 24, length: 13 },
        ],
      },
    ]);
  });

  it.each([
    ['uploads/shell.php', 'UPLOAD-MARKER', ['Only_In_Uploads']],
    ['uploads/shell.txt', 'UPLOAD-MARKER', []],
    ['elsewhere/shell.php', 'UPLOAD-MARKER', []],
    ['uploads/prog.bin', 'MZ\x90\x00 program', ['Exe_By_Magic']],
  ])('externals: %s', async (rel, content, rules) => {
    const p = join(files, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, content);
    const v = await scan(p);
    expect(v.status === 'infected' ? v.hits.map((h) => h.name) : []).toEqual(rules);
    expect(v.status).toBe(rules.length > 0 ? 'infected' : 'clean');
  });

  it('scans a file larger than 50 MB and finds a string at its end', async () => {
    const p = join(files, 'large.bin');
    const fd = openSync(p, 'w');
    const block = Buffer.alloc(1 << 20, 0x20);
    for (let i = 0; i < 55; i++) writeSync(fd, block);
    writeSync(fd, 'TAIL-OF-A-LARGE-FILE');
    closeSync(fd);
    const v = await scan(p);
    expect(v.status === 'infected' && v.hits.map((h) => [h.name, h.strings?.[0]?.offset])).toEqual([
      ['Tail_Marker', 55 << 20],
    ]);
  });

  it('a file that vanished or is a directory is an error, not clean', async () => {
    const p = join(files, 'soon-gone.txt');
    writeFileSync(p, 'eval($_POST["x"])');
    const facts = factsOf(p, statSync(p));
    rmSync(p);
    const gone = await new YaraScanner({ compiled: () => compiled }).scan(facts);
    expect(gone).toMatchObject({ status: 'error' });
    expect(gone.status === 'error' && gone.reason).toMatch(/no such file/i);
    const d = join(files, 'a-dir');
    mkdirSync(d);
    const isDir = await new YaraScanner({ compiled: () => compiled }).scan({ ...facts, path: d });
    expect(isDir).toMatchObject({ status: 'error' });
  });

  it('the fingerprint changes when a rule file changes', async () => {
    const d = join(dir, 'fp');
    mkdirSync(d);
    writeFileSync(join(d, 'x.yar'), 'rule X { strings: $a = "a" condition: $a }\n');
    const a = (await compileRuleDirs([d])).fingerprint;
    expect((await compileRuleDirs([d])).fingerprint).toBe(a);
    writeFileSync(join(d, 'x.yar'), 'rule X { strings: $a = "b" condition: $a }\n');
    expect((await compileRuleDirs([d])).fingerprint).not.toBe(a);
  });
});

describe('YARA compile errors name the file and line', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-yara-bad-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [
      'syntax.yar',
      'rule ok { condition: true }\n\nrule broken {\n  condition:\n    and\n}\n',
      5,
      /syntax error/,
    ],
    [
      'unknown.yar',
      'rule u {\n  condition:\n    not_an_external == 1\n}\n',
      3,
      /unknown identifier `not_an_external`/,
    ],
  ])('%s', async (name, src, line, message) => {
    const d = join(dir, name.replace('.yar', ''));
    mkdirSync(d);
    writeFileSync(join(d, 'fine.yar'), 'rule fine { condition: filesize > 0 }\n');
    writeFileSync(join(d, name), src);
    const err = await compileRuleDirs([d]).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    expect(err?.code).toBe('SCN_YARA_COMPILE');
    expect(err?.message).toContain(`${join(d, name)}:${line}:`);
    expect(err?.message).toMatch(message);
  });

  it('a rule defined twice across files names the second file and its line', async () => {
    const d = join(dir, 'dup');
    mkdirSync(d);
    writeFileSync(join(d, 'a.yar'), 'rule same { condition: filesize > 1 }\n');
    writeFileSync(join(d, 'b.yar'), '// second file\n\nrule same { condition: filesize > 2 }\n');
    const err = await compileRuleDirs([d]).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toContain(`${join(d, 'b.yar')}:3:`);
    expect(err?.message).toMatch(/duplicate rule `same`/);
  });

  it('a missing rules folder is an error naming it', async () => {
    await expect(compileRuleDirs([join(dir, 'nope')])).rejects.toThrow(/nope does not exist/);
  });

  it('our externals also satisfy the Debian yara CLI (same rule, same verdict)', async () => {
    const d = join(dir, 'cli');
    mkdirSync(d);
    writeFileSync(join(d, 'r.yar'), 'rule R { strings: $a = "needle" condition: $a }\n');
    writeFileSync(join(d, 'f.txt'), 'hay needle hay');
    const out = execFileSync('yara', [join(d, 'r.yar'), join(d, 'f.txt')])
      .toString()
      .trim();
    const compiled = await compileRuleDirs([d]);
    const v = await new YaraScanner({ compiled: () => compiled }).scan(
      factsOf(join(d, 'f.txt'), statSync(join(d, 'f.txt'))),
    );
    expect(out).toBe(`R ${join(d, 'f.txt')}`);
    expect(v.status === 'infected' && v.hits.map((h) => h.name)).toEqual(['R']);
  });
});

describe('YARA externals with values @litko/yara-x would misread', () => {
  it('a numeric file name is an error only for rule sets that read filename', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-yara-num-'));
    try {
      mkdirSync(join(dir, 'uses'));
      mkdirSync(join(dir, 'ignores'));
      writeFileSync(join(dir, 'uses', 'r.yar'), 'rule ByName { condition: filename == "2024" }\n');
      writeFileSync(
        join(dir, 'ignores', 'r.yar'),
        'rule ByContent { strings: $a = "payload" condition: $a }\n',
      );
      const p = join(dir, '2024');
      writeFileSync(p, 'payload');
      const f = factsOf(p, statSync(p));
      const uses = await compileRuleDirs([join(dir, 'uses')]);
      const ignores = await compileRuleDirs([join(dir, 'ignores')]);
      expect(await new YaraScanner({ compiled: () => uses }).scan(f)).toMatchObject({
        status: 'error',
        reason: expect.stringMatching(/filename="2024"/),
      });
      expect(await new YaraScanner({ compiled: () => ignores }).scan(f)).toMatchObject({
        status: 'infected',
        hits: [{ name: 'ByContent' }],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
