import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** tsx's loader by absolute URL, so the CLI also runs from a working directory outside the repository. */
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the vigil CLI from source (no build needed) and collects its output. */
export function runCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, opts);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    else child.stdin!.end();
  });
}

/** Starts the vigil CLI from source as a child process with piped stdio. */
export function spawnCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, `${ROOT}app/cli.ts`, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, VIGIL_LOG_LEVEL: 'info', ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Resolves with the first JSON log line for which `match` is true (pino writes one JSON object a line). */
export function waitForLog(
  child: ChildProcess,
  match: (line: Record<string, unknown>) => boolean,
  timeoutMs = 30_000,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`log line not seen in ${timeoutMs} ms; output:\n${seen}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      buf += d.toString();
      seen += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          const obj = JSON.parse(line) as Record<string, unknown>;
          if (match(obj)) {
            clearTimeout(timer);
            child.stdout!.off('data', onData);
            resolve(obj);
            return;
          }
        } catch {
          // not a log line (e.g. a plain message): keep reading
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (seen += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vigil exited (${code}) before the log line; output:\n${seen}`));
    });
  });
}
