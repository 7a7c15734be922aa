import type { IncomingHttpHeaders } from 'undici/types/header.js';
import type { ProbeErrorKind, ProbePhases, ProbeTlsInfo } from '../core/index.js';
import type { CookieJar } from './cookie-jar.js';
import { HttpExchanger } from './http-exchange.js';
import type { HttpAuth } from './schemas.js';

/** Connection behaviour shared by the http and multi_step probes. */
export interface ConnSettings {
  followRedirects: boolean;
  maxRedirects: number;
  family: 0 | 4 | 6;
  fallback: boolean;
  keepAlive: boolean;
  ca?: string[];
  insecure: boolean;
  maxBodyBytes: number;
}

export interface FetchRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  auth?: HttpAuth;
}

export interface FetchResult {
  /** Summed over redirect hops, as blackbox_exporter does. */
  phases: ProbePhases;
  totalMs: number;
  status?: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  tls?: ProbeTlsInfo;
  finalUrl: URL;
  error?: { kind: ProbeErrorKind; message: string };
}

/** The Authorization header for basic (RFC 7617) or bearer (RFC 6750) auth. */
export function authHeader(auth: HttpAuth): string {
  if ('basic' in auth) {
    const raw = `${auth.basic.username}:${auth.basic.password.reveal()}`;
    return `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`;
  }
  return `Bearer ${auth.bearer.reveal()}`;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Sends a request, following redirects by the policy, and returns the summed phases. `kept` is the
 * target's kept-alive exchanger when keep-alive is on; otherwise each hop gets a fresh connection.
 */
export async function timedFetch(
  req: FetchRequest,
  conn: ConnSettings,
  signal: AbortSignal,
  jar?: CookieJar,
  kept?: HttpExchanger,
): Promise<FetchResult> {
  const phases: ProbePhases = { resolve: 0, connect: 0, tls: 0, processing: 0, transfer: 0 };
  let url = req.url;
  let method = req.method;
  let body = req.body;
  const visited: string[] = [];
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { 'user-agent': 'vigil-probe/0.1', ...req.headers };
    if (req.auth && url.origin === req.url.origin) headers.authorization = authHeader(req.auth);
    const cookie = jar?.header();
    if (cookie) headers.cookie = cookie;
    const ex =
      kept ??
      new HttpExchanger({
        family: conn.family,
        fallback: conn.fallback,
        keepAlive: false,
        insecure: conn.insecure,
        ...(conn.ca ? { ca: conn.ca } : {}),
      });
    const res = await ex.exchange(
      { url, method, headers, ...(body !== undefined ? { body } : {}), maxBodyBytes: conn.maxBodyBytes },
      signal,
    );
    for (const k of Object.keys(phases) as (keyof ProbePhases)[]) phases[k] += res.phases[k];
    const totalMs = phases.resolve + phases.connect + phases.tls + phases.processing + phases.transfer;
    jar?.store(res.headers['set-cookie']);
    const out: FetchResult = { phases, totalMs, headers: res.headers, body: res.body, finalUrl: url };
    if (res.status !== undefined) out.status = res.status;
    if (res.tls) out.tls = res.tls;
    if (res.error) return { ...out, error: res.error };
    const location = res.headers.location;
    if (
      !conn.followRedirects ||
      res.status === undefined ||
      !REDIRECTS.has(res.status) ||
      typeof location !== 'string'
    )
      return out;
    visited.push(`${url.pathname}${url.search}`);
    if (hop >= conn.maxRedirects) {
      const next = new URL(location, url);
      const loop = visited.includes(`${next.pathname}${next.search}`) ? ' (a redirect loop)' : '';
      return {
        ...out,
        error: {
          kind: 'http_status',
          message: `${req.url.host} still redirected (${res.status} to ${next.href}) after ${conn.maxRedirects} redirects${loop}: ${visited.join(' → ')}`,
        },
      };
    }
    url = new URL(location, url);
    // RFC 9110 §15.4: 303 always, and 301/302 after POST in practice, turn into GET without a body.
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
  }
}
