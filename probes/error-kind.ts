import type { ProbeErrorKind } from '../core/index.js';

/** The phase a request was in when it failed; decides e.g. connect_timeout versus timeout. */
export type FailPhase = 'resolve' | 'connect' | 'tls' | 'request';

// OpenSSL / Node certificate verification codes (node:tls, X509_V_ERR_* names without the prefix).
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
  'EPROTO',
]);

interface ErrLike {
  code?: string;
  message?: string;
  name?: string;
  cause?: unknown;
}

function codeOf(err: unknown): string {
  const e = err as ErrLike | undefined;
  if (!e || typeof e !== 'object') return '';
  if (typeof e.code === 'string' && e.code !== '') return e.code;
  return e.cause ? codeOf(e.cause) : '';
}

/**
 * Maps a thrown network error to the closed set of DESIGN.md §4. The phase breaks ties a code
 * alone cannot (an abort while connecting is connect_timeout, later it is timeout).
 */
export function classifyError(err: unknown, phase: FailPhase, timedOut: boolean): ProbeErrorKind {
  const code = codeOf(err);
  const message = (err as ErrLike | undefined)?.message ?? '';
  if (timedOut) {
    if (phase === 'resolve') return 'dns';
    if (phase === 'connect') return 'connect_timeout';
    return 'timeout';
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA' || code === 'EAI_NONAME')
    return 'dns';
  if (code === 'ECONNREFUSED') return 'connect_refused';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT')
    return phase === 'request' ? 'timeout' : 'connect_timeout';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return 'tls';
  if (phase === 'tls' && (code === 'ECONNRESET' || /socket disconnected|handshake/i.test(message)))
    return 'tls';
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'UND_ERR_SOCKET' ||
    /socket hang up|other side closed/i.test(message)
  ) {
    return 'reset';
  }
  return 'other';
}

/** A message a person can act on: what failed, where, and the underlying reason. */
export function describeError(kind: ProbeErrorKind, err: unknown, where: string): string {
  const e = err as ErrLike | undefined;
  const code = codeOf(err);
  const reason = `${e?.message ?? String(err)}${code && !(e?.message ?? '').includes(code) ? ` (${code})` : ''}`;
  switch (kind) {
    case 'dns':
      return `DNS lookup for ${where} failed: ${reason}`;
    case 'connect_refused':
      return `connection to ${where} refused: nothing listens there or a firewall rejects it`;
    case 'connect_timeout':
      return `no TCP connection to ${where} within the timeout: host down or packets dropped`;
    case 'tls':
      return `TLS handshake with ${where} failed: ${reason}`;
    case 'timeout':
      return `${where} did not answer completely within the timeout`;
    case 'reset':
      return `${where} closed the connection before the response was complete: ${reason}`;
    default:
      return `${where}: ${reason}`;
  }
}
