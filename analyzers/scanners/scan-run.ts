import { createHash } from 'node:crypto';
import {
  errorMessage,
  type AlertSink,
  type AnalysisInput,
  type Clock,
  type Finding,
  type FindingSink,
  type Logger,
  type Severity,
} from '../../core/index.js';
import { collectFiles, type FileSetOptions } from './file-set.js';
import { scanFiles, problemResult } from './scan-files.js';
import { findingsFromResult, infectedAlert, scanErrorAlert, type ScanFinding } from './findings.js';
import { scanFileLogs } from './file-log-scan.js';
import type { FileIndex } from './file-index.js';
import type { HashLists } from './hash-lists.js';
import type { Quarantine } from './quarantine.js';
import type { FileFacts, FileScanResult, Scanner } from './types.js';

/** The slice of the shared analysis-run repository (core/store analysis-runs) a scan run needs. */
export interface ScanRunStore {
  createRun(opts: { analyzer: string; scheduledFor: Date }): Promise<{ id: string }>;
  finishRun(
    id: string,
    opts: { status: 'ok' | 'partial' | 'failed'; inputs: AnalysisInput[]; summary: Record<string, unknown> },
  ): Promise<unknown>;
  /** Findings and the log checkpoints they were read up to, in ONE transaction (core `commitAnalysis`). */
  commitAnalysis(
    runId: string,
    batch: { findings: ScanFinding[]; checkpoints: LogCheckpoint[] },
  ): Promise<{ inserted: number; updated: number; findings: Finding[] }>;
  getCheckpoint(
    analyzer: string,
    inputKey: string,
  ): Promise<{ offset: number; dev?: string; ino?: string } | undefined>;
}

/** Where a file log was read up to (core store `Checkpoint`). */
export interface LogCheckpoint {
  analyzer: string;
  inputKey: string;
  path: string;
  dev?: string;
  ino?: string;
  offset: number;
}

export interface ScanRunDeps {
  analyzer?: string;
  scanners: Scanner[];
  fileSet: FileSetOptions;
  index: FileIndex;
  fullRescanMs: number;
  concurrency: number;
  severity: Severity;
  store?: ScanRunStore;
  alerts?: AlertSink;
  findings?: FindingSink;
  quarantine?: Quarantine;
  hashLists?: HashLists;
  fileLogs?: string[];
  /** Checks an engine is up before the run (clamd PING); a message means it is not. */
  preflight?: () => Promise<string | undefined>;
  log: Logger;
  clock: Clock;
}

export interface ScanRunOutcome {
  runId: string;
  status: 'ok' | 'partial' | 'failed';
  full: boolean;
  results: FileScanResult[];
  skipped: number;
  skippedSymlinks: number;
  /** Problems with the run as a whole (an engine down, a log unreadable). */
  runErrors: string[];
  findings: ScanFinding[];
  summary: Record<string, unknown>;
}

const LAST_FULL = 'last_full_at';

/**
 * One scan run: list the files, skip those unchanged since they were found clean under the same
 * signatures (unless a full rescan is due), scan the rest with every engine, quarantine hits,
 * match IDS file logs against the hash lists, store the findings, record the run and alert on
 * errors. Status: `ok` only when every file got a verdict from every engine; `failed` when an
 * engine was down or no file could be scanned; `partial` otherwise.
 */
export async function runScan(
  deps: ScanRunDeps,
  opts: { scheduledFor?: Date; full?: boolean; signal?: AbortSignal } = {},
): Promise<ScanRunOutcome> {
  const analyzer = deps.analyzer ?? 'scanner';
  const now = deps.clock.now();
  const at = new Date(now).toISOString();
  const run = deps.store
    ? await deps.store.createRun({ analyzer, scheduledFor: opts.scheduledFor ?? new Date(now) })
    : { id: `adhoc-${now}` };
  const log = deps.log.child({ runId: run.id });
  const runErrors: string[] = [];
  let fatal = false;

  const preflight = await deps.preflight?.().catch((err: unknown) => errorMessage(err));
  if (preflight) {
    runErrors.push(preflight);
    fatal = true;
  }
  const fingerprint = await combinedFingerprint(deps.scanners);
  const lastFull = Number((await deps.index.get(LAST_FULL)) ?? 0);
  const full = opts.full === true || now - lastFull >= deps.fullRescanMs;

  const set = await collectFiles(deps.fileSet);
  const toScan: FileFacts[] = [];
  let skipped = 0;
  for (const f of set.files) {
    if (!full && (await deps.index.isUnchangedClean(f, fingerprint))) skipped++;
    else toScan.push(f);
  }
  const results: FileScanResult[] = set.problems.map(problemResult);
  results.push(
    ...(await scanFiles(toScan, deps.scanners, {
      concurrency: deps.concurrency,
      ...(opts.signal ? { signal: opts.signal } : {}),
    })),
  );

  const byPath = new Map(toScan.map((f) => [f.path, f]));
  await deps.index.markClean(
    results
      .filter((r) => r.status === 'clean')
      .map((r) => byPath.get(r.path)!)
      .filter(Boolean),
    fingerprint,
    now,
  );
  await deps.index.forget(results.filter((r) => r.status !== 'clean').map((r) => r.path));

  if (deps.quarantine) {
    for (const r of results.filter((x) => x.status === 'infected')) {
      try {
        // Only the very file that was listed and scanned (dev/ino), never a link swapped in since.
        const scanned = byPath.get(r.path);
        r.quarantineId = (
          await deps.quarantine.put(r.path, r.hits, { runId: run.id, ...(scanned ? { scanned } : {}) })
        ).id;
      } catch (err) {
        runErrors.push(`quarantine of ${r.path} failed: ${errorMessage(err)}`);
      }
    }
  }

  const findings = results.flatMap((r) => findingsFromResult(r, at, deps.severity));
  const inputs: AnalysisInput[] = [manifestInput(deps.fileSet.paths, results, skipped)];
  const checkpoints: LogCheckpoint[] = [];
  if (deps.hashLists && deps.fileLogs?.length) {
    const logs = await scanFileLogs(deps.fileLogs, deps.hashLists, {
      analyzer,
      severity: deps.severity,
      ...(deps.store ? { store: deps.store } : {}),
    });
    findings.push(...logs.findings);
    inputs.push(...logs.inputs);
    checkpoints.push(...logs.checkpoints);
    runErrors.push(...logs.errors);
  }

  const errors = results.filter((r) => r.status === 'error');
  const status: ScanRunOutcome['status'] =
    fatal || (results.length > 0 && errors.length === results.length)
      ? 'failed'
      : errors.length > 0 || runErrors.length > 0
        ? 'partial'
        : 'ok';
  const summary: Record<string, unknown> = {
    full,
    fingerprint,
    files: set.files.length + set.problems.length,
    scanned: toScan.length,
    skipped,
    skippedSymlinks: set.skippedSymlinks.length,
    clean: results.filter((r) => r.status === 'clean').length,
    infected: results.filter((r) => r.status === 'infected').length,
    errors: errors.length,
    engines: deps.scanners.map((s) => s.name),
    runErrors,
    errorFiles: errors.slice(0, 50).map((e) => ({ path: e.path, reason: e.reason })),
  };

  if (deps.store) {
    const stored = await deps.store.commitAnalysis(run.id, { findings, checkpoints });
    if (stored.findings.length > 0 && deps.findings) await deps.findings(stored.findings);
    await deps.store.finishRun(run.id, { status, inputs, summary });
  }
  if (full && !fatal) await deps.index.set(LAST_FULL, String(now), now);

  const alerts = results.filter((r) => r.status === 'infected').map((r) => infectedAlert(r, run.id, at));
  if (status !== 'ok') {
    const failedFiles =
      errors.length > 0
        ? errors
        : runErrors.map((e) => ({
            path: '(run)',
            status: 'error' as const,
            reason: e,
            hits: [],
            engines: {},
          }));
    alerts.push(scanErrorAlert({ id: run.id, status }, failedFiles, at));
  }
  // Sent even when empty: no alert from this run says the last run's alerts have cleared.
  if (deps.alerts) {
    await deps
      .alerts(alerts)
      .catch((err: unknown) => log.error({ err: errorMessage(err) }, 'alert sink failed'));
  }
  log.info({ status, ...summary, errorFiles: undefined }, 'scan run finished');
  return {
    runId: run.id,
    status,
    full,
    results,
    skipped,
    skippedSymlinks: set.skippedSymlinks.length,
    runErrors,
    findings,
    summary,
  };
}

async function combinedFingerprint(scanners: Scanner[]): Promise<string> {
  const h = createHash('sha256');
  for (const s of scanners)
    h.update(s.name)
      .update('\0')
      .update(await s.fingerprint())
      .update('\0');
  return h.digest('hex');
}

/** The scanned paths as one run input: a SHA-256 over every file's verdict, so the record is checkable. */
function manifestInput(paths: string[], results: FileScanResult[], skipped: number): AnalysisInput {
  const h = createHash('sha256');
  for (const r of [...results].sort((a, b) => a.path.localeCompare(b.path)))
    h.update(`${r.path}\0${r.size ?? ''}\0${r.status}\n`);
  return {
    path: paths.join(','),
    sha256: h.digest('hex'),
    fromOffset: 0,
    toOffset: results.length + skipped,
    records: results.length,
    badRecords: results.filter((r) => r.status === 'error').length,
  };
}
