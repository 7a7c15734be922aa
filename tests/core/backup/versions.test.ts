import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  listBackups,
  pruneBackups,
  versionName,
  versionsToPrune,
  type BackupVersion,
} from '../../../core/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-backup-versions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const H = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 2, 30);
const v = (at: number): BackupVersion => ({
  name: versionName(at),
  dir: '',
  file: '',
  takenAt: at,
  bytes: 1,
});

describe('backup retention', () => {
  it('keeps the newest version of each of the `keep` newest days and drops the rest', () => {
    const nightly = Array.from({ length: 10 }, (_, d) => v(T0 + d * 24 * H));
    const extraSameDay = v(T0 + 9 * 24 * H - H); // an earlier manual backup on the newest day
    const drop = versionsToPrune([...nightly, extraSameDay], 7);
    expect(drop.map((x) => x.takenAt).sort()).toEqual(
      [T0, T0 + 24 * H, T0 + 48 * H, extraSameDay.takenAt].sort(),
    );
  });

  it('names versions by their UTC instant and lists only finished ones, newest first', () => {
    expect(versionName(Date.UTC(2026, 11, 6, 2, 30, 5, 7))).toBe('vigil-20261206T023005007Z');
    for (const [i, name] of [T0, T0 + 24 * H, T0 + 48 * H].map((t) => versionName(t)).entries()) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'vigil.db'), 'x'.repeat(i + 1));
    }
    mkdirSync(join(dir, `${versionName(T0 + 72 * H)}.partial`)); // interrupted: not a version
    mkdirSync(join(dir, versionName(T0 + 96 * H))); // no store file: not a version
    const list = listBackups(dir);
    expect(list.map((x) => x.takenAt)).toEqual([T0 + 48 * H, T0 + 24 * H, T0]);
    expect(list[0]!.bytes).toBe(3);
    expect(pruneBackups(dir, 2)).toEqual([versionName(T0)]);
    expect(listBackups(dir).length).toBe(2);
    expect(listBackups(join(dir, 'nope'))).toEqual([]);
  });
});
