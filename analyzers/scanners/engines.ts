import { join, resolve } from 'node:path';
import { errorMessage, type Logger } from '../../core/index.js';
import { ClamavScanner } from './clamav-scanner.js';
import { ClamdClient } from './clamd-client.js';
import { ManagedClamd } from './clamd-manager.js';
import { HashLists, HashListScanner } from './hash-lists.js';
import { SignatureDb } from './signature-db.js';
import { systemFingerprint } from './clamav-db.js';
import { compileRuleDirs, type CompiledRules } from './yara-rules.js';
import { YaraScanner } from './yara-scanner.js';
import type { ScannersConfig } from './config.js';
import type { Scanner } from './types.js';

export interface ScanEngines {
  scanners: Scanner[];
  /** The clamd vigil started, when `clamav.manage` (or an ad-hoc temporary one). */
  managed?: ManagedClamd;
  clamd?: ClamdClient;
  hashLists?: HashLists;
  /** Error message when an engine that should answer does not (clamd PING). */
  preflight(): Promise<string | undefined>;
  /** Re-reads signatures and rules: clamd RELOAD, YARA recompile, hash lists reload. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export interface BuildEnginesOptions {
  dataDir: string;
  log: Logger;
  /** Skip ClamAV (ad-hoc `--no-clamav`). */
  noClamav?: boolean;
  /** Use this clamd socket instead of the configured/managed one. */
  clamdSocket?: string;
  /** How files reach that clamd (default: `scan` for a managed clamd, `instream` for another). */
  clamdMode?: 'scan' | 'instream';
  /** Fingerprint of that clamd's database when vigil knows it (a temporary clamd on the managed database). */
  managedDatabase?: boolean;
  onClamdExit?: (info: { code: number | null; signal: string | null }) => void;
}

/** The managed database directory for a config and data dir. */
export function databaseDirOf(cfg: ScannersConfig, dataDir: string): string {
  return resolve(dataDir, cfg.clamav.database_dir ?? join('clamav', 'db'));
}

/** freshclam's database directory a managed clamd loads, if any (`clamav.system_database_dir`). */
export function systemDatabaseDirOf(cfg: ScannersConfig): string | undefined {
  return cfg.clamav.system_database_dir === false ? undefined : cfg.clamav.system_database_dir;
}

/** Changes when any signature a managed clamd loads changes: vigil's own files or freshclam's. */
export async function databaseFingerprint(db: SignatureDb, systemDir: string | undefined): Promise<string> {
  return `${await db.fingerprint()}:${await systemFingerprint(systemDir)}`;
}

/**
 * Builds the engines a config asks for. A managed clamd is started here (and waits for PING);
 * YARA rules are compiled (a rule set that does not compile throws SCN_YARA_COMPILE naming file
 * and line); hash lists are loaded.
 */
export async function buildEngines(cfg: ScannersConfig, opts: BuildEnginesOptions): Promise<ScanEngines> {
  const scanners: Scanner[] = [];
  const log = opts.log;
  let managed: ManagedClamd | undefined;
  let clamd: ClamdClient | undefined;
  const dbDir = databaseDirOf(cfg, opts.dataDir);
  if (cfg.clamav.enabled && !opts.noClamav) {
    let socket = opts.clamdSocket ?? cfg.clamav.socket;
    const external = socket !== undefined;
    if (!socket) {
      managed = new ManagedClamd({
        dir: resolve(opts.dataDir, 'clamav'),
        databaseDir: dbDir,
        systemDatabaseDir: systemDatabaseDirOf(cfg),
        maxFileSize: cfg.max_file_size,
        startTimeoutMs: cfg.clamav.start_timeout,
        maxThreads: Math.max(2, cfg.concurrency),
        log: log.child({ component: 'clamd' }),
        ...(opts.onClamdExit ? { onUnexpectedExit: opts.onClamdExit } : {}),
      });
      await managed.start();
      socket = managed.socket;
    }
    clamd = new ClamdClient({ socket, timeoutMs: cfg.clamav.timeout });
    const client = clamd;
    const db = new SignatureDb(dbDir);
    scanners.push(
      new ClamavScanner({
        socket,
        timeoutMs: cfg.clamav.timeout,
        mode: opts.clamdMode ?? cfg.clamav.mode ?? (external ? 'instream' : 'scan'),
        // An external clamd's database is not ours to read: its VERSION names the database version and date.
        fingerprint:
          external && !opts.managedDatabase
            ? () => client.version().catch(() => 'unknown')
            : () => databaseFingerprint(db, systemDatabaseDirOf(cfg)),
      }),
    );
  }
  let rules: CompiledRules | undefined;
  let hashLists: HashLists | undefined;
  try {
    if (cfg.yara.rules.length > 0) {
      rules = await compileRuleDirs(cfg.yara.rules, cfg.yara.externals);
      for (const w of rules.warnings) log.warn({ file: w.file, line: w.line }, w.message);
      scanners.push(new YaraScanner({ compiled: () => rules!, externals: cfg.yara.externals }));
    }
    if (cfg.hash_lists.length > 0) {
      hashLists = await HashLists.load(cfg.hash_lists);
      scanners.push(new HashListScanner(hashLists));
    }
  } catch (err) {
    // The clamd started above would outlive the failed start (and keep `vigil start` from exiting).
    await managed?.stop();
    throw err;
  }
  return {
    scanners,
    ...(managed ? { managed } : {}),
    ...(clamd ? { clamd } : {}),
    ...(hashLists ? { hashLists } : {}),
    async preflight() {
      if (!clamd) return undefined;
      try {
        return (await clamd.ping()) ? undefined : 'clamd did not answer PONG';
      } catch (err) {
        return `clamd is not answering: ${errorMessage(err)}`;
      }
    },
    async reload() {
      await managed?.refreshDatabase();
      if (clamd) await clamd.reload();
      if (rules) rules = await compileRuleDirs(cfg.yara.rules, cfg.yara.externals);
      // Hash lists are read at start; a change is picked up by a restart (documented).
    },
    async close() {
      await managed?.stop();
    },
  };
}
