import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, rootCertificates, type TLSSocket } from 'node:tls';
import { performance } from 'node:perf_hooks';
import { CONFIG_FILE_MAX_BYTES, VigilError, errorMessage, readBoundedFile } from '../core/index.js';
import { classifyError, describeError, type FailPhase } from './error-kind.js';
import { makeResult } from './result.js';
import type { TlsProbeConfig } from './schemas.js';
import { tlsInfoOf } from './timing-connector.js';
import type { Probe, ProbeTarget } from './types.js';

const PROTOCOL_RANK: Record<string, number> = {
  SSLv3: 0,
  TLSv1: 1,
  'TLSv1.1': 2,
  'TLSv1.2': 3,
  'TLSv1.3': 4,
};
const DAY_MS = 86_400_000;

/**
 * The TLS probe (S4): handshakes without trusting blindly, then reports every problem at once:
 * chain not valid against the system or given CAs, hostname mismatch, a protocol below
 * `min_protocol` (TLS 1.2 by default), or a certificate in the chain expiring within
 * `min_days_valid` days. Old protocols are allowed in the handshake so they can be reported.
 */
export function tlsProbe(cfg: TlsProbeConfig): Probe {
  let ca: string[] = [...rootCertificates];
  if (cfg.ca_file) {
    try {
      ca = [readBoundedFile(cfg.ca_file, CONFIG_FILE_MAX_BYTES, 'ca_file')];
    } catch (err) {
      throw new VigilError('PRB_CA_FILE', errorMessage(err), {
        cause: err,
      });
    }
  }
  const servername = cfg.servername ?? (isIP(cfg.host) ? undefined : cfg.host);
  const where = `${cfg.host}:${cfg.port}`;
  return {
    async run(target: ProbeTarget, signal: AbortSignal) {
      const startedAt = new Date();
      const t0 = performance.now();
      const phases = { resolve: 0, connect: 0, tls: 0, processing: 0, transfer: 0 };
      let phase: FailPhase = 'resolve';
      let sock: TLSSocket | undefined;
      try {
        const address = isIP(cfg.host) ? cfg.host : (await lookup(cfg.host)).address;
        phases.resolve = performance.now() - t0;
        phase = 'connect';
        const t1 = performance.now();
        let connectedAt = t1;
        sock = tlsConnect({
          host: address,
          port: cfg.port,
          ...(servername ? { servername } : {}),
          ca,
          rejectUnauthorized: false,
          minVersion: 'TLSv1',
          // Let OpenSSL 3 negotiate old protocols so they are reported, not just refused.
          ciphers: 'DEFAULT:@SECLEVEL=0',
        });
        sock.once('connect', () => {
          connectedAt = performance.now();
          phase = 'tls';
        });
        const s = sock;
        await new Promise<void>((resolve, reject) => {
          const onAbort = (): void => reject(Object.assign(new Error('timed out'), { timedOut: true }));
          if (signal.aborted) return onAbort();
          signal.addEventListener('abort', onAbort, { once: true });
          s.once('error', reject);
          s.once('secureConnect', () => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          });
        });
        const done = performance.now();
        phases.connect = connectedAt - t1;
        phases.tls = done - connectedAt;
        const info = tlsInfoOf(s);
        const problems: string[] = [];
        if (!s.authorized) problems.push(`certificate chain not trusted: ${String(s.authorizationError)}`);
        const leaf = s.getPeerCertificate();
        const name = cfg.servername ?? cfg.host;
        const mismatch = leaf.subject ? checkServerIdentity(name, leaf) : new Error('no certificate');
        if (mismatch) problems.push(`certificate does not match ${name}: ${mismatch.message}`);
        const protocol = s.getProtocol() ?? 'unknown';
        if ((PROTOCOL_RANK[protocol] ?? -1) < (PROTOCOL_RANK[cfg.min_protocol] ?? 3)) {
          problems.push(`negotiated ${protocol}, below the minimum ${cfg.min_protocol}`);
        }
        if (info?.earliestValidTo) {
          const days = (Date.parse(info.earliestValidTo) - Date.now()) / DAY_MS;
          if (days < cfg.min_days_valid) {
            const which =
              info.earliestValidTo === info.validTo ? 'leaf certificate' : 'a certificate in the chain';
            problems.push(
              days < 0
                ? `${which} expired on ${info.earliestValidTo}`
                : `${which} expires on ${info.earliestValidTo}, in ${days.toFixed(1)} days (minimum ${cfg.min_days_valid})`,
            );
          }
        }
        const totalMs = done - t0;
        const base = { phases, totalMs, ...(info ? { tls: info } : {}) };
        if (problems.length > 0) {
          return makeResult(target, startedAt, {
            ...base,
            ok: false,
            error: { kind: 'tls', message: `${where}: ${problems.join('; ')}` },
          });
        }
        return makeResult(target, startedAt, { ...base, ok: true });
      } catch (err) {
        const kind = classifyError(err, phase, (err as { timedOut?: boolean }).timedOut === true);
        return makeResult(target, startedAt, {
          ok: false,
          phases,
          totalMs: performance.now() - t0,
          error: { kind, message: describeError(kind, err, where) },
        });
      } finally {
        sock?.destroy();
      }
    },
  };
}
