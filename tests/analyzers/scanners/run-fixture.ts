import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  commitAnalysis,
  createRun,
  finishRun,
  getCheckpoint,
  getRun,
  lastFinishedRun,
  listFindings,
  silentLogger,
  systemClock,
  type Alert,
  type Finding,
  type Store,
} from '../../../core/index.js';
import {
  Quarantine,
  runScan,
  scanRunStore,
  scannersSchema,
  storeFileIndex,
  type ScanRunDeps,
  type ScanEngines,
  type ScannersConfig,
} from '../../../analyzers/scanners/index.js';

/** The shared run/finding repository (core/store/analysis-runs.ts), as the scanners use it. */
export const repo = {
  createRun,
  finishRun,
  commitAnalysis,
  getCheckpoint,
  lastFinishedRun,
  getRun,
  listFindings,
};

/**
 * A parsed `scanners:` config for a test, with the given overrides. The machine's freshclam
 * database is left out unless a test names one, so results do not depend on what it holds.
 */
export function testConfig(raw: Record<string, unknown>): ScannersConfig {
  const clamav = {
    system_database_dir: false,
    ...((raw.clamav as Record<string, unknown> | undefined) ?? {}),
  };
  return scannersSchema.parse({ ...raw, clamav });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `vigil-${prefix}-`));
}

/** Everything a test needs to run scans against one store and see the alerts and findings. */
export function harness(store: Store, engines: ScanEngines, cfg: ScannersConfig) {
  const alerts: Alert[] = [];
  const sunk: Finding[] = [];
  const runs = scanRunStore(store.db, repo);
  const deps: ScanRunDeps = {
    scanners: engines.scanners,
    fileSet: {
      paths: cfg.paths,
      exclude: cfg.exclude,
      followSymlinks: cfg.follow_symlinks,
      maxFileSize: cfg.max_file_size,
    },
    index: storeFileIndex(store.db),
    fullRescanMs: cfg.full_rescan,
    concurrency: cfg.concurrency,
    severity: cfg.severity,
    store: runs,
    alerts: async (a) => void alerts.push(...a),
    findings: async (f) => void sunk.push(...f),
    ...(engines.hashLists ? { hashLists: engines.hashLists } : {}),
    ...(cfg.quarantine ? { quarantine: new Quarantine(cfg.quarantine.dir) } : {}),
    fileLogs: cfg.file_logs,
    preflight: () => engines.preflight(),
    log: silentLogger(),
    clock: systemClock,
  };
  return { alerts, sunk, runs, deps, run: (o: { full?: boolean } = {}) => runScan(deps, o) };
}
