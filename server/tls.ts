import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { VigilError, errorMessage, type TlsConfig } from '../core/index.js';
import { certificateFingerprint, makeSelfSignedCertificate } from './self-signed.js';

/** What the HTTPS server is started with. */
export interface TlsMaterial {
  cert: string;
  key: string;
  /** SHA-256 fingerprint of the certificate (colon-separated hex). */
  fingerprint: string;
  selfSigned: boolean;
  /** Where the certificate was read from. */
  certFile: string;
  /** HSTS max-age in seconds (0: no HSTS header). */
  hstsMaxAgeSeconds: number;
}

/** Renew a self-signed certificate this long before it expires. */
const RENEW_BEFORE_MS = 30 * 86_400_000;

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new VigilError('CFG_TLS', `cannot read the TLS ${what} ${file}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

/**
 * The certificate and key for `server.tls`: read from `cert_file`/`key_file` (relative to the
 * config file's folder; read on every start, so SIGHUP picks up a renewed certificate), or the
 * self-signed pair in `<dataDir>/tls/`, made on first start (and again when it nears expiry).
 */
export function loadTlsMaterial(
  cfg: TlsConfig,
  opts: { dataDir: string; configDir: string; hosts: readonly string[]; now?: number },
): TlsMaterial & { created: boolean } {
  const hsts = Math.floor(cfg.hsts_max_age / 1000);
  if (!cfg.self_signed) {
    const certFile = resolve(opts.configDir, cfg.cert_file!);
    const cert = readPem(certFile, 'certificate');
    const key = readPem(resolve(opts.configDir, cfg.key_file!), 'key');
    let fingerprint: string;
    try {
      fingerprint = certificateFingerprint(cert);
    } catch (err) {
      throw new VigilError('CFG_TLS', `${certFile} is not a PEM certificate: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    return { cert, key, fingerprint, selfSigned: false, certFile, hstsMaxAgeSeconds: hsts, created: false };
  }
  const certFile = join(opts.dataDir, 'tls', 'self-signed.crt');
  const keyFile = join(opts.dataDir, 'tls', 'self-signed.key');
  const now = opts.now ?? Date.now();
  let created = false;
  if (!existsSync(certFile) || !existsSync(keyFile) || expiresSoon(readPem(certFile, 'certificate'), now)) {
    const pair = makeSelfSignedCertificate(['localhost', '127.0.0.1', '::1', ...opts.hosts], 825, now);
    mkdirSync(dirname(certFile), { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, pair.key, { mode: 0o600 });
    writeFileSync(certFile, pair.cert, { mode: 0o644 });
    created = true;
  }
  const cert = readPem(certFile, 'certificate');
  return {
    cert,
    key: readPem(keyFile, 'key'),
    fingerprint: certificateFingerprint(cert),
    selfSigned: true,
    certFile,
    hstsMaxAgeSeconds: hsts,
    created,
  };
}

function expiresSoon(certPem: string, now: number): boolean {
  try {
    return Date.parse(new X509Certificate(certPem).validTo) - now < RENEW_BEFORE_MS;
  } catch {
    // An unreadable certificate is replaced like an expired one.
    return true;
  }
}
