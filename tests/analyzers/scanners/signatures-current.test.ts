import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, silentLogger, type Alert, type Store } from '../../../core/index.js';
import { ScannerService, SignatureDb, scannersSchema } from '../../../analyzers/scanners/index.js';
import { officialDatabaseBuiltAt } from '../../../analyzers/scanners/clamav-db.js';
import { signatureProblem } from '../../../analyzers/scanners/signature-age.js';
import type { ClamdClient, ManagedClamd } from '../../../analyzers/scanners/index.js';
import { wireScanners } from '../../../app/wire/scanners.js';
import type { LoadedConfig } from '../../../app/wire/types.js';
import { requireBinary } from './clamd-fixture.js';
import { tempDir } from './run-fixture.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-06T03:00:00Z');

/** A file that starts with a CVD header as freshclam writes it (clamav's cvd.c: 512 bytes, stime last). */
function cvd(file: string, builtAt: number): void {
  const header = `ClamAV-VDB:06 Dec 2026 03-00 +0000:27480:2070000:90:0123456789abcdef:sig:builder:${Math.floor(builtAt / 1000)}`;
  writeFileSync(file, Buffer.concat([Buffer.from(header.padEnd(512, ' ')), Buffer.alloc(64)]));
}

const clamav = (over: Record<string, unknown>) =>
  scannersSchema.parse({ paths: ['/x'], clamav: over }).clamav;
const managed = {
  database: { dir: '', official: [], own: ['test.ndb'], builtinOnly: false },
} as unknown as ManagedClamd;

describe('ClamAV signatures kept current (PCI DSS 5.3.1)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('sig-age');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads when freshclam's newest file was built from its header, else its mtime", async () => {
    cvd(join(dir, 'main.cvd'), NOW - 90 * DAY);
    cvd(join(dir, 'daily.cld'), NOW - 2 * DAY);
    expect(await officialDatabaseBuiltAt(dir)).toBe(Math.floor((NOW - 2 * DAY) / 1000) * 1000);
    writeFileSync(join(dir, 'bytecode.cvd'), 'no header here');
    utimesSync(join(dir, 'bytecode.cvd'), new Date(NOW - DAY), new Date(NOW - DAY));
    expect(await officialDatabaseBuiltAt(dir)).toBe(NOW - DAY);
    expect(await officialDatabaseBuiltAt(join(dir, 'missing'))).toBeUndefined();
  });

  it('names a database older than max_signature_age, a missing one, and accepts a current one', async () => {
    cvd(join(dir, 'daily.cld'), NOW - 8 * DAY);
    expect(await signatureProblem(clamav({ system_database_dir: dir }), { managed }, NOW)).toBe(
      `the ClamAV database in ${dir} was built 2026-11-28T03:00:00.000Z, more than 7d ago (clamav.max_signature_age); check freshclam`,
    );
    expect(
      await signatureProblem(
        clamav({ system_database_dir: dir, max_signature_age: '10d' }),
        { managed },
        NOW,
      ),
    ).toBeUndefined();
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(await signatureProblem(clamav({ system_database_dir: empty }), { managed }, NOW)).toBe(
      `no official ClamAV database in ${empty} (run freshclam); clamd scans with vigil's own signatures only`,
    );
    expect(await signatureProblem(clamav({ system_database_dir: false }), { managed }, NOW)).toBeUndefined();
  });

  it('judges an external clamd by the database date in its VERSION', async () => {
    const clamd = (v: string) => ({ version: async () => v }) as unknown as ClamdClient;
    const cfg = clamav({ manage: false, socket: '/run/clamd.ctl' });
    expect(
      await signatureProblem(cfg, { clamd: clamd('ClamAV 1.0.7/27480/Thu Dec  3 08:27:01 2026\n') }, NOW),
    ).toBeUndefined();
    expect(
      await signatureProblem(cfg, { clamd: clamd('ClamAV 1.0.7/27400/Sat Nov 14 08:27:01 2026') }, NOW),
    ).toMatch(/^clamd's database is from 2026-11-14T\d\d:27:01.000Z, more than 7d ago/);
  });

  describe('vigil start (a real managed clamd)', () => {
    let store: Store;
    beforeEach(async () => {
      requireBinary('clamd', 'clamav-daemon');
      store = await openStore('sqlite::memory:');
    });
    afterEach(async () => store.close());

    const start = async (clamavCfg: Record<string, unknown>, alerts: Alert[]): Promise<ScannerService> => {
      const scanners = scannersSchema.parse({ paths: [dir], schedule: '0 */4 * * *', clamav: clamavCfg });
      const { components } = await wireScanners({
        log: silentLogger(),
        store,
        clock: { now: () => NOW },
        dataDir: join(dir, 'data'),
        config: { timezone: 'UTC', scanners, __file: join(dir, 'vigil.yaml') } as unknown as LoadedConfig,
        sinks: {
          alerts: async (a: Alert[]) => void alerts.push(...a),
          probeResults: async () => undefined,
          findings: async () => undefined,
        },
      } as unknown as Parameters<typeof wireScanners>[0]);
      const svc = components[0] as ScannerService;
      await svc.start();
      return svc;
    };

    it('starts on a fresh data dir with no signature anywhere, and raises VigilClamavSignaturesStale once', async () => {
      const empty = join(dir, 'freshclam');
      mkdirSync(empty);
      const alerts: Alert[] = [];
      const svc = await start({ system_database_dir: empty }, alerts);
      try {
        expect(svc.ready()).toBe(true);
        expect(await svc.checkSignatures()).toMatch(
          /^ClamAV has no virus signatures: .* only the built-in EICAR test signature is loaded/,
        );
        expect(alerts.map((a) => [a.labels.alertname, a.labels.severity])).toEqual([
          ['VigilClamavSignaturesStale', 'warning'],
        ]);
        expect(alerts[0]!.annotations.summary).toContain(empty);
      } finally {
        await svc.stop(5000);
      }
    });

    it("with vigil's own signatures but no official database it still alerts, naming freshclam", async () => {
      const empty = join(dir, 'freshclam');
      mkdirSync(empty);
      await new SignatureDb(join(dir, 'data', 'clamav', 'db')).addHex(
        'Vigil.Own',
        Buffer.from('vigil own sig').toString('hex'),
      );
      const alerts: Alert[] = [];
      const svc = await start({ system_database_dir: empty }, alerts);
      try {
        expect(alerts.map((a) => a.annotations.summary)).toEqual([
          `no official ClamAV database in ${empty} (run freshclam); clamd scans with vigil's own signatures only`,
        ]);
      } finally {
        await svc.stop(5000);
      }
    });
  });
});
