import { isAbsolute, join, resolve } from 'node:path';
import {
  loadOrCreateKeyRing,
  type Alert,
  type AlertSink,
  type Clock,
  type Logger,
  type SecretBox,
  type Store,
} from '../core/index.js';
import {
  AuthService,
  argon2From,
  authConfigFrom,
  customRolesFrom,
  parseListen,
  type AuthConfig,
  type ServerAuth,
} from '../server/index.js';
import type { LoadedConfig } from './wire/types.js';

/** The key ring file: `auth.key_file` (relative to the data directory) or `<data>/keys/secret.key`. */
export function keyFilePath(config: LoadedConfig, dataDir: string): string {
  const f = authConfigFrom(config).key_file;
  if (!f) return join(dataDir, 'keys', 'secret.key');
  return isAbsolute(f) ? f : resolve(dataDir, f);
}

/** Accounts over an open store, with the key ring (created on first use). */
export function openAuth(
  config: LoadedConfig,
  store: Store,
  dataDir: string,
  clock: Clock,
): { service: AuthService; config: AuthConfig; box: SecretBox; keyCreated: boolean } {
  const auth = authConfigFrom(config);
  const { box, created } = loadOrCreateKeyRing(keyFilePath(config, dataDir));
  const service = new AuthService({
    store,
    box,
    clock,
    argon2: argon2From(auth),
    limits: { idleTimeoutMs: auth.session.idle_timeout, absoluteLifetimeMs: auth.session.absolute_lifetime },
    customRoles: customRolesFrom(auth),
  });
  return { service, config: auth, box, keyCreated: created };
}

/** The server's auth settings from config: host names it answers to, agent tokens, the lockout alert. */
export function serverAuthFrom(
  config: LoadedConfig,
  service: AuthService,
  clock: Clock,
  alerts: AlertSink,
  log: Logger,
): ServerAuth {
  const auth = authConfigFrom(config);
  const server = config.server as { listen?: string; external_url?: string } | undefined;
  const hosts = [...auth.allowed_hosts];
  const origins: string[] = [];
  const listenHost = parseListen(server?.listen ?? '127.0.0.1:8080').host;
  if (!['0.0.0.0', '::'].includes(listenHost))
    hosts.push(listenHost.includes(':') ? `[${listenHost}]` : listenHost);
  if (server?.external_url) {
    const u = new URL(server.external_url);
    hosts.push(u.hostname);
    origins.push(u.origin);
  }
  const locations =
    (config.locations as Array<{ id: string; agent?: boolean; token?: { reveal(): string } }> | undefined) ??
    [];
  return {
    service,
    config: auth,
    clock,
    allowedHosts: hosts,
    allowedOrigins: origins,
    agentTokens: locations
      .filter((l) => l.agent && l.token)
      .map((l) => ({ location: l.id, token: l.token!.reveal() })),
    onLockout: (e) => {
      const alert: Alert = {
        labels: { alertname: 'VigilAccountLocked', severity: 'warning', user: e.user, component: 'auth' },
        annotations: {
          summary: `vigil account ${e.user} locked after repeated failed sign-ins from ${e.address}`,
          description: `locked until ${new Date(e.until).toISOString()} (PCI DSS 8.3.4)`,
        },
        startsAt: new Date(clock.now()).toISOString(),
        endsAt: new Date(e.until).toISOString(),
      };
      alerts([alert]).catch((err: unknown) => log.error({ err }, 'could not raise the lockout alert'));
    },
  };
}
