import { performance } from 'node:perf_hooks';
import { MessageChannel, Worker } from 'node:worker_threads';
import { errorMessage } from '../../core/index.js';
import { inlineThreadEntry } from '../thread-entry.js';
import { K6Http, type HttpSample, type K6HttpOptions, type WireRequest } from './k6-http.js';
import type { CheckSample } from './k6-thresholds.js';
import type { ScriptStage, ThreadDone, ThreadRequest } from './thread-protocol.js';

/** What one run of a script needs. */
export interface ScriptRunParams {
  /** compileScript's code. */
  code: string;
  filename: string;
  env: Record<string, string>;
  /** open()-able files by absolute path, base64. */
  files: Record<string, string>;
  /** The script's folder (open() paths are relative to it). */
  dir: string;
  iterations: number;
  timeoutMs: number;
  memoryMb: number;
  /** From the probe config; they win over the script's own options. */
  hosts: Record<string, string>;
  insecure: boolean;
  ca?: string[];
  maxBodyBytes: number;
}

export type ScriptFailure =
  | 'script' // the script threw
  | 'fail' // the script called fail()
  | 'outside' // a call outside the subset, found at run time
  | 'timeout' // stopped at the time limit
  | 'memory' // stopped at the memory limit
  | 'thread'; // the thread died otherwise

/** Everything one run produced, up to where it stopped. */
export interface ScriptRun {
  http: HttpSample[];
  checks: CheckSample[];
  logs: { level: string; msg: string }[];
  options: Record<string, unknown>;
  stage: ScriptStage;
  elapsedMs: number;
  error?: { kind: ScriptFailure; message: string; line?: number };
}

const MAX_LOGS = 200;

/** Where in the script an error was raised: the first stack frame in the script file. */
function lineOf(stack: string, filename: string): number | undefined {
  for (const l of stack.split('\n')) {
    const i = l.lastIndexOf(`${filename}:`);
    if (i < 0) continue;
    const m = /^(\d+):\d+/.exec(l.slice(i + filename.length + 1));
    if (m) return Number(m[1]);
  }
  return undefined;
}

function httpOptions(o: Record<string, unknown>, p: ScriptRunParams): K6HttpOptions {
  const hosts: Record<string, string> = {};
  for (const [k, v] of Object.entries((o.hosts ?? {}) as Record<string, unknown>)) hosts[k] = String(v);
  return {
    maxRedirects: typeof o.maxRedirects === 'number' ? o.maxRedirects : 10,
    hosts: { ...hosts, ...p.hosts },
    insecureSkipTLSVerify: o.insecureSkipTLSVerify === true || p.insecure,
    noConnectionReuse: o.noConnectionReuse === true,
    userAgent: typeof o.userAgent === 'string' ? o.userAgent : 'vigil-probe/0.1 (k6-compatible)',
    maxBodyBytes: p.maxBodyBytes,
    ...(p.ca ? { ca: p.ca } : {}),
  };
}

/**
 * Runs a compiled script in a fresh worker thread (probes/script-thread.ts) and answers its HTTP
 * and cookie-jar calls here, with vigil's timed HTTP. The thread is terminated at the time limit
 * or when `signal` aborts, and V8 stops it at the memory limit (`resourceLimits`); either way the
 * run ends with what it recorded so far and an error. Never rejects.
 */
export function runScript(p: ScriptRunParams, signal: AbortSignal): Promise<ScriptRun> {
  const started = performance.now();
  const run: ScriptRun = { http: [], checks: [], logs: [], options: {}, stage: 'init', elapsedMs: 0 };
  const http = new K6Http(httpOptions({}, p), (s) => run.http.push(s));
  const inflight = new AbortController();
  const flagBuf = new SharedArrayBuffer(8);
  const flag = new Int32Array(flagBuf);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(inlineThreadEntry('script-thread'), {
    workerData: {
      code: p.code,
      filename: p.filename,
      env: p.env,
      files: p.files,
      dir: p.dir,
      iterations: p.iterations,
      flag: flagBuf,
      port: port2,
    },
    transferList: [port2],
    // The thread gets no environment of vigil's, and cannot grow past its heap limit.
    env: {},
    resourceLimits: {
      maxOldGenerationSizeMb: p.memoryMb,
      maxYoungGenerationSizeMb: Math.max(4, Math.min(16, Math.floor(p.memoryMb / 4))),
      stackSizeMb: 4,
    },
    stdout: true,
    stderr: true,
  });

  return new Promise<ScriptRun>((resolve) => {
    let finished = false;
    const finish = (error?: ScriptRun['error']): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      inflight.abort();
      run.elapsedMs = performance.now() - started;
      if (error) run.error = error;
      port1.close();
      void worker.terminate().finally(() => void http.close().finally(() => resolve(run)));
    };
    const stopped = (): void =>
      finish({
        kind: 'timeout',
        message: `script still running after ${p.timeoutMs / 1000}s (in ${run.stage}): stopped at the time limit`,
      });
    const timer = setTimeout(stopped, p.timeoutMs);
    const onAbort = (): void => stopped();
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });

    const answer = (work: () => Promise<unknown> | unknown): void => {
      void Promise.resolve()
        .then(work)
        .then(
          (ok) => ({ ok: ok ?? null }),
          (err: unknown) => ({ err: errorMessage(err) }),
        )
        .then((a) => {
          if (finished) return;
          port1.postMessage(a);
          Atomics.store(flag, 0, 1);
          Atomics.notify(flag, 0);
        });
    };

    port1.on('message', (m: ThreadRequest | ThreadDone) => {
      switch (m.op) {
        case 'options':
          run.options = JSON.parse(m.json) as Record<string, unknown>;
          http.configure(httpOptions(run.options, p));
          break;
        case 'http':
          answer(() => {
            const reqs = m.reqs as WireRequest[];
            return Promise.all(reqs.map((r) => http.request(r, inflight.signal, reqs.length > 1)));
          });
          break;
        case 'jar':
          answer(() => http.jar(m.action, m.args as Parameters<K6Http['jar']>[1]));
          break;
        case 'check':
          run.checks.push({
            name: m.name,
            group: m.group,
            ok: m.ok,
            line: m.line,
            tags: m.tags,
            afterHttp: run.http.length,
          });
          break;
        case 'log':
          if (run.logs.length < MAX_LOGS) run.logs.push({ level: m.level, msg: m.msg });
          break;
        case 'stage':
          run.stage = m.stage;
          break;
        case 'done': {
          run.stage = m.stage;
          if (!m.error) return finish();
          const line = lineOf(m.error.stack, p.filename);
          const kind: ScriptFailure =
            m.error.name === 'K6Fail' ? 'fail' : m.error.name === 'OutsideSubsetError' ? 'outside' : 'script';
          const text =
            kind === 'fail'
              ? `fail(${JSON.stringify(m.error.message)})`
              : `${m.error.name}: ${m.error.message}`;
          finish({
            kind,
            message: `${p.filename}${line ? `:${line}` : ''}: ${text} (in ${m.stage})`,
            ...(line ? { line } : {}),
          });
          break;
        }
      }
    });
    worker.on('error', (err: Error & { code?: string }) => {
      finish(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? {
              kind: 'memory',
              message: `script went over its memory limit of ${p.memoryMb} MiB (in ${run.stage}): stopped`,
            }
          : { kind: 'thread', message: `script thread failed: ${errorMessage(err)}` },
      );
    });
    worker.on('exit', (code) =>
      finish(
        code === 0
          ? {
              kind: 'script',
              message: `${p.filename}: the script stopped waiting on a promise that nothing settles (in ${run.stage})`,
            }
          : { kind: 'thread', message: `script thread exited (code ${code}) before the script finished` },
      ),
    );
  });
}
