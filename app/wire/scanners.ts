import type { Kysely } from 'kysely';
import {
  commitAnalysis,
  createRun,
  finishRun,
  firingAlertsStore,
  getCheckpoint,
  lastFinishedRun,
} from '../../core/index.js';
import {
  ScannerService,
  scanRunStore,
  storeFileIndex,
  type ScannerDb,
  type ScannersConfig,
} from '../../analyzers/index.js';
import type { DomainWiring, WireContext } from './types.js';

/**
 * Wires virus and content scanning into `vigil start`: one component that starts the engines (a
 * managed clamd under `<data>/clamav` when `clamav.manage`), runs scans on `scanners.schedule`,
 * records runs and findings in the shared analysis-run repository (analyzer `scanner`), hands new
 * findings to `ctx.sinks.findings` and alerts (infected file, scan error, clamd down, missed run)
 * to `ctx.sinks.alerts`. Without a `scanners` key nothing runs.
 */
export async function wireScanners(ctx: WireContext): Promise<DomainWiring> {
  const config = ctx.config.scanners as ScannersConfig | undefined;
  if (!config) return { components: [] };
  const runs = scanRunStore(ctx.store.db, {
    createRun,
    finishRun,
    commitAnalysis,
    getCheckpoint,
    lastFinishedRun,
  });
  const service = new ScannerService({
    config,
    ...(typeof ctx.config.timezone === 'string' ? { timezone: ctx.config.timezone } : {}),
    dataDir: ctx.dataDir,
    log: ctx.log,
    clock: ctx.clock,
    store: runs,
    index: storeFileIndex(ctx.store.db as Kysely<ScannerDb>),
    alerts: ctx.sinks.alerts,
    findings: ctx.sinks.findings,
    lastFinishedAt: () => runs.lastFinishedAt('scanner'),
    metrics: ctx.metrics,
    firingStore: firingAlertsStore(ctx.store.db, 'scanners'),
  });
  return { components: [service] };
}
