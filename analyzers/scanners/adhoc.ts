import { mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { VigilError, systemClock, type Logger } from '../../core/index.js';
import { ClamdClient } from './clamd-client.js';
import { ManagedClamd } from './clamd-manager.js';
import { buildEngines, databaseDirOf, systemDatabaseDirOf, type BuildEnginesOptions } from './engines.js';
import { databaseFiles } from './clamav-db.js';
import { memoryFileIndex } from './file-index.js';
import { Quarantine, quarantineKeyFile } from './quarantine.js';
import { SignatureDb } from './signature-db.js';
import { runScan, type ScanRunOutcome } from './scan-run.js';
import type { ScannersConfig } from './config.js';

export interface AdhocScanOptions {
  config: ScannersConfig;
  dataDir: string;
  log: Logger;
  clamdSocket?: string;
  noClamav?: boolean;
  quarantineDir?: string;
}

export interface AdhocScanResult {
  outcome: ScanRunOutcome;
  engines: string[];
  /** Which clamd was used, or why none: printed so a YARA-only scan never passes for a full one. */
  clamav: string;
}

/**
 * `vigil scan PATH…` without a running vigil: ClamAV through `--clamd-socket`, the configured
 * socket, the running managed clamd (its socket in the data dir answers PING), or else a
 * temporary clamd on the managed database, stopped afterwards; `--no-clamav` scans with YARA and
 * hash lists only. Every file is scanned (no incremental skip); nothing is stored.
 */
export async function adhocScan(opts: AdhocScanOptions): Promise<AdhocScanResult> {
  const cfg = opts.config;
  let temp: { clamd: ManagedClamd; dir: string } | undefined;
  const build: BuildEnginesOptions = { dataDir: opts.dataDir, log: opts.log };
  let clamav: string;
  if (opts.noClamav || !cfg.clamav.enabled) {
    build.noClamav = true;
    clamav = opts.noClamav
      ? 'not used (--no-clamav): YARA and hash lists only'
      : 'not used (scanners.clamav.enabled: false)';
  } else if (opts.clamdSocket ?? (cfg.clamav.manage ? undefined : cfg.clamav.socket)) {
    build.clamdSocket = (opts.clamdSocket ?? cfg.clamav.socket)!;
    clamav = `clamd at ${build.clamdSocket}`;
  } else {
    const running = join(resolve(opts.dataDir), 'clamav', 'clamd.sock');
    build.managedDatabase = true;
    build.clamdMode = 'scan';
    if (await new ClamdClient({ socket: running, timeoutMs: 2000 }).ping().catch(() => false)) {
      build.clamdSocket = running;
      clamav = `vigil's running clamd at ${running}`;
    } else {
      const dbDir = databaseDirOf(cfg, opts.dataDir);
      const systemDir = systemDatabaseDirOf(cfg);
      // A scan on no signature at all would call every file clean: refuse it (never "clean" on error).
      if (
        !(await new SignatureDb(dbDir).hasSignatures()) &&
        (await databaseFiles(systemDir ?? '')).length === 0
      ) {
        throw new VigilError(
          'SCN_NO_SIGNATURES',
          `no ClamAV signatures: ${systemDir ? `${systemDir} holds no official database (run freshclam) and ` : ''}${dbDir} holds none of vigil's own (add some with "vigil signatures add-hash|add-hex|add-ldb"); or scan with --clamd-socket or --no-clamav`,
        );
      }
      const dir = await mkdtemp(join(tmpdir(), 'vigil-clamd-'));
      const clamd = new ManagedClamd({
        dir,
        databaseDir: dbDir,
        systemDatabaseDir: systemDir,
        maxFileSize: cfg.max_file_size,
        startTimeoutMs: cfg.clamav.start_timeout,
        log: opts.log,
      });
      temp = { clamd, dir };
      await clamd.start().catch(async (err: unknown) => {
        await rm(dir, { recursive: true, force: true });
        throw err;
      });
      build.clamdSocket = clamd.socket;
      clamav = `temporary clamd on ${systemDir ? `${systemDir} and ` : ''}${dbDir}`;
    }
  }
  try {
    const engines = await buildEngines(cfg, build);
    if (engines.scanners.length === 0)
      throw new VigilError(
        'SCN_NO_ENGINE',
        'no scanning engine: ClamAV is off and no YARA rules or hash lists are configured',
      );
    const outcome = await runScan({
      analyzer: 'scanner.adhoc',
      scanners: engines.scanners,
      fileSet: {
        paths: cfg.paths,
        exclude: cfg.exclude,
        followSymlinks: cfg.follow_symlinks,
        maxFileSize: cfg.max_file_size,
      },
      index: memoryFileIndex(),
      fullRescanMs: 0,
      concurrency: cfg.concurrency,
      severity: cfg.severity,
      ...(opts.quarantineDir
        ? { quarantine: new Quarantine(opts.quarantineDir, { keyFile: quarantineKeyFile(opts.dataDir) }) }
        : {}),
      preflight: () => engines.preflight(),
      log: opts.log,
      clock: systemClock,
    });
    await engines.close();
    return { outcome, engines: engines.scanners.map((s) => s.name), clamav };
  } finally {
    if (temp) {
      await temp.clamd.stop();
      await rm(temp.dir, { recursive: true, force: true });
    }
  }
}

/** DESIGN.md §7: 0 clean, 1 found, 2 error. An error anywhere wins: a scan with gaps is never 0 nor "only found". */
export function exitCodeOf(outcome: ScanRunOutcome): 0 | 1 | 2 {
  if (outcome.status !== 'ok' || outcome.results.some((r) => r.status === 'error')) return 2;
  return outcome.results.some((r) => r.status === 'infected') ? 1 : 0;
}
