import { lookup } from 'node:dns';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { performance } from 'node:perf_hooks';
import type { buildConnector } from 'undici';
import type { ProbeTlsInfo } from '../core/index.js';
import type { FailPhase } from './error-kind.js';

/**
 * performance.now() marks of one exchange, in the order Go's httptrace (and so blackbox_exporter)
 * sees them: start → DNS done → TCP connected → TLS done → first response byte → body end.
 */
export interface PhaseMarks {
  start: number;
  resolved?: number;
  connected?: number;
  tlsDone?: number;
  /** First response byte readable on the socket (Go's GotFirstResponseByte). */
  firstByte?: number;
  headers?: number;
  end?: number;
  /** The phase in progress, for classifying a failure. */
  phase: FailPhase;
  remoteAddress?: string;
  tls?: ProbeTlsInfo;
}

export interface ConnectorOptions {
  /** Address family tried first (blackbox_exporter's preferred_ip_protocol); 0 = resolver order. */
  family: 0 | 4 | 6;
  /** Whether the other family may be used when the preferred one has no address. */
  fallback: boolean;
  ca?: string[];
  /** Skip certificate verification (the TLS probe reports validity itself). */
  insecure?: boolean;
  servername?: string;
  /**
   * Name overrides, as k6's `hosts` option: `name` or `name:port` → `address` or `address:port`.
   * The request still names the original host (Host header, TLS server name).
   */
  hosts?: Readonly<Record<string, string>>;
}

/** The address and port to dial for host:port, after the `hosts` overrides. */
function dialTarget(host: string, port: number, hosts: ConnectorOptions['hosts']): [string, number] {
  const over = hosts?.[`${host}:${port}`] ?? hosts?.[host];
  if (over === undefined) return [host, port];
  const m = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(over);
  if (!m || isIP(m[1] ?? '') === 0) return [over, port];
  return [m[1]!, m[2] ? Number(m[2]) : port];
}

/** Reads leaf and chain expiry, issuer and protocol from a connected TLS socket. */
export function tlsInfoOf(sock: TLSSocket): ProbeTlsInfo | undefined {
  const leaf = sock.getPeerCertificate(true);
  if (!leaf || !leaf.valid_to) return undefined;
  let earliest = Date.parse(leaf.valid_to);
  const seen = new Set<string>();
  let cert: PeerCertificate & { issuerCertificate?: PeerCertificate } = leaf;
  while (cert && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    earliest = Math.min(earliest, Date.parse(cert.valid_to));
    cert = cert.issuerCertificate as typeof cert;
  }
  const issuer = leaf.issuer
    ? Object.entries(leaf.issuer)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ')
    : '';
  return {
    validTo: new Date(Date.parse(leaf.valid_to)).toISOString(),
    earliestValidTo: new Date(earliest).toISOString(),
    issuer,
    protocol: sock.getProtocol() ?? 'unknown',
  };
}

/**
 * Stamps the first response byte in a 'readable' listener put on the socket before undici's own,
 * so the stamp precedes undici's parsing of the chunk. The marks are looked up when the event
 * fires: a kept-alive socket serves several exchanges, each with its own marks.
 */
function stampFirstByte(sock: Socket, current: () => PhaseMarks): void {
  sock.prependListener('readable', () => {
    const now = performance.now();
    const m = current();
    if (m.phase === 'request' && m.firstByte === undefined) m.firstByte = now;
  });
}

/**
 * An undici `connect` function that resolves, connects and handshakes itself so each phase gets
 * a performance.now() mark (the probe must time the service, not itself). `current()` returns the
 * marks of the exchange in progress; a kept-alive client reuses its socket and never calls this.
 */
export function timingConnector(current: () => PhaseMarks, opts: ConnectorOptions): buildConnector.connector {
  return (o, callback) => {
    const marks = current();
    const host = o.hostname.replace(/^\[|\]$/g, '');
    const https = o.protocol === 'https:';
    const [dialHost, port] = dialTarget(host, Number(o.port) || (https ? 443 : 80), opts.hosts);
    let done = false;
    const fail = (err: Error, sock?: Socket): void => {
      if (done) return;
      done = true;
      sock?.destroy();
      callback(err, null);
    };
    marks.phase = 'resolve';
    lookup(dialHost, { all: true, verbatim: true }, (err, addresses) => {
      marks.resolved = performance.now();
      if (err) return fail(err);
      const preferred = addresses.find((a) => opts.family === 0 || a.family === opts.family);
      const picked = preferred ?? (opts.fallback ? addresses[0] : undefined);
      if (!picked) {
        return fail(
          Object.assign(new Error(`${host} has no IPv${opts.family} address`), { code: 'ENOTFOUND' }),
        );
      }
      const address = picked.address;
      marks.remoteAddress = address;
      marks.phase = 'connect';
      const sock = netConnect({ host: address, port, noDelay: true });
      sock.once('error', (e) => fail(e, sock));
      sock.once('connect', () => {
        marks.connected = performance.now();
        if (!https) {
          marks.tlsDone = marks.connected;
          marks.phase = 'request';
          done = true;
          sock.removeAllListeners('error');
          stampFirstByte(sock, current);
          callback(null, sock);
          return;
        }
        marks.phase = 'tls';
        const servername = opts.servername ?? (isIP(host) ? undefined : host);
        const tsock = tlsConnect({
          socket: sock,
          host,
          ...(servername ? { servername } : {}),
          ...(opts.ca ? { ca: opts.ca } : {}),
          rejectUnauthorized: !opts.insecure,
          ALPNProtocols: ['http/1.1'],
        });
        tsock.once('error', (e) => fail(e, tsock));
        tsock.once('secureConnect', () => {
          marks.tlsDone = performance.now();
          marks.tls = tlsInfoOf(tsock);
          marks.phase = 'request';
          done = true;
          tsock.removeAllListeners('error');
          stampFirstByte(tsock, current);
          callback(null, tsock);
        });
      });
    });
  };
}
