import { performance } from 'node:perf_hooks';
import { Client } from 'undici';
import type { IncomingHttpHeaders } from 'undici/types/header.js';
import type { ProbeErrorKind, ProbePhases, ProbeTlsInfo } from '../core/index.js';
import { classifyError, describeError } from './error-kind.js';
import { afterIo } from './io-yield.js';
import { timingConnector, type ConnectorOptions, type PhaseMarks } from './timing-connector.js';

export interface ExchangeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Stop keeping body bytes past this (the rest is still read, so transfer is timed fully). */
  maxBodyBytes: number;
}

export interface ExchangeResult {
  phases: ProbePhases;
  status?: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  tls?: ProbeTlsInfo;
  error?: { kind: ProbeErrorKind; message: string };
}

function phasesOf(m: PhaseMarks, now: number): ProbePhases {
  // Consecutive differences of the marks, so the phases add up to the wall time exactly.
  const r = m.resolved ?? now;
  const c = m.connected ?? Math.max(r, now);
  const t = m.tlsDone ?? Math.max(c, now);
  const h = m.headers ?? Math.max(t, now);
  const e = m.end ?? Math.max(h, now);
  return { resolve: r - m.start, connect: c - r, tls: t - c, processing: h - t, transfer: e - h };
}

/**
 * One HTTP exchange timed by phase. A fresh `HttpExchanger` per probe gives a fresh connection;
 * one kept per target with keepAlive reuses it (then resolve, connect and tls are 0).
 */
export class HttpExchanger {
  #client: Client | undefined;
  #origin = '';
  #marks: PhaseMarks = { start: 0, phase: 'resolve' };
  readonly #opts: ConnectorOptions & { keepAlive: boolean };

  constructor(opts: ConnectorOptions & { keepAlive: boolean }) {
    this.#opts = opts;
  }

  #clientFor(origin: string): Client {
    if (this.#client && this.#origin === origin && !this.#client.destroyed && !this.#client.closed)
      return this.#client;
    void this.#client?.destroy();
    this.#origin = origin;
    this.#client = new Client(origin, {
      connect: timingConnector(() => this.#marks, this.#opts),
      pipelining: 1,
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: this.#opts.keepAlive ? 30_000 : 1,
    });
    return this.#client;
  }

  /** Runs one request; never rejects: failures come back as `error`. */
  exchange(req: ExchangeRequest, signal: AbortSignal): Promise<ExchangeResult> {
    // The client object is built before the clock starts: its construction is vigil's cost, not
    // the service's. It connects only on dispatch, so each probe still gets a fresh connection.
    const client = this.#clientFor(req.url.origin);
    const marks: PhaseMarks = { start: performance.now(), phase: 'resolve' };
    this.#marks = marks;
    const chunks: Buffer[] = [];
    let kept = 0;
    let status: number | undefined;
    let headers: IncomingHttpHeaders = {};
    const where = req.url.host;
    return new Promise<ExchangeResult>((resolve) => {
      let settled = false;
      const finish = (err?: unknown, timedOut = false): void => {
        if (settled) return;
        settled = true;
        const now = performance.now();
        // On a failure the connection may still move on before the report: keep the marks as now.
        const at = err === undefined ? marks : { ...marks };
        // Everything past the stamp waits until pending I/O is read (see io-yield.ts).
        afterIo(() => report(now, at, err, timedOut));
      };
      const report = (now: number, at: PhaseMarks, err: unknown, timedOut: boolean): void => {
        signal.removeEventListener('abort', onAbort);
        const out: ExchangeResult = { phases: phasesOf(at, now), headers, body: Buffer.concat(chunks) };
        if (status !== undefined) out.status = status;
        if (at.tls) out.tls = at.tls;
        if (err !== undefined) {
          const kind = classifyError(err, at.phase, timedOut);
          out.error = { kind, message: describeError(kind, err, where) };
        }
        if (err !== undefined || !this.#opts.keepAlive) void client.destroy().catch(() => undefined);
        resolve(out);
      };
      const onAbort = (): void => finish(signal.reason ?? new Error('aborted'), true);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      client.dispatch(
        {
          origin: req.url.origin,
          path: `${req.url.pathname}${req.url.search}`,
          method: req.method as 'GET',
          headers: req.headers,
          body: req.body ?? null,
        },
        {
          onRequestStart() {
            // Called when the request goes onto a socket; on a reused connection the connector
            // never ran, so resolve, connect and tls are 0.
            if (marks.tlsDone === undefined) {
              marks.resolved = marks.connected = marks.tlsDone = marks.start;
              marks.phase = 'request';
            }
          },
          onResponseStart(_c, code, h) {
            // The first byte was stamped on the socket before undici parsed it (timing-connector).
            marks.headers = marks.firstByte ?? performance.now();
            status = code;
            headers = h;
          },
          onResponseData(_c, chunk) {
            if (kept < req.maxBodyBytes) {
              chunks.push(chunk);
              kept += chunk.length;
            }
          },
          onResponseEnd() {
            marks.end = performance.now();
            finish();
          },
          onResponseError(_c, err) {
            finish(err);
          },
        },
      );
    });
  }

  async close(): Promise<void> {
    await this.#client?.destroy();
    this.#client = undefined;
  }
}
