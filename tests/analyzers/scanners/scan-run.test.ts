import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createHash } from 'node:crypto';
import { silentLogger } from '../../../core/index.js';
import {
  buildEngines,
  Quarantine,
  SignatureDb,
  type ScanEngines,
} from '../../../analyzers/scanners/index.js';
import { describeStores } from '../../helpers/stores.js';
import { EICAR, requireBinary } from './clamd-fixture.js';
import { harness, repo, tempDir, testConfig } from './run-fixture.js';

/**
 * End to end through the engines vigil builds from config: a managed clamd (vigil writes its
 * clamd.conf, starts and supervises it) over a database made with `SignatureDb` (the code behind
 * `vigil signatures add-*`), YARA rules from a folder, and the shared run/finding repository.
 */
describeStores(
  'scan runs with a managed clamd',
  (getStore) => {
    let data: string;
    let uploads: string;
    let engines: ScanEngines;
    let cfg: ReturnType<typeof testConfig>;
    let h: ReturnType<typeof harness>;

    beforeAll(async () => {
      requireBinary('clamd', 'clamav-daemon');
      requireBinary('mkfifo', 'coreutils');
      data = tempDir('scan-data');
      uploads = join(data, 'uploads');
      mkdirSync(join(uploads, 'deep', 'er'), { recursive: true });
      mkdirSync(join(data, 'rules'));
      writeFileSync(
        join(data, 'rules', 'php.yar'),
        'rule Php_Webshell : webshell { strings: $a = "eval($_POST" condition: $a }\n',
      );
      writeFileSync(join(uploads, 'eicar.com'), EICAR);
      writeFileSync(join(uploads, 'deep', 'shell.php'), '<?php eval($_POST["x"]); ?>');
      for (let i = 0; i < 5; i++)
        writeFileSync(join(uploads, 'deep', 'er', `clean-${i}.txt`), `clean file ${i}\n`);
      writeFileSync(join(uploads, 'to-be-known.bin'), 'harmless today, listed tomorrow\n');
      symlinkSync('/etc/hostname', join(uploads, 'link-out'));
      execFileSync('mkfifo', [join(data, 'a-fifo')]);
      const db = new SignatureDb(join(data, 'clamav', 'db'));
      await db.addHex('Vigil.Test.EICAR', Buffer.from('EICAR-STANDARD-ANTIVIRUS-TEST-FILE').toString('hex'));
      cfg = testConfig({
        paths: [uploads, join(data, 'a-fifo')],
        yara: { rules: [join(data, 'rules')] },
        quarantine: { dir: join(data, 'quarantine') },
        concurrency: 2,
      });
      engines = await buildEngines(cfg, { dataDir: data, log: silentLogger() });
    });
    afterAll(async () => {
      await engines?.close();
      if (data) rmSync(data, { recursive: true, force: true });
    });

    it('first run: infected, clean and error files, findings, alerts, quarantine', async () => {
      h = harness(getStore(), engines, cfg);
      const out = await h.run();
      const by = Object.fromEntries(out.results.map((r) => [r.path.replace(`${data}/`, ''), r.status]));
      expect(by).toEqual({
        'a-fifo': 'error',
        'uploads/eicar.com': 'infected',
        'uploads/deep/shell.php': 'infected',
        'uploads/to-be-known.bin': 'clean',
        ...Object.fromEntries([0, 1, 2, 3, 4].map((i) => [`uploads/deep/er/clean-${i}.txt`, 'clean'])),
      });
      expect(out.results.find((r) => r.path.endsWith('a-fifo'))?.reason).toMatch(
        /not a regular file \(fifo\)/,
      );
      expect(out.skippedSymlinks).toBe(1);
      expect(out.status).toBe('partial');
      expect(out.full).toBe(true);

      const run = await repo.getRun(getStore().db, out.runId);
      expect(run).toMatchObject({ analyzer: 'scanner', status: 'partial', findings: 2 });
      const stored = await repo.listFindings(getStore().db, {});
      expect(stored.map((f) => [f.detector, f.title]).sort()).toEqual([
        ['scanner.clamav', `ClamAV: Vigil.Test.EICAR.UNOFFICIAL in ${join(uploads, 'eicar.com')}`],
        ['scanner.yara', `YARA: Php_Webshell in ${join(uploads, 'deep', 'shell.php')}`],
      ]);
      expect(h.sunk).toHaveLength(2);
      expect(h.alerts.map((a) => a.labels.alertname).sort()).toEqual([
        'VigilMalwareFound',
        'VigilMalwareFound',
        'VigilScanError',
      ]);
      expect(
        h.alerts.find((a) => a.labels.alertname === 'VigilScanError')?.annotations.description,
      ).toContain('a-fifo');

      // Quarantined: gone from uploads, with metadata alongside, restorable byte for byte.
      expect(existsSync(join(uploads, 'eicar.com'))).toBe(false);
      const q = new Quarantine(join(data, 'quarantine'));
      const recs = await q.list();
      expect(recs.map((r) => r.originalPath).sort()).toEqual([
        join(uploads, 'deep', 'shell.php'),
        join(uploads, 'eicar.com'),
      ]);
      const eicarRec = recs.find((r) => r.originalPath.endsWith('eicar.com'))!;
      expect(eicarRec.sha256).toBe(createHash('sha256').update(EICAR).digest('hex'));
      expect(eicarRec.hits.map((x) => x.name)).toEqual(['Vigil.Test.EICAR.UNOFFICIAL']);
      await q.restore(eicarRec.id);
      expect(readFileSync(join(uploads, 'eicar.com'), 'utf8')).toBe(EICAR);
      await expect(q.get(eicarRec.id)).rejects.toThrow(/no quarantined file/);
    });

    it('second run is incremental: unchanged clean files are skipped, the infected one is scanned again', async () => {
      const out = await h.run();
      expect(out.full).toBe(false);
      expect(out.skipped).toBe(6);
      expect(out.results.map((r) => [r.path.replace(`${data}/`, ''), r.status]).sort()).toEqual([
        ['a-fifo', 'error'],
        ['uploads/eicar.com', 'infected'],
      ]);
      // Same file, same signature: the finding is updated, not doubled.
      const stored = await repo.listFindings(getStore().db, { detector: 'scanner.clamav' });
      expect(stored.map((f) => f.count)).toEqual([2]);
    });

    it('a changed file is rescanned; a signature change rescans everything', async () => {
      writeFileSync(join(uploads, 'deep', 'er', 'clean-0.txt'), 'changed content\n');
      const a = await h.run();
      expect(a.skipped).toBe(5);
      expect(a.results.map((r) => r.path).filter((p) => p.includes('clean-'))).toEqual([
        join(uploads, 'deep', 'er', 'clean-0.txt'),
      ]);

      // New hash signature for a file that was clean: `add-hash` then RELOAD, as the CLI does.
      await new SignatureDb(join(data, 'clamav', 'db')).addHash(
        join(uploads, 'to-be-known.bin'),
        'Vigil.Test.Listed',
      );
      await engines.reload();
      const b = await h.run();
      expect(b.skipped).toBe(0);
      expect(b.results.find((r) => r.path.endsWith('to-be-known.bin'))).toMatchObject({
        status: 'infected',
        hits: [{ engine: 'clamav', name: 'Vigil.Test.Listed.UNOFFICIAL' }],
      });
    });

    it('a full rescan is forced when asked (and on the full_rescan schedule)', async () => {
      const out = await h.run({ full: true });
      expect(out.full).toBe(true);
      expect(out.skipped).toBe(0);
    });
  },
  { fresh: 'suite' },
);

describe('signature database (vigil signatures add-*)', () => {
  it.each([
    [
      'addHex with a non-hex body',
      (db: SignatureDb) => db.addHex('Bad.Hex', 'zz-not-hex'),
      /not a ClamAV hex pattern/,
    ],
    ['a name with a colon', (db: SignatureDb) => db.addHex('Bad:Name', '41424344'), /must be letters/],
    [
      'an ldb ClamAV rejects',
      (db: SignatureDb) => db.addLdb('Bad.Ldb;Target:0;0&1&2;41414141'),
      /ClamAV rejects/,
    ],
  ])('%s is refused', async (_name, add, message) => {
    const dir = tempDir('sigdb');
    try {
      await expect(add(new SignatureDb(dir))).rejects.toThrow(message);
      expect(await new SignatureDb(dir).list()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds hash (md5:size:name, as sigtool --md5), hex and logical signatures and lists them', async () => {
    const dir = tempDir('sigdb');
    try {
      const f = join(dir, 'sample.bin');
      writeFileSync(f, 'sample content');
      const db = new SignatureDb(join(dir, 'db'));
      await db.addHash(f, 'Vigil.Sample');
      await db.addHex('Vigil.Hex', '41 42 43 44 ?? 46');
      await db.addLdb('Vigil.Ldb;Engine:51-255,Target:0;0&1;414243;444546');
      const sigtool = execFileSync('sigtool', ['--md5', f])
        .toString()
        .trim()
        .replace(basename(f), 'Vigil.Sample');
      expect((await db.list()).map((e) => [e.kind, e.name, e.line])).toEqual([
        ['hdb', 'Vigil.Sample', sigtool],
        ['ndb', 'Vigil.Hex', 'Vigil.Hex:0:*:41424344??46'],
        ['ldb', 'Vigil.Ldb', 'Vigil.Ldb;Engine:51-255,Target:0;0&1;414243;444546'],
      ]);
      await expect(db.addHex('Vigil.Hex', '41424344')).rejects.toThrow(/already exists/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
