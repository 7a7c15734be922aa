import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import {
  AuditLog,
  auditKeyPath,
  loadOrCreateAuditKey,
  type AuditConfig,
  type Logger,
  type TlsConfig,
} from '../../core/index.js';
import { loadTlsMaterial, type TlsMaterial } from '../../server/index.js';
import type { LoadedConfig, WireContext } from './types.js';

/**
 * The audit log of `vigil start`: signs with the instance key in `<data>/keys/` (made on first
 * start), a checkpoint every `audit.checkpoint_interval`, and records the start (or a SIGHUP
 * reload) itself.
 */
export function wireAudit(ctx: Omit<WireContext, 'sinks'>, reload = false): AuditLog {
  const cfg = ctx.config.audit as AuditConfig | undefined;
  const signer = loadOrCreateAuditKey(auditKeyPath(ctx.dataDir));
  const audit = new AuditLog({
    store: ctx.store,
    log: ctx.log.child({ component: 'audit' }),
    clock: ctx.clock,
    signer,
    checkpointIntervalMs: cfg?.checkpoint_interval ?? 3_600_000,
    maxBatch: cfg?.max_batch ?? 2000,
    metrics: ctx.metrics,
  });
  audit.append({
    at: ctx.clock.now(),
    actor: { kind: 'os_user', name: osUserName() },
    source: 'local',
    action: reload ? 'signal: reload' : 'cli: start',
    object: ctx.config.__file,
    result: 'ok',
  });
  return audit;
}

/** The operating-system user running this process (the CLI's actor). */
export function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for the uid (some containers): the uid is still a name.
    return `uid:${process.getuid?.() ?? 'unknown'}`;
  }
}

/** The TLS certificate for `server.tls`, or undefined for plain HTTP; logs the fingerprint. */
export function wireTls(
  config: LoadedConfig,
  dataDir: string,
  listenHost: string,
  log: Logger,
): TlsMaterial | undefined {
  const server = config.server as { tls?: TlsConfig; external_url?: string } | undefined;
  if (!server?.tls) return undefined;
  const extra = server.external_url ? [new URL(server.external_url).hostname] : [];
  const hosts = [listenHost, ...extra, ...server.tls.hosts].filter((h) => h !== '0.0.0.0' && h !== '::');
  const tls = loadTlsMaterial(server.tls, { dataDir, configDir: dirname(config.__file), hosts });
  log.info(
    {
      fingerprint: tls.fingerprint,
      certFile: tls.certFile,
      selfSigned: tls.selfSigned,
      created: tls.created,
    },
    tls.selfSigned
      ? `HTTPS with a self-signed certificate, SHA-256 fingerprint ${tls.fingerprint}`
      : `HTTPS with certificate ${tls.certFile}, SHA-256 fingerprint ${tls.fingerprint}`,
  );
  return tls;
}
