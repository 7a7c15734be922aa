import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTar, writeTar } from '../../evidence/index.js';

describe('ustar writer/reader', () => {
  const files = new Map([
    ['data/b.txt', Buffer.from('bee\n')],
    ['bagit.txt', Buffer.from('BagIt-Version: 1.0\n')],
    [`data/${'d'.repeat(80)}/${'f'.repeat(60)}.jsonl`, Buffer.alloc(1500, 0x61)],
  ]);
  const mtime = Date.UTC(2026, 5, 2);

  it('GNU tar lists and extracts it: sorted names, mtime, uid/gid 0, contents', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tar-'));
    writeFileSync(join(dir, 'b.tar'), writeTar(files, mtime));
    const list = execFileSync('tar', ['--numeric-owner', '--full-time', '-tvf', join(dir, 'b.tar')], {
      encoding: 'utf8',
    });
    const names = list
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).at(-1));
    expect(names).toEqual([...files.keys()].sort());
    expect(list).toContain('0/0');
    expect(list).toContain('2026-06-02');
    execFileSync('tar', ['-xf', join(dir, 'b.tar'), '-C', dir]);
    for (const [p, b] of files) expect(readFileSync(join(dir, p)).equals(b)).toBe(true);
  });

  it('round-trips and is byte-stable', () => {
    const a = writeTar(files, mtime);
    expect(writeTar(new Map([...files].reverse()), mtime).equals(a)).toBe(true);
    expect(readTar(a)).toEqual(new Map([...files].sort(([x], [y]) => x.localeCompare(y))));
  });

  it('refuses paths that climb out and non-regular entries', () => {
    const evil = writeTar(new Map([['x/../../etc/passwd', Buffer.from('x')]]), mtime);
    expect(() => readTar(evil)).toThrow(/unsafe path/);
    const link = Buffer.from(writeTar(new Map([['l', Buffer.alloc(0)]]), mtime));
    link[156] = '2'.charCodeAt(0);
    let sum = 0;
    link.write('        ', 148, 'ascii');
    for (const b of link.subarray(0, 512)) sum += b;
    link.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    expect(() => readTar(link)).toThrow(/not a regular file/);
  });
});
