import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createMetricsRegistry,
  listRuns,
  openStore,
  silentLogger,
  systemClock,
  type Alert,
  type Finding,
  type Store,
} from '../../../core/index.js';
import { SignatureDb, ScannerService, scannersSchema } from '../../../analyzers/scanners/index.js';
import { wireScanners } from '../../../app/wire/scanners.js';
import type { LoadedConfig } from '../../../app/wire/types.js';
import { EICAR, requireBinary } from './clamd-fixture.js';
import { tempDir } from './run-fixture.js';

describe('wireScanners (vigil start)', () => {
  let store: Store;
  let dir: string;
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    dir = tempDir('scan-wire');
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ctx = (config: Record<string, unknown>, alerts: Alert[], findings: Finding[]) => ({
    log: silentLogger(),
    metrics: createMetricsRegistry(),
    store,
    clock: systemClock,
    dataDir: join(dir, 'data'),
    config: { ...config, __file: join(dir, 'vigil.yaml') } as LoadedConfig,
    sinks: {
      alerts: async (a: Alert[]) => void alerts.push(...a),
      probeResults: async () => undefined,
      findings: async (f: Finding[]) => void findings.push(...f),
    },
  });

  it('without a scanners key nothing runs', async () => {
    expect(await wireScanners(ctx({}, [], []))).toEqual({ components: [] });
  });

  it('starts a managed clamd, runs a recorded scan, hands findings and alerts on, stops clamd', async () => {
    requireBinary('clamd', 'clamav-daemon');
    mkdirSync(join(dir, 'uploads'));
    writeFileSync(join(dir, 'uploads', 'eicar.com'), EICAR);
    writeFileSync(join(dir, 'uploads', 'ok.txt'), 'fine\n');
    await new SignatureDb(join(dir, 'data', 'clamav', 'db')).addHex(
      'Vigil.Wire.EICAR',
      Buffer.from('EICAR-STANDARD').toString('hex'),
    );
    const alerts: Alert[] = [];
    const findings: Finding[] = [];
    const scanners = scannersSchema.parse({
      paths: [join(dir, 'uploads')],
      schedule: '0 */4 * * *',
      clamav: { system_database_dir: false },
    });
    const wiring = await wireScanners(ctx({ timezone: 'UTC', scanners }, alerts, findings));
    const svc = wiring.components[0] as ScannerService;
    expect(svc.name).toBe('scanners');
    await svc.start();
    try {
      expect(svc.ready()).toBe(true);
      const out = await svc.runNow();
      expect(out.status).toBe('ok');
      expect(findings.map((f) => f.title)).toEqual([
        `ClamAV: Vigil.Wire.EICAR.UNOFFICIAL in ${join(dir, 'uploads', 'eicar.com')}`,
      ]);
      expect(alerts.map((a) => a.labels.alertname)).toEqual(['VigilMalwareFound']);
      expect((await listRuns(store.db, { analyzer: 'scanner' })).map((r) => r.status)).toEqual(['ok']);
    } finally {
      await svc.stop(5000);
    }
    // Restarted: the malware alert is re-sent at once (from the store), not left to lapse at the
    // router until the next scheduled run finds the file again.
    alerts.length = 0;
    const again = (await wireScanners(ctx({ timezone: 'UTC', scanners }, alerts, findings)))
      .components[0] as ScannerService;
    await again.start();
    try {
      expect(alerts.map((a) => [a.labels.alertname, a.labels.path])).toEqual([
        ['VigilMalwareFound', join(dir, 'uploads', 'eicar.com')],
      ]);
      expect(Date.parse(alerts[0]!.endsAt!)).toBeGreaterThan(Date.now());
      // The file is removed; the next run resolves the alert.
      rmSync(join(dir, 'uploads', 'eicar.com'));
      alerts.length = 0;
      expect((await again.runNow()).status).toBe('ok');
      expect(alerts.map((a) => [a.labels.alertname, Date.parse(a.endsAt!) <= Date.now()])).toEqual([
        ['VigilMalwareFound', true],
      ]);
    } finally {
      await again.stop(5000);
    }
  });
});
