import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClamdClient } from '../../../analyzers/scanners/index.js';

/** The EICAR test file (eicar.org): harmless, and every virus scanner must detect it. */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
/** A file the test `.hdb` hash signature matches. */
export const HASHED_CONTENT = 'vigil hash-signature test content\n';

export interface TestClamd {
  dir: string;
  socket: string;
  dbDir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Fails with a clear message when a system binary the tests need is missing. */
export function requireBinary(name: string, pkg: string): void {
  const r = spawnSync('sh', ['-c', `command -v ${name}`]);
  if (r.status !== 0) throw new Error(`${name} is not installed: apt-get install -y ${pkg}`);
}

/** Writes a database with ONLY custom signatures: EICAR as `.ndb` hex, HASHED_CONTENT as `.hdb`. */
export function writeTestDatabase(dbDir: string): void {
  mkdirSync(dbDir, { recursive: true });
  const hex = Buffer.from('EICAR-STANDARD-ANTIVIRUS-TEST-FILE').toString('hex');
  writeFileSync(join(dbDir, 'test.ndb'), `Vigil.Test.EICAR:0:*:${hex}\n`);
  const md5 = createHash('md5').update(HASHED_CONTENT).digest('hex');
  writeFileSync(join(dbDir, 'test.hdb'), `${md5}:${Buffer.byteLength(HASHED_CONTENT)}:Vigil.Test.Hash\n`);
}

/**
 * Starts a real clamd for a test: a temp dir with its own clamd.conf (Foreground, LocalSocket in
 * the dir, DatabaseDirectory with only the custom test database) and waits for PING.
 * `user` runs clamd as that user (e.g. Debian's `clamav`), so files root can read may not be
 * readable to clamd: a real permission failure even though the tests run as root.
 */
export async function startTestClamd(opts: { user?: string; extraConf?: string[] } = {}): Promise<TestClamd> {
  requireBinary('clamd', 'clamav-daemon');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-clamd-'));
  const dbDir = join(dir, 'db');
  writeTestDatabase(dbDir);
  const socket = join(dir, 'clamd.sock');
  const conf = join(dir, 'clamd.conf');
  const lines = [
    `LocalSocket ${socket}`,
    `DatabaseDirectory ${dbDir}`,
    'Foreground yes',
    `LogFile ${join(dir, 'clamd.log')}`,
    `TemporaryDirectory ${dir}`,
    'MaxFileSize 300M',
    'MaxScanSize 300M',
    'StreamMaxLength 300M',
    'AlertExceedsMax yes',
  ].filter((l) => !(opts.extraConf ?? []).some((x) => x.split(' ')[0] === l.split(' ')[0]));
  // clamd keeps the first value of a repeated option, so overrides replace the defaults above.
  lines.push(...(opts.extraConf ?? []));
  if (opts.user) {
    lines.push(`User ${opts.user}`);
    chmodSync(dir, 0o755);
    const id = spawnSync('id', ['-u', opts.user]).stdout.toString().trim();
    chownSync(dir, Number(id), 0);
  }
  writeFileSync(conf, `${lines.join('\n')}\n`);
  const child = spawn('clamd', [`--config-file=${conf}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new ClamdClient({ socket, timeoutMs: 2000 });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`test clamd exited (${child.exitCode}): ${stderr}`);
    if (await client.ping().catch(() => false)) break;
    await sleep(100);
    if (i === 599) throw new Error(`test clamd never answered PING on ${socket}: ${stderr}`);
  }
  return {
    dir,
    socket,
    dbDir,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
