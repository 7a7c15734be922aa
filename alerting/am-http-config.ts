import { z } from 'zod';
import { secret } from '../core/index.js';

// Prometheus' common HTTP client configuration as Alertmanager 0.25 vendors it
// (github.com/prometheus/common config/http_config.go), strict like its yaml.UnmarshalStrict:
// an unknown key is an error. The key set was checked against `amtool check-config` 0.25.

/** `tls_config` (config.TLSConfig): files only; inline `ca`/`cert`/`key` came later. */
export const amTlsConfigSchema = z.strictObject({
  ca_file: z.string().optional(),
  cert_file: z.string().optional(),
  key_file: z.string().optional(),
  server_name: z.string().optional(),
  insecure_skip_verify: z.boolean().optional(),
  min_version: z.string().optional(),
  max_version: z.string().optional(),
});

const basicAuth = z.strictObject({
  username: z.string().optional(),
  password: secret().optional(),
  password_file: z.string().optional(),
});

const authorization = z.strictObject({
  type: z.string().optional(),
  credentials: secret().optional(),
  credentials_file: z.string().optional(),
});

const oauth2 = z.strictObject({
  client_id: z.string().optional(),
  client_secret: secret().optional(),
  client_secret_file: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  token_url: z.string().optional(),
  endpoint_params: z.record(z.string(), z.string()).optional(),
  tls_config: amTlsConfigSchema.optional(),
  proxy_url: z.string().optional(),
});

/** `http_config` of a receiver or of `global:` (config.HTTPClientConfig). */
export const amHttpConfigSchema = z.strictObject({
  basic_auth: basicAuth.optional(),
  authorization: authorization.optional(),
  oauth2: oauth2.optional(),
  bearer_token: secret().optional(),
  bearer_token_file: z.string().optional(),
  tls_config: amTlsConfigSchema.optional(),
  proxy_url: z.string().optional(),
  proxy_connect_header: z.record(z.string(), z.array(secret())).optional(),
  follow_redirects: z.boolean().optional(),
  enable_http2: z.boolean().optional(),
});

export type AmHttpConfig = z.output<typeof amHttpConfigSchema>;
