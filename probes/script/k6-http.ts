import { STATUS_CODES } from 'node:http';
import type { ProbeErrorKind, ProbePhases } from '../../core/index.js';
import { HttpExchanger } from '../http-exchange.js';
import { K6CookieJar, type K6Cookie } from './k6-cookies.js';

/** A request as the runtime sends it over the bridge (k6-runtime.ts makeRequest). */
export interface WireRequest {
  method: string;
  url: string;
  body: { s: string } | { b: string } | null;
  headers: Record<string, string>;
  cookies: Record<string, { value: string; replace: boolean }>;
  jar: number | null;
  redirects: number | null;
  timeout: string | number | null;
  responseType: 'text' | 'binary' | 'none';
  tags: Record<string, unknown>;
  group: string;
}

/** k6's res.timings, ms. vigil has no separate send phase: writing the request is in `waiting`. */
export interface K6Timings {
  blocked: number;
  connecting: number;
  tls_handshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
  duration: number;
}

/** One request (one redirect hop) as a metric sample, with k6's tags. */
export interface HttpSample {
  method: string;
  url: string;
  name: string;
  group: string;
  status: number;
  /** k6's default expected statuses, 200–399 (http_req_failed is its complement). */
  expected: boolean;
  phases: ProbePhases;
  timings: K6Timings;
  error?: { kind: ProbeErrorKind; message: string };
  tls?: { validTo: string; issuer: string; protocol: string; earliestValidTo?: string };
  tags: Record<string, string>;
}

/** The `export const options` keys that shape requests. */
export interface K6HttpOptions {
  maxRedirects: number;
  hosts: Record<string, string>;
  insecureSkipTLSVerify: boolean;
  noConnectionReuse: boolean;
  userAgent: string;
  maxBodyBytes: number;
  ca?: string[];
}

// k6's error codes (k6 docs, "Error codes") for the failure classes vigil tells apart.
const K6_ERROR_CODE: Record<ProbeErrorKind, number> = {
  dns: 1100,
  connect_refused: 1212,
  connect_timeout: 1211,
  tls: 1300,
  timeout: 1050,
  reset: 1220,
  http_status: 0,
  assertion: 0,
  other: 1000,
};

/** k6 durations: a number of ms, or "60s", "1.5m", "500ms", "1h". */
export function k6Duration(v: string | number | null, fallback: number): number {
  if (v === null) return fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new Error(`"${v}" is not a k6 duration (e.g. 500ms, 10s, 1m)`);
  const scale = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms'];
  return Number(m[1]) * scale;
}

const canonical = (name: string): string =>
  name.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());

function timingsOf(p: ProbePhases): K6Timings {
  return {
    blocked: p.resolve,
    connecting: p.connect,
    tls_handshaking: p.tls,
    sending: 0,
    waiting: p.processing,
    receiving: p.transfer,
    duration: p.processing + p.transfer,
  };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Runs the script's HTTP calls with vigil's timed exchange (probes/http-exchange.ts, the http
 * probe's own): each redirect hop is timed by phase and recorded as one sample, as k6 records one
 * http_req_* sample per hop. Connections are kept per origin unless `noConnectionReuse`, as in k6.
 */
export class K6Http {
  readonly #jars = new Map<number, K6CookieJar>([[0, new K6CookieJar()]]);
  #opts: K6HttpOptions;
  readonly #record: (s: HttpSample) => void;
  #kept: HttpExchanger | undefined;

  constructor(opts: K6HttpOptions, record: (s: HttpSample) => void) {
    this.#opts = opts;
    this.#record = record;
  }

  /** Applies the script's options once its init stage has run (before any request: k6 allows none in init). */
  configure(opts: K6HttpOptions): void {
    this.#opts = opts;
  }

  /**
   * The kept connection, or a fresh one for each request of a batch: an exchanger times one
   * exchange at a time (its phase marks are its own), and k6 sends a batch over parallel
   * connections anyway.
   */
  #exchanger(parallel: boolean): HttpExchanger {
    const make = (keepAlive: boolean): HttpExchanger =>
      new HttpExchanger({
        family: 0,
        fallback: true,
        keepAlive,
        insecure: this.#opts.insecureSkipTLSVerify,
        hosts: this.#opts.hosts,
        ...(this.#opts.ca ? { ca: this.#opts.ca } : {}),
      });
    if (this.#opts.noConnectionReuse || parallel) return make(false);
    return (this.#kept ??= make(true));
  }

  /** The jar operations of `http.cookieJar()` / `new http.CookieJar()`. */
  jar(
    action: string,
    a: { jar?: number; url?: string; name?: string; value?: string; opts?: Record<string, unknown> },
  ): unknown {
    if (action === 'new') {
      const id = this.#jars.size;
      this.#jars.set(id, new K6CookieJar());
      return id;
    }
    const jar = this.#jars.get(a.jar ?? -1);
    if (!jar) throw new Error('unknown cookie jar');
    const url = new URL(a.url ?? '');
    if (action === 'set') return jar.set(url, a.name ?? '', a.value ?? '', a.opts ?? {});
    if (action === 'get') return jar.cookiesForURL(url);
    if (action === 'clear') return jar.clear(url);
    if (action === 'delete') return jar.delete(url, a.name ?? '');
    throw new Error(`unknown cookie jar operation ${action}`);
  }

  /** One k6 request, redirects followed; never rejects (a failure is status 0 with error set). */
  async request(req: WireRequest, signal: AbortSignal, parallel = false): Promise<Record<string, unknown>> {
    let url: URL;
    try {
      url = new URL(req.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      return failed(req, `invalid URL "${req.url}"`, 1020);
    }
    const headers: Record<string, string> = { 'User-Agent': this.#opts.userAgent, ...req.headers };
    // k6 (Go's net/http) turns URL credentials into Basic auth (RFC 7617) and strips them from the URL.
    if (url.username || url.password) {
      const cred = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      headers.Authorization = `Basic ${Buffer.from(cred, 'utf8').toString('base64')}`;
      url.username = url.password = '';
    }
    const jar = req.jar === null ? undefined : this.#jars.get(req.jar);
    const timeout = AbortSignal.timeout(k6Duration(req.timeout, 60_000));
    const both = AbortSignal.any([signal, timeout]);
    const maxRedirects = req.redirects ?? this.#opts.maxRedirects;
    const name = typeof req.tags.name === 'string' ? req.tags.name : req.url;
    let method = req.method;
    let body: string | Buffer | undefined =
      req.body === null ? undefined : 's' in req.body ? req.body.s : Buffer.from(req.body.b, 'base64');
    for (let hop = 0; ; hop++) {
      const cookie = cookieHeader(jar?.pairs(url) ?? [], req.cookies);
      const sent = cookie ? { ...headers, Cookie: cookie } : { ...headers };
      const res = await this.#exchanger(parallel).exchange(
        {
          url,
          method,
          headers: sent,
          ...(body !== undefined ? { body } : {}),
          maxBodyBytes: this.#opts.maxBodyBytes,
        },
        both,
      );
      const status = res.status ?? 0;
      const setCookie = res.headers['set-cookie'];
      const lines = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
      const cookies = (jar ?? new K6CookieJar()).storeResponse(url, lines);
      const sample: HttpSample = {
        method,
        url: url.href,
        name: hop === 0 ? name : url.href,
        group: req.group,
        status: res.error ? 0 : status,
        expected: !res.error && status >= 200 && status < 400,
        phases: res.phases,
        timings: timingsOf(res.phases),
        tags: Object.fromEntries(Object.entries(req.tags).map(([k, v]) => [k, String(v)])),
        ...(res.error
          ? {
              error: timeout.aborted
                ? { kind: 'timeout' as const, message: `request timeout: ${res.error.message}` }
                : res.error,
            }
          : {}),
        ...(res.tls ? { tls: res.tls } : {}),
      };
      this.#record(sample);
      const location = res.headers.location;
      if (!res.error && REDIRECTS.has(status) && typeof location === 'string' && hop < maxRedirects) {
        url = new URL(location, url);
        // Go's client (and so k6): 301/302/303 turn into GET without a body, 307/308 keep both.
        if (status !== 307 && status !== 308 && method !== 'HEAD') {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      const hdrs: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers))
        if (v !== undefined) hdrs[canonical(k)] = Array.isArray(v) ? v.join(', ') : v;
      return {
        status: sample.status,
        status_text: sample.status ? `${status} ${STATUS_CODES[status] ?? ''}`.trim() : '',
        proto: sample.status ? 'HTTP/1.1' : '',
        url: url.href,
        headers: hdrs,
        cookies,
        body: res.error || req.responseType === 'none' ? null : bodyText(res.body, req.responseType),
        responseType: req.responseType,
        timings: sample.timings,
        error: sample.error?.message ?? '',
        error_code: sample.error ? K6_ERROR_CODE[sample.error.kind] : 0,
        tls_version: res.tls?.protocol ?? '',
        request: { method, url: url.href, headers: sent, body: typeof body === 'string' ? body : '' },
      };
    }
  }

  async close(): Promise<void> {
    await this.#kept?.close();
  }
}

function bodyText(b: Buffer, type: WireRequest['responseType']): string {
  return type === 'binary' ? b.toString('base64') : b.toString('utf8');
}

/** Jar cookies plus the request's own; a request cookie with replace: true hides the jar's. */
function cookieHeader(fromJar: [string, string][], own: WireRequest['cookies']): string {
  const replaced = new Set(
    Object.entries(own)
      .filter(([, c]) => c.replace)
      .map(([n]) => n),
  );
  const pairs = fromJar.filter(([n]) => !replaced.has(n)).map(([n, v]) => `${n}=${v}`);
  for (const [n, c] of Object.entries(own)) pairs.push(`${n}=${c.value}`);
  return pairs.join('; ');
}

function failed(req: WireRequest, message: string, code: number): Record<string, unknown> {
  return {
    status: 0,
    status_text: '',
    proto: '',
    url: req.url,
    headers: {},
    cookies: {},
    body: null,
    responseType: req.responseType,
    timings: timingsOf({ resolve: 0, connect: 0, tls: 0, processing: 0, transfer: 0 }),
    error: message,
    error_code: code,
    request: { method: req.method, url: req.url, headers: req.headers, body: '' },
  };
}

export type { K6Cookie };
