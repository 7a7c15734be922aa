/* The k6 API as seen by a script. This function is NOT called here: the script thread evaluates
 * its source text (`k6Runtime.toString()`) inside the script's own vm context, so every object a
 * script can reach (modules, responses, errors) is made in that context's realm and none leads
 * back to vigil's (the classic `x.constructor.constructor('return process')()` escape finds only
 * the context's own Function, and code generation from strings is off there). The one link out
 * is `bridge(op, json) → json`, held in this closure, never on a reachable object, and passing
 * only strings. So: no imports, no outside helpers, nothing but plain JavaScript in here. */

// Type only (erased): the function itself is handed in already evaluated in the script's realm.
import type { k6HttpRuntime } from './k6-runtime-http.js';

/** What the script thread hands the runtime (as JSON). */
export interface RuntimeInit {
  filename: string;
  env: Record<string, string>;
}

/** The runtime's face towards the script thread (objects of the context realm). */
export interface RuntimeApi {
  load(wrapper: unknown): Promise<unknown>;
  endInit(): void;
  has(name: string): boolean;
  optionsJson(): string;
  /** Runs setup(); returns its data as JSON (k6 passes setup data as a JSON copy). */
  setup(): Promise<string>;
  iterate(iteration: number, dataJson: string): Promise<unknown>;
  teardown(dataJson: string): Promise<unknown>;
}

type Bridge = (op: string, json: string) => string;
type Obj = Record<string, unknown>;

export function k6Runtime(bridge: Bridge, initJson: string, makeHttp: typeof k6HttpRuntime): RuntimeApi {
  'use strict';
  const init = JSON.parse(initJson) as RuntimeInit;
  const g = globalThis as unknown as Obj;
  let initDone = false;
  let groupPath = '';

  const call = (op: string, args: unknown): unknown => {
    let out: string;
    try {
      out = bridge(op, JSON.stringify(args === undefined ? null : args));
    } catch (e) {
      // An error object of the outer realm must not reach the script: only its text does.
      throw new Error(`vigil: ${String((e as { message?: unknown } | null)?.message)}`);
    }
    const r = JSON.parse(out) as { ok?: unknown; err?: string };
    if (r.err !== undefined) throw new Error(r.err);
    return r.ok;
  };
  const outside = (what: string): Error => {
    const e = new Error(`${what} is outside vigil's k6 subset`);
    e.name = 'OutsideSubsetError';
    return e;
  };

  // Base64 (RFC 4648 §4) between the bridge's strings and the script's ArrayBuffers.
  const ABC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const toB64 = (u8: Uint8Array): string => {
    let s = '';
    for (let i = 0; i < u8.length; i += 3) {
      const n = (u8[i]! << 16) | ((u8[i + 1] ?? 0) << 8) | (u8[i + 2] ?? 0);
      s += ABC[(n >> 18) & 63]! + ABC[(n >> 12) & 63]!;
      s += i + 1 < u8.length ? ABC[(n >> 6) & 63]! : '=';
      s += i + 2 < u8.length ? ABC[n & 63]! : '=';
    }
    return s;
  };
  const fromB64 = (s: string): ArrayBuffer => {
    const clean = s.replace(/=+$/, '');
    const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
    let bits = 0;
    let acc = 0;
    let j = 0;
    for (const ch of clean) {
      acc = (acc << 6) | ABC.indexOf(ch);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[j++] = (acc >> bits) & 255;
      }
    }
    return out.buffer;
  };
  const isBytes = (v: unknown): v is ArrayBuffer | ArrayBufferView =>
    v instanceof ArrayBuffer || ArrayBuffer.isView(v);
  const bytesOf = (v: ArrayBuffer | ArrayBufferView): Uint8Array =>
    v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  /** A string or bytes, as the bridge carries them. */
  const wire = (v: unknown): { s: string } | { b: string } =>
    isBytes(v) ? { b: toB64(bytesOf(v)) } : { s: v === undefined || v === null ? '' : String(v) };
  const utf8 = (buf: ArrayBuffer): string => {
    let bin = '';
    for (const b of new Uint8Array(buf)) bin += String.fromCharCode(b);
    return decodeURIComponent(escape(bin));
  };

  const callerLine = (): string => {
    const stack = new Error().stack ?? '';
    const line = stack.split('\n').find((l) => l.includes(init.filename));
    const m = line ? /:(\d+):\d+\)?$/.exec(line) : null;
    return m ? m[1]! : '';
  };

  // ---- k6 ----
  const check = (val: unknown, sets: Obj, tags?: Obj): boolean => {
    let all = true;
    for (const name of Object.keys(sets ?? {})) {
      const f = sets[name];
      const ok = Boolean(typeof f === 'function' ? (f as (v: unknown) => unknown)(val) : f);
      call('check', { name, group: groupPath, ok, line: callerLine(), tags: tags ?? {} });
      if (!ok) all = false;
    }
    return all;
  };
  const group = (name: string, fn: () => unknown): unknown => {
    const prev = groupPath;
    groupPath = `${prev}::${name}`;
    try {
      return fn();
    } finally {
      groupPath = prev;
    }
  };
  const sleep = (seconds: number): void => {
    call('sleep', Number(seconds) || 0);
  };
  const fail = (msg?: unknown): never => {
    const e = new Error(msg === undefined ? '' : String(msg));
    e.name = 'K6Fail';
    throw e;
  };

  // ---- k6/http (k6-runtime-http.ts, made in this realm too) ----
  const { http } = makeHttp({ call, outside, wire, isBytes, fromB64, utf8, group: () => groupPath });

  // ---- k6/crypto, k6/encoding ----
  const digestOut = (v: unknown, enc?: string): unknown =>
    enc === undefined || enc === 'binary' ? fromB64(v as string) : v;
  const hash =
    (alg: string) =>
    (input: unknown, enc?: string): unknown =>
      digestOut(call('hash', { alg, data: [wire(input)], enc: enc ?? 'binary' }), enc);
  const hasher = (alg: string, key?: unknown) => {
    const parts: ({ s: string } | { b: string })[] = [];
    return {
      update(data: unknown): void {
        parts.push(wire(data));
      },
      digest(enc?: string): unknown {
        const op = key === undefined ? 'hash' : 'hmac';
        return digestOut(
          call(op, { alg, key: key === undefined ? null : wire(key), data: parts, enc: enc ?? 'binary' }),
          enc,
        );
      },
    };
  };
  const crypto: Obj = {
    hmac: (alg: string, key: unknown, data: unknown, enc?: string): unknown =>
      digestOut(call('hmac', { alg, key: wire(key), data: [wire(data)], enc: enc ?? 'binary' }), enc),
    createHash: (alg: string) => hasher(alg),
    createHMAC: (alg: string, key: unknown) => hasher(alg, key),
    randomBytes: (n: number): ArrayBuffer => fromB64(call('random', Number(n)) as string),
  };
  for (const alg of ['md5', 'sha1', 'sha256', 'sha384', 'sha512', 'sha512_224', 'sha512_256', 'ripemd160'])
    crypto[alg] = hash(alg);
  const encoding = {
    b64encode: (input: unknown, enc?: string): string =>
      call('b64encode', { data: wire(input), enc: enc ?? 'std' }) as string,
    b64decode: (input: unknown, enc?: string, format?: string): unknown => {
      const std = call('b64decode', { data: String(input), enc: enc ?? 'std' }) as string;
      return format === 's' ? utf8(fromB64(std)) : fromB64(std);
    },
  };

  // ---- TOTP (RFC 6238): Grafana's jslib class, and vigil's synchronous helper ----
  class TOTP {
    readonly #secret: string;
    readonly #digits: number;
    constructor(secret: string, digits = 6) {
      this.#secret = String(secret);
      this.#digits = Number(digits);
    }
    gen(timeStep = 30, bias = 0): Promise<string> {
      return Promise.resolve(
        call('totp', { secret: this.#secret, digits: this.#digits, period: timeStep, bias }) as string,
      );
    }
    verify(code: string, timeStep = 30): Promise<boolean> {
      return this.gen(timeStep).then((c) => c === String(code));
    }
  }
  const totp = (secret: string, digits = 6, period = 30): string =>
    call('totp', { secret: String(secret), digits, period, bias: 0 }) as string;

  // ---- modules, guarded so an unknown member is the subset error, not "undefined is not a function" ----
  const PASS = new Set(['then', 'toJSON', 'constructor', 'valueOf', 'toString']);
  const guard = <T extends object>(spec: string, o: T): T =>
    new Proxy(o, {
      get(t, key, recv) {
        if (typeof key === 'string' && !(key in t) && !PASS.has(key)) throw outside(`${spec} ${key}`);
        return Reflect.get(t, key, recv) as unknown;
      },
    });
  const mod = (spec: string, named: Obj, withDefault: boolean): Obj =>
    guard(spec, withDefault ? { ...named, default: guard(spec, { ...named }) } : named);
  const modules: Record<string, Obj> = {
    k6: mod('k6', { check, group, sleep, fail }, false),
    'k6/http': mod('k6/http', http, true),
    'k6/crypto': mod('k6/crypto', crypto, true),
    'k6/encoding': mod('k6/encoding', encoding, true),
    'https://jslib.k6.io/totp/1.0.0/index.js': mod('totp', { TOTP }, false),
    'k6/x/totp': guard('k6/x/totp', { totp, default: totp }),
  };
  const importModule = (spec: string): Obj => {
    const m = modules[spec];
    if (!m) throw outside(`import of "${spec}"`);
    return m;
  };

  // ---- globals ----
  const show = (v: unknown): string => {
    if (typeof v === 'string') return v;
    try {
      return JSON.stringify(v) ?? String(v);
    } catch {
      return String(v);
    }
  };
  const log =
    (level: string) =>
    (...args: unknown[]): void => {
      call('log', { level, msg: args.map(show).join(' ') });
    };
  g.console = {
    log: log('info'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    debug: log('debug'),
  };
  g.__ENV = { ...init.env };
  g.__VU = 1;
  g.__ITER = 0;
  g.open = (name: string, mode?: string): unknown => {
    if (initDone) throw new Error('open() can only be called in the init context (outside functions)');
    const v = call('open', { name: String(name), binary: mode === 'b' }) as string;
    return mode === 'b' ? fromB64(v) : v;
  };

  const exportsObj: Obj = {};
  const fn = (name: string): ((data?: unknown) => unknown) | undefined => {
    const f = exportsObj[name];
    return typeof f === 'function' ? (f as (data?: unknown) => unknown) : undefined;
  };
  const asJson = (v: unknown): string => (v === undefined ? 'null' : JSON.stringify(v));
  return {
    load: (wrapper) =>
      (wrapper as (m: typeof importModule, e: Obj) => Promise<unknown>)(importModule, exportsObj),
    endInit: () => {
      initDone = true;
    },
    has: (name) => fn(name) !== undefined,
    optionsJson: () => asJson(exportsObj.options ?? {}),
    setup: async () => asJson(await fn('setup')?.()),
    iterate: async (iteration, dataJson) => {
      g.__ITER = iteration;
      const run = fn('default');
      if (!run) throw new Error('the script has no default function (export default function () {...})');
      return run(JSON.parse(dataJson));
    },
    teardown: async (dataJson) => fn('teardown')?.(JSON.parse(dataJson)),
  };
}
