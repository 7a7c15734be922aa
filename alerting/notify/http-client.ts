import { readFileSync } from 'node:fs';
import { Agent, ProxyAgent, interceptors, request, type Dispatcher } from 'undici';
import { z } from 'zod';
import { VigilError, errorMessage, readSecretFile } from '../../core/index.js';

// Prometheus's common HTTP client configuration (github.com/prometheus/common/config,
// HTTPClientConfig, the version Alertmanager 0.25 uses), applied to a receiver's requests:
// basic auth, Authorization credentials, bearer tokens, TLS (CA, client certificate, server name,
// insecure_skip_verify), a proxy and redirects. Secrets given as files are read on every request,
// as Prometheus does, so a rotated file takes effect without a reload.

const str = z.string();
const tlsSchema = z.strictObject({
  ca: str.optional(),
  ca_file: str.optional(),
  cert: str.optional(),
  cert_file: str.optional(),
  key: str.optional(),
  key_file: str.optional(),
  server_name: str.optional(),
  insecure_skip_verify: z.boolean().optional(),
  min_version: z.enum(['TLS10', 'TLS11', 'TLS12', 'TLS13']).optional(),
  max_version: z.enum(['TLS10', 'TLS11', 'TLS12', 'TLS13']).optional(),
});

/** http_config as Prometheus's common config reads it (oauth2 is refused: vigil cannot send it). */
export const httpClientConfigSchema = z.strictObject({
  basic_auth: z
    .strictObject({ username: str.optional(), password: str.optional(), password_file: str.optional() })
    .optional(),
  authorization: z
    .strictObject({ type: str.optional(), credentials: str.optional(), credentials_file: str.optional() })
    .optional(),
  bearer_token: str.optional(),
  bearer_token_file: str.optional(),
  tls_config: tlsSchema.optional(),
  proxy_url: str.optional(),
  no_proxy: str.optional(),
  proxy_from_environment: z.boolean().optional(),
  proxy_connect_header: z.record(str, z.array(str)).optional(),
  follow_redirects: z.boolean().optional(),
  enable_http2: z.boolean().optional(),
});
export type HttpClientConfig = z.infer<typeof httpClientConfigSchema>;
export type TlsConfig = z.infer<typeof tlsSchema>;

/** What a request answers: the status and (the start of) the body, or a network error. */
export type HttpAnswer = { status: number; body: string } | { error: string };

/** Sends requests with a receiver's http_config applied. */
export interface HttpSender {
  send(
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string | undefined },
    signal?: AbortSignal,
  ): Promise<HttpAnswer>;
}

const pem = (inline: string | undefined, file: string | undefined) =>
  inline ?? (file ? readFileSync(file, 'utf8') : undefined);

/** Node TLS options from a Prometheus tls_config. */
export function tlsOptions(t: TlsConfig | undefined) {
  if (!t) return {};
  const v = (x: string | undefined) =>
    x ? (`TLSv1.${x.slice(4)}`.replace('1.0', '1') as 'TLSv1.2') : undefined;
  return {
    ca: pem(t.ca, t.ca_file),
    cert: pem(t.cert, t.cert_file),
    key: pem(t.key, t.key_file),
    servername: t.server_name || undefined,
    rejectUnauthorized: !(t.insecure_skip_verify ?? false),
    minVersion: v(t.min_version) ?? 'TLSv1.2',
    maxVersion: v(t.max_version),
  };
}

/** Checks an http_config; throws a VigilError naming the first problem. */
export function parseHttpConfig(raw: unknown, where: string): HttpClientConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'object' && 'oauth2' in raw)
    throw new VigilError('CFG_UNSUPPORTED', `${where}.oauth2 is not supported by vigil`);
  const p = httpClientConfigSchema.safeParse(raw);
  if (!p.success) {
    const i = p.error.issues[0]!;
    const key = i.code === 'unrecognized_keys' ? i.keys.join(', ') : i.path.join('.');
    throw new VigilError('CFG_INVALID', `${where}: ${key}: ${i.message}`);
  }
  const c = p.data;
  const both = (a: unknown, b: unknown, names: string) => {
    if (a !== undefined && b !== undefined)
      throw new VigilError('CFG_INVALID', `${where}: at most one of ${names} must be configured`);
  };
  both(c.basic_auth?.password, c.basic_auth?.password_file, 'basic_auth password & password_file');
  both(
    c.authorization?.credentials,
    c.authorization?.credentials_file,
    'authorization credentials & credentials_file',
  );
  both(c.bearer_token, c.bearer_token_file, 'bearer_token & bearer_token_file');
  const auths = [c.basic_auth, c.authorization, c.bearer_token ?? c.bearer_token_file].filter(
    (x) => x !== undefined,
  );
  if (auths.length > 1)
    throw new VigilError(
      'CFG_INVALID',
      `${where}: at most one of basic_auth, authorization and bearer_token must be configured`,
    );
  if (c.authorization?.type?.toLowerCase() === 'basic')
    throw new VigilError(
      'CFG_INVALID',
      `${where}: authorization type cannot be set to "basic", use "basic_auth" instead`,
    );
  if (c.proxy_url !== undefined && !/^https?:\/\//.test(c.proxy_url))
    throw new VigilError('CFG_INVALID', `${where}: proxy_url must be an http:// or https:// URL`);
  return c;
}

/** The Authorization header for a request, read fresh from the files each time. */
export function authHeader(c: HttpClientConfig): string | undefined {
  if (c.basic_auth) {
    const pass =
      c.basic_auth.password ?? (c.basic_auth.password_file ? readSecretFile(c.basic_auth.password_file) : '');
    return `Basic ${Buffer.from(`${c.basic_auth.username ?? ''}:${pass}`).toString('base64')}`;
  }
  if (c.authorization) {
    const cred =
      c.authorization.credentials ??
      (c.authorization.credentials_file ? readSecretFile(c.authorization.credentials_file).trim() : '');
    return `${c.authorization.type || 'Bearer'} ${cred}`;
  }
  const bearer =
    c.bearer_token ?? (c.bearer_token_file ? readSecretFile(c.bearer_token_file).trim() : undefined);
  return bearer !== undefined ? `Bearer ${bearer}` : undefined;
}

/**
 * A sender for a receiver with an http_config: one undici dispatcher (its own connection pool
 * with the TLS settings, or a proxy), redirects followed as Go's client does (up to 10) unless
 * `follow_redirects: false`.
 */
export function httpSender(c: HttpClientConfig): HttpSender {
  const tls = tlsOptions(c.tls_config);
  let dispatcher: Dispatcher = c.proxy_url
    ? new ProxyAgent({
        uri: c.proxy_url,
        requestTls: tls,
        headers: Object.fromEntries(
          Object.entries(c.proxy_connect_header ?? {}).map(([k, v]) => [k, v.join(', ')]),
        ),
      })
    : new Agent({ connect: tls });
  if (c.follow_redirects ?? true)
    dispatcher = dispatcher.compose(interceptors.redirect({ maxRedirections: 10 }));
  return {
    async send(url, init, signal) {
      const headers = { ...init.headers };
      try {
        const auth = authHeader(c);
        if (auth) headers.authorization = auth;
        const res = await request(url, {
          method: init.method as 'POST',
          headers,
          body: init.body,
          signal,
          dispatcher,
          headersTimeout: 30_000,
          bodyTimeout: 30_000,
        });
        const text = await res.body.text();
        return { status: res.statusCode, body: text.slice(0, 1000) };
      } catch (err) {
        return { error: errorMessage(err) };
      }
    },
  };
}

/** A plain sender on this thread (no http_config), for requests whose answer body is needed. */
export const plainSender: HttpSender = {
  async send(url, init, signal) {
    try {
      const res = await request(url, {
        method: init.method as 'POST',
        headers: { 'user-agent': 'vigil-alerting', ...init.headers },
        body: init.body,
        signal,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      const text = await res.body.text();
      return { status: res.statusCode, body: text.slice(0, 1000) };
    } catch (err) {
      return { error: errorMessage(err) };
    }
  },
};
