import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Quarantine } from '../../../analyzers/scanners/index.js';
import { tempDir } from './run-fixture.js';

describe('quarantine', () => {
  let dir: string;
  let q: Quarantine;
  beforeEach(() => {
    dir = tempDir('quarantine');
    q = new Quarantine(join(dir, 'q'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('moves the file away with metadata alongside and restores mode, mtime and content', async () => {
    const f = join(dir, 'bad.sh');
    writeFileSync(f, '#!/bin/sh\necho bad\n');
    chmodSync(f, 0o751);
    utimesSync(f, new Date('2026-01-02T03:04:05Z'), new Date('2026-01-02T03:04:05Z'));
    const rec = await q.put(f, [{ engine: 'yara', name: 'Bad_Script' }], { runId: 'run-1' });
    expect(existsSync(f)).toBe(false);
    expect(rec).toMatchObject({
      originalPath: f,
      size: 19,
      mode: 0o751,
      runId: 'run-1',
      hits: [{ name: 'Bad_Script' }],
    });
    expect(statSync(join(dir, 'q', `${rec.id}.bin`)).mode & 0o777).toBe(0o400);
    expect(JSON.parse(readFileSync(join(dir, 'q', `${rec.id}.json`), 'utf8'))).toEqual({
      record: rec,
      mac: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await q.list()).map((r) => r.id)).toEqual([rec.id]);

    writeFileSync(f, 'a new file took its place');
    await expect(q.restore(rec.id)).rejects.toThrow(/exists; restore with --force/);
    const back = await q.restore(rec.id, { to: join(dir, 'restored', 'bad.sh') });
    expect(back.restoredTo).toBe(join(dir, 'restored', 'bad.sh'));
    const st = statSync(back.restoredTo);
    expect(st.mode & 0o777).toBe(0o751);
    expect(st.mtime.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(readFileSync(back.restoredTo, 'utf8')).toBe('#!/bin/sh\necho bad\n');
    expect(await q.list()).toEqual([]);
  });

  it.each([['not-an-id'], ['q-123'], ['../../etc/passwd']])('refuses id %s', async (id) => {
    await expect(q.restore(id)).rejects.toThrow(/is not a quarantine id/);
  });
});
