import { mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileNoFollow } from '../../core/index.js';

describe('writeFileNoFollow', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-out-'));

  it('writes a new file and replaces an existing one, leaving no temporary file', async () => {
    const f = join(dir, 'a.csv');
    await writeFileNoFollow(f, 'one\n');
    await writeFileNoFollow(f, 'two\n');
    expect(readFileSync(f, 'utf8')).toBe('two\n');
    expect(readdirSync(dir)).toEqual(['a.csv']);
  });

  it('refuses a symlink at the target, to an existing or a missing file', async () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'keep');
    symlinkSync(victim, join(dir, 'to-victim'));
    symlinkSync(join(dir, 'not-yet'), join(dir, 'dangling'));
    await expect(writeFileNoFollow(join(dir, 'to-victim'), 'x')).rejects.toThrow(/is a symbolic link/);
    await expect(writeFileNoFollow(join(dir, 'dangling'), 'x')).rejects.toThrow(/is a symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('keep');
    expect(readdirSync(dir).sort()).toEqual(['a.csv', 'dangling', 'to-victim', 'victim']);
  });
});
