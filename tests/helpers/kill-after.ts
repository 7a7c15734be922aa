import { spawn, type SpawnOptions } from 'node:child_process';

export interface KillAfterResult {
  /** Every stdout line the child printed before it died. */
  lines: string[];
  /** The last line that matched `match`, also among those printed after the kill was sent. */
  lastMatch: string | undefined;
  stderr: string;
}

/**
 * Runs a command and SIGKILLs it once its stdout has printed `count` lines matching `match`:
 * the crash half of a crash test (kill -9 mid-write, then reopen and check). Rejects when the
 * child exits by itself first, with its stderr, so a broken child never passes as "killed".
 *
 *   await killAfter(process.execPath, ['--import', 'tsx', 'app/cli.ts', 'start', ...], /^committed /, 40)
 */
export function killAfter(
  cmd: string,
  args: string[],
  match: RegExp,
  count: number,
  opts: SpawnOptions = {},
): Promise<KillAfterResult> {
  const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let lastMatch: string | undefined;
  let matches = 0;
  let stderr = '';
  let partial = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      const chunk = (partial + d.toString()).split('\n');
      partial = chunk.pop() ?? '';
      // Lines printed between the count-th match and the kill are still in the pipe: read them
      // all, so `lastMatch` is what the child really printed last, however fast it ran.
      for (const line of chunk) {
        lines.push(line);
        if (!match.test(line)) continue;
        lastMatch = line;
        if (++matches === count && !child.killed) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    // 'close', not 'exit': only then has every line the child wrote been read.
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL' && matches >= count) resolve({ lines, lastMatch, stderr });
      else
        reject(
          new Error(`${cmd} ${args.join(' ')} exited by itself (code ${code}, signal ${signal}): ${stderr}`),
        );
    });
  });
}
