import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { VigilError, errorMessage, type Logger } from '../../core/index.js';
import { ClamdClient } from './clamd-client.js';
import { buildActiveDatabase, type ActiveDatabase } from './clamav-db.js';

export interface ManagedClamdOptions {
  /** Directory for clamd.conf, the socket, the pid and log files (vigil's data dir + /clamav). */
  dir: string;
  /** vigil's own signature database directory (the managed one `vigil signatures` writes). */
  databaseDir: string;
  /** freshclam's database directory (`clamav.system_database_dir`), loaded together with vigil's own. */
  systemDatabaseDir?: string | undefined;
  /** Largest file clamd scans in full; larger ones are flagged by AlertExceedsMax, never passed as clean. */
  maxFileSize: number;
  /** How long clamd may take to load its database and answer PING. */
  startTimeoutMs?: number;
  maxThreads?: number;
  clamdPath?: string;
  log: Logger;
  /** Called when clamd exits without being asked to (vigil restarts it). */
  onUnexpectedExit?: (info: { code: number | null; signal: string | null }) => void;
}

/** Writes the clamd.conf vigil runs clamd with (clamd.conf(5)); returns its path and the socket path. */
export async function writeClamdConf(
  opts: ManagedClamdOptions,
  databaseDir: string,
): Promise<{ conf: string; socket: string }> {
  const socket = join(opts.dir, 'clamd.sock');
  const size = Math.min(opts.maxFileSize, 4_000_000_000);
  const lines = [
    '# Written by vigil; changes are overwritten at start.',
    `LocalSocket ${socket}`,
    'LocalSocketMode 600',
    `DatabaseDirectory ${databaseDir}`,
    'Foreground yes',
    `LogFile ${join(opts.dir, 'clamd.log')}`,
    'LogTime yes',
    `PidFile ${join(opts.dir, 'clamd.pid')}`,
    `TemporaryDirectory ${join(opts.dir, 'tmp')}`,
    `MaxThreads ${opts.maxThreads ?? 4}`,
    // Limits follow scanners.max_file_size; past them clamd reports Heuristics.Limits.Exceeded
    // instead of a silent OK, and vigil records that file as an error, never as clean.
    `MaxFileSize ${size}`,
    `MaxScanSize ${size}`,
    `StreamMaxLength ${size}`,
    'AlertExceedsMax yes',
    // vigil reloads explicitly (RELOAD) after a signature change; no periodic self-check needed.
    'SelfCheck 0',
    // A reload blocks scans until the new database is in: no file is passed under the old one
    // after vigil has been told the signatures changed.
    'ConcurrentDatabaseReload no',
    // Such a reload waits for the thread pool to drain, and idle threads linger IdleTimeout
    // seconds (default 30): measured 29.5 s from RELOAD to the next verdict at 30, 0.75 s at 1.
    'IdleTimeout 1',
  ];
  await mkdir(join(opts.dir, 'tmp'), { recursive: true });
  const conf = join(opts.dir, 'clamd.conf');
  await writeFile(conf, `${lines.join('\n')}\n`);
  return { conf, socket };
}

/**
 * A clamd vigil starts and supervises (`clamav.manage: true`): its own config, socket and
 * database under the data dir, Foreground so vigil owns the process, no freshclam. Restarted with
 * backoff when it dies; while it is down every scan is an error.
 */
export class ManagedClamd {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restarts = 0;
  socket = '';
  /** What clamd was last given to load. */
  database: ActiveDatabase | undefined;

  constructor(private readonly opts: ManagedClamdOptions) {}

  /** Writes the config, starts clamd and waits until it answers PING. */
  async start(): Promise<void> {
    this.stopping = false;
    await mkdir(this.opts.databaseDir, { recursive: true });
    const active = await this.refreshDatabase();
    if (active.builtinOnly) {
      // clamd would refuse an empty directory; with the built-in signature it starts, but it
      // protects against nothing: say so plainly (the scanner service also raises an alert).
      this.opts.log.error(
        { system: this.opts.systemDatabaseDir ?? null, own: this.opts.databaseDir },
        'no ClamAV virus signatures: run freshclam (or set clamav.system_database_dir) or add your own with "vigil signatures add-*"; only the built-in EICAR test signature is loaded',
      );
    }
    const { conf, socket } = await writeClamdConf(this.opts, active.dir);
    this.socket = socket;
    await this.shutdownLeftover();
    await this.spawnAndWait(conf);
  }

  /** Rebuilds the directory clamd loads from freshclam's and vigil's own files (before start and RELOAD). */
  async refreshDatabase(): Promise<ActiveDatabase> {
    this.database = await buildActiveDatabase(
      join(this.opts.dir, 'db-active'),
      this.opts.databaseDir,
      this.opts.systemDatabaseDir,
    );
    return this.database;
  }

  private async spawnAndWait(conf: string): Promise<void> {
    const log = this.opts.log;
    const child = spawn(this.opts.clamdPath ?? 'clamd', [`--config-file=${conf}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    let exited: { code: number | null; signal: string | null } | undefined;
    const spawnError = new Promise<never>((_, reject) =>
      child.once('error', (err) =>
        reject(new VigilError('SCN_CLAMD', `cannot start clamd: ${errorMessage(err)}`, { cause: err })),
      ),
    );
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      if (this.child === child) this.child = undefined;
      if (this.stopping) return;
      log.error({ code, signal, stderr: stderr.trim().split('\n').slice(-3) }, 'clamd exited');
      this.opts.onUnexpectedExit?.({ code, signal });
      void this.restartLater(conf);
    });
    const client = new ClamdClient({ socket: this.socket, timeoutMs: 2000 });
    const deadline = Date.now() + (this.opts.startTimeoutMs ?? 120_000);
    const ready = (async () => {
      while (Date.now() < deadline) {
        if (exited) {
          throw new VigilError(
            'SCN_CLAMD',
            `clamd exited during start (code ${exited.code}): ${stderr.trim().split('\n').slice(-2).join(' ')}`,
          );
        }
        if (await client.ping().catch(() => false)) return;
        await sleep(100);
      }
      throw new VigilError(
        'SCN_CLAMD',
        `clamd did not answer PING on ${this.socket} within ${this.opts.startTimeoutMs ?? 120_000} ms`,
      );
    })();
    await Promise.race([ready, spawnError]);
    this.restarts = 0;
    log.info({ socket: this.socket, pid: child.pid }, 'clamd ready');
  }

  /**
   * A clamd left running by a vigil that died (Foreground children outlive a SIGKILLed parent)
   * still holds the socket, and a new clamd would refuse to bind it: ask it to shut down first.
   */
  private async shutdownLeftover(): Promise<void> {
    const client = new ClamdClient({ socket: this.socket, timeoutMs: 2000 });
    if (!(await client.ping().catch(() => false))) return;
    this.opts.log.warn(
      { socket: this.socket },
      'a clamd from an earlier run still answers; shutting it down',
    );
    await client
      .shutdown()
      .catch((err: unknown) => this.opts.log.warn({ err: errorMessage(err) }, 'SHUTDOWN failed'));
    for (let i = 0; i < 100 && (await client.ping().catch(() => false)); i++) await sleep(100);
  }

  private async restartLater(conf: string): Promise<void> {
    const wait = Math.min(60_000, 1000 * 2 ** this.restarts++);
    await sleep(wait);
    if (this.stopping) return;
    await this.spawnAndWait(conf).catch((err: unknown) =>
      this.opts.log.error({ err: errorMessage(err) }, 'clamd restart failed'),
    );
  }

  /** The pid of the running clamd, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Stops clamd (SIGTERM, then SIGKILL at the deadline). */
  async stop(deadlineMs = 5000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise<void>((res) => child.once('exit', () => res()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    await gone;
    clearTimeout(timer);
  }
}
