import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createMetricsRegistry,
  openStore,
  silentLogger,
  type Alert,
  type Store,
} from '../../../core/index.js';
import {
  buildEngines,
  ScannerService,
  storeFileIndex,
  scanRunStore,
  type Scanner,
} from '../../../analyzers/scanners/index.js';
import { EICAR, startTestClamd, type TestClamd } from './clamd-fixture.js';
import { harness, repo, tempDir, testConfig } from './run-fixture.js';

const CORPUS = new URL('../../../../shared/corpus/', import.meta.url).pathname;
/** md5 of a certificate in the real Zeek files.log of the corpus (rita-proxy, first record). */
const ZEEK_MD5 = 'd6c6642cd4be96f391726a1e5b8b9695';

describe('scan runs when things break (real clamd, SQLite store)', () => {
  let store: Store;
  let dir: string;
  let clamd: TestClamd | undefined;
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    dir = tempDir('scan-fail');
    mkdirSync(join(dir, 'files'));
    for (let i = 0; i < 6; i++) writeFileSync(join(dir, 'files', `f${i}.txt`), `file ${i}\n`);
  });
  afterEach(async () => {
    await clamd?.stop();
    clamd = undefined;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('clamd killed in the middle of a run: later files are error, the run is partial, an alert goes out', async () => {
    clamd = await startTestClamd();
    const cfg = testConfig({
      paths: [join(dir, 'files')],
      concurrency: 1,
      clamav: { manage: false, socket: clamd.socket, mode: 'scan' },
    });
    const engines = await buildEngines(cfg, { dataDir: dir, log: silentLogger() });
    const real = engines.scanners[0]!;
    let calls = 0;
    const c = clamd;
    // After the first file's verdict, kill clamd for real; every later file meets a dead socket.
    const killing: Scanner = {
      name: real.name,
      // Fixed: the real one asks the (then dead) clamd for VERSION, which alone forces a rescan.
      fingerprint: async () => 'db-v1',
      async scan(file, signal) {
        const v = await real.scan(file, signal);
        if (++calls === 1) {
          const gone = new Promise((r) => c.child.once('exit', r));
          c.child.kill('SIGKILL');
          await gone;
        }
        return v;
      },
    };
    const h = harness(store, { ...engines, scanners: [killing], preflight: async () => undefined }, cfg);
    const out = await h.run();
    expect(out.results.map((r) => r.status)).toEqual(['clean', 'error', 'error', 'error', 'error', 'error']);
    expect(out.results[1]?.reason).toMatch(/clamav: clamd socket .*(ENOENT|ECONNREFUSED)/);
    expect(out.status).toBe('partial');
    expect((await repo.getRun(store.db, out.runId))?.status).toBe('partial');
    expect(h.alerts).toEqual([
      expect.objectContaining({
        labels: expect.objectContaining({ alertname: 'VigilScanError', severity: 'warning' }),
      }) as Alert,
    ]);
    // Only the file that got a verdict is remembered as clean.
    const next = await h.run();
    expect(next.skipped).toBe(1);
    expect(next.results.every((r) => r.status === 'error')).toBe(true);
  });

  it('clamd down before the run: failed, every file error, a critical alert', async () => {
    clamd = await startTestClamd();
    const cfg = testConfig({ paths: [join(dir, 'files')], clamav: { manage: false, socket: clamd.socket } });
    const engines = await buildEngines(cfg, { dataDir: dir, log: silentLogger() });
    await clamd.stop();
    clamd = undefined;
    const h = harness(store, engines, cfg);
    const out = await h.run();
    expect(out.status).toBe('failed');
    expect(out.runErrors[0]).toMatch(/clamd is not answering/);
    expect(out.results.filter((r) => r.status !== 'error')).toEqual([]);
    expect(h.alerts.map((a) => [a.labels.alertname, a.labels.severity])).toEqual([
      ['VigilScanError', 'critical'],
    ]);
  });

  it('YARA only (--no-clamav style) still never calls an unreadable file clean', async () => {
    mkdirSync(join(dir, 'rules'));
    writeFileSync(
      join(dir, 'rules', 'r.yar'),
      'rule Eicar_Yara { strings: $e = "EICAR-STANDARD" condition: $e }\n',
    );
    writeFileSync(join(dir, 'files', 'eicar.txt'), EICAR);
    const cfg = testConfig({
      paths: [join(dir, 'files'), join(dir, 'missing-folder')],
      clamav: { enabled: false },
      yara: { rules: [join(dir, 'rules')] },
    });
    const engines = await buildEngines(cfg, { dataDir: dir, log: silentLogger() });
    const out = await harness(store, engines, cfg).run();
    expect(out.results.find((r) => r.path.endsWith('missing-folder'))).toMatchObject({
      status: 'error',
      reason: expect.stringMatching(/cannot list: .*ENOENT/),
    });
    expect(out.results.find((r) => r.path.endsWith('eicar.txt'))).toMatchObject({
      status: 'infected',
      hits: [{ engine: 'yara', name: 'Eicar_Yara' }],
    });
    expect(out.status).toBe('partial');
  });

  it('files seen by Zeek (files.log) and Suricata (fileinfo) match the hash lists once, resumed by checkpoint', async () => {
    const eve = join(dir, 'eve.json');
    const sha = 'a'.repeat(64);
    writeFileSync(
      eve,
      `${JSON.stringify({ timestamp: '2026-11-21T10:00:00.000000+0000', event_type: 'fileinfo', src_ip: '198.51.100.7', dest_ip: '10.0.0.5', fileinfo: { filename: 'evil.exe', sha256: sha, size: 10 } })}\n`,
    );
    const lists = join(dir, 'bad.txt');
    writeFileSync(lists, `# test list\n${ZEEK_MD5} Known.Cert.From.Corpus\n${sha},Evil.Exe\n`);
    const cfg = testConfig({
      paths: [join(dir, 'files')],
      clamav: { enabled: false },
      hash_lists: [lists],
      file_logs: [join(CORPUS, 'zeek-tsv/rita-proxy/files.log'), eve],
    });
    const engines = await buildEngines(cfg, { dataDir: dir, log: silentLogger() });
    const h = harness(store, engines, cfg);
    const first = await h.run();
    expect(first.status).toBe('ok');
    const found = (await repo.listFindings(store.db, { detector: 'scanner.hash-list' })).map((f) => [
      f.title,
      f.src,
      f.dst,
      f.count,
    ]);
    expect(found.sort()).toEqual([
      ['Hash list: Evil.Exe transferred as evil.exe (seen by suricata)', '198.51.100.7', '10.0.0.5', 1],
      ['Hash list: Known.Cert.From.Corpus transferred (seen by zeek)', '151.101.1.69', '192.168.0.15', 1],
    ]);
    const run = await repo.getRun(store.db, first.runId);
    expect(run?.inputs.find((i) => i.path.endsWith('files.log'))).toMatchObject({
      fromOffset: 0,
      records: 194,
      badRecords: 0,
    });

    // Second run: nothing new in the logs, nothing re-counted. Then one more Suricata record.
    await h.run();
    appendFileSync(
      eve,
      `${JSON.stringify({ timestamp: '2026-11-21T11:00:00.000000+0000', event_type: 'fileinfo', src_ip: '198.51.100.8', dest_ip: '10.0.0.6', fileinfo: { filename: 'again.exe', sha256: sha } })}\n`,
    );
    const third = await h.run();
    const counts = (await repo.listFindings(store.db, { detector: 'scanner.hash-list' })).map((f) => f.count);
    expect(counts).toEqual([1, 1, 1]);
    const eveInput = (await repo.getRun(store.db, third.runId))?.inputs.find((i) => i.path === eve);
    expect(eveInput?.fromOffset).toBeGreaterThan(0);
    expect(eveInput?.records).toBe(1);
  });
});

describe('scheduled scanner service', () => {
  it('fires one dead-man alert when no run finished within the longest gap plus grace', async () => {
    const store = await openStore('sqlite::memory:');
    const dir = tempDir('scan-svc');
    try {
      mkdirSync(join(dir, 'rules'));
      writeFileSync(join(dir, 'rules', 'r.yar'), 'rule R { strings: $a = "x" condition: $a }\n');
      const cfg = testConfig({
        paths: [dir],
        clamav: { enabled: false },
        yara: { rules: [join(dir, 'rules')] },
        schedule: '0 */6 * * *',
        grace: '30m',
      });
      let now = Date.parse('2026-11-21T00:10:00Z');
      const alerts: Alert[] = [];
      const metrics = createMetricsRegistry();
      const runs = scanRunStore(store.db, repo);
      const svc = new ScannerService({
        config: cfg,
        timezone: 'UTC',
        dataDir: dir,
        log: silentLogger(),
        clock: { now: () => now },
        store: runs,
        index: storeFileIndex(store.db),
        alerts: async (a) => void alerts.push(...a),
        findings: async () => undefined,
        lastFinishedAt: () => runs.lastFinishedAt('scanner'),
        metrics,
      });
      await svc.start();
      try {
        now += 6 * 3600_000; // 06:10: the 06:00 run is only 10 min late, within grace
        expect(await svc.checkDeadman()).toBe(false);
        now += 3600_000; // 07:10: 6 h gap + 30 min grace passed since the service started (00:10)
        expect(await svc.checkDeadman()).toBe(true);
        expect(await svc.checkDeadman()).toBe(false); // once, not every minute
        expect(alerts.map((a) => a.labels.alertname)).toEqual(['VigilScanMissed']);
        // Kept alive while overdue: re-sent a minute on with endsAt ahead, never left to lapse.
        now += 60_000;
        expect(await svc.checkDeadman()).toBe(false);
        expect(alerts).toHaveLength(2);
        expect(alerts[1]!.startsAt).toBe(alerts[0]!.startsAt);
        expect(Date.parse(alerts[1]!.endsAt!)).toBeGreaterThan(Date.parse(alerts[0]!.endsAt!));
        expect(Date.parse(alerts[1]!.endsAt!)).toBeGreaterThan(now);
        const out = await svc.runNow();
        expect(out.status).toBe('ok');
        expect(await metrics.getSingleMetricAsString('vigil_scan_runs_total')).toContain(
          'vigil_scan_runs_total{status="ok"} 1',
        );
        expect(await svc.checkDeadman()).toBe(false); // a run just finished
        // ...and the dead-man alert is resolved explicitly, once.
        const missed = alerts.filter((a) => a.labels.alertname === 'VigilScanMissed');
        expect(missed).toHaveLength(3);
        expect(Date.parse(missed[2]!.endsAt!)).toBeLessThanOrEqual(now);
        expect(await svc.checkDeadman()).toBe(false);
        expect(alerts.filter((a) => a.labels.alertname === 'VigilScanMissed')).toHaveLength(3);
      } finally {
        await svc.stop(5000);
      }
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
