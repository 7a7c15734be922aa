// Entry of a script thread: runs one k6-style script in a vm context of its own, with only the
// k6 API in it (probes/script/k6-runtime.ts). HTTP and cookie-jar calls go to the parent, which
// times them with vigil's own HTTP machinery; the script waits for the answer (Atomics.wait), as
// k6's calls are synchronous. The parent enforces the time limit (terminate) and the memory limit
// (resourceLimits) from outside, so an endless or greedy script cannot hold vigil up.
import { Buffer } from 'node:buffer';
import { resolve } from 'node:path';
import vm from 'node:vm';
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { k6Runtime, type RuntimeApi } from './script/k6-runtime.js';
import { k6HttpRuntime } from './script/k6-runtime-http.js';
import { localOps } from './script/local-ops.js';
import {
  type ScriptStage,
  type ScriptThreadInit,
  type ThreadAnswer,
  type ThreadDone,
  type ThreadRequest,
} from './script/thread-protocol.js';

const init = workerData as ScriptThreadInit;
const flag = new Int32Array(init.flag);
const port = init.port;
let stage: ScriptStage = 'init';
let optionsSent = false;

function ask(msg: ThreadRequest): unknown {
  Atomics.store(flag, 0, 0);
  port.postMessage(msg);
  for (;;) {
    Atomics.wait(flag, 0, 0);
    const got = receiveMessageOnPort(port);
    if (got) {
      Atomics.store(flag, 0, 0);
      const answer = got.message as ThreadAnswer;
      if ('err' in answer) throw new Error(answer.err);
      return answer.ok;
    }
  }
}

function handle(op: string, args: unknown): unknown {
  const local = localOps[op];
  if (local) return (local as (a: unknown) => unknown)(args);
  switch (op) {
    case 'sleep':
      // Blocks this thread only; the parent's clock keeps running, so a long sleep hits the time limit.
      Atomics.wait(flag, 1, 0, Math.max(0, Number(args) * 1000));
      return null;
    case 'check': {
      const c = args as Omit<Extract<ThreadRequest, { op: 'check' }>, 'op'>;
      port.postMessage({ op: 'check', ...c } satisfies ThreadRequest);
      return null;
    }
    case 'log': {
      const l = args as { level: string; msg: string };
      port.postMessage({ op: 'log', level: l.level, msg: l.msg.slice(0, 4096) } satisfies ThreadRequest);
      return null;
    }
    case 'open': {
      const a = args as { name: string; binary: boolean };
      const b64 = init.files[resolve(init.dir, a.name)];
      if (b64 === undefined)
        throw new Error(`open("${a.name}"): only files listed in the probe's files: can be opened`);
      return a.binary ? b64 : Buffer.from(b64, 'base64').toString('utf8');
    }
    case 'http':
      if (!optionsSent) throw new Error('making HTTP requests in the init context is not supported (k6)');
      return ask({ op: 'http', reqs: args as unknown[] });
    default:
      if (op.startsWith('jar.')) return ask({ op: 'jar', action: op.slice(4) as 'new', args });
      throw new Error(`unknown runtime operation ${op}`);
  }
}

// The one function of this realm the runtime holds. It takes and returns strings only, and never
// throws: an error object of this realm must not reach the script.
function bridge(op: string, json: string): string {
  try {
    return JSON.stringify({ ok: handle(op, JSON.parse(json) as unknown) ?? null });
  } catch (err) {
    return JSON.stringify({ err: err instanceof Error ? err.message : String(err) });
  }
}

function setStage(s: ScriptStage): void {
  stage = s;
  port.postMessage({ op: 'stage', stage: s } satisfies ThreadRequest);
}

async function main(): Promise<void> {
  const context = vm.createContext(Object.create(null) as object, {
    name: init.filename,
    codeGeneration: { strings: false, wasm: false },
  });
  const boot = vm.runInContext(`(${k6Runtime.toString()})`, context) as typeof k6Runtime;
  const makeHttp = vm.runInContext(`(${k6HttpRuntime.toString()})`, context) as typeof k6HttpRuntime;
  const api: RuntimeApi = boot(bridge, JSON.stringify({ filename: init.filename, env: init.env }), makeHttp);
  const wrapper = new vm.Script(init.code, { filename: init.filename }).runInContext(context) as unknown;
  await api.load(wrapper);
  api.endInit();
  port.postMessage({ op: 'options', json: api.optionsJson() } satisfies ThreadRequest);
  optionsSent = true;
  let data = 'null';
  if (api.has('setup')) {
    setStage('setup');
    data = await api.setup();
  }
  setStage('default');
  for (let i = 0; i < init.iterations; i++) await api.iterate(i, data);
  if (api.has('teardown')) {
    setStage('teardown');
    await api.teardown(data);
  }
}

// After 'done' the thread waits to be terminated (a listener keeps it alive), so its exit can never
// overtake the 'done' message in the parent.
const linger = (): void => void port.on('message', () => undefined);
main().then(
  () => {
    port.postMessage({ op: 'done', stage } satisfies ThreadDone);
    linger();
  },
  (err: unknown) => {
    // The error may come from the script's realm: read its fields as plain strings.
    const e = err as { name?: unknown; message?: unknown; stack?: unknown } | null;
    const error = {
      name: typeof e?.name === 'string' ? e.name : 'Error',
      message: typeof e?.message === 'string' ? e.message : String(err),
      stack: typeof e?.stack === 'string' ? e.stack : '',
    };
    port.postMessage({ op: 'done', stage, error } satisfies ThreadDone);
    linger();
  },
);
