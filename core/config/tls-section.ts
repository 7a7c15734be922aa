import { z } from 'zod';
import { isLoopbackHost } from '../net.js';
import { duration } from './primitives.js';
import type { IssueReporter } from './section.js';

/**
 * `server.tls`: a certificate and key from files (PEM; read again on SIGHUP), or a self-signed
 * certificate vigil makes on first start and keeps in the data directory.
 */
export const tlsSchema = z
  .strictObject({
    cert_file: z.string().min(1).optional(),
    key_file: z.string().min(1).optional(),
    self_signed: z.boolean().default(false),
    /** Extra DNS names or IP addresses for the self-signed certificate (the listen host and localhost are always in). */
    hosts: z.array(z.string().min(1)).default([]),
    /** Strict-Transport-Security max-age (RFC 6797); 0 turns HSTS off. */
    hsts_max_age: duration().default(180 * 86_400_000),
  })
  .superRefine((t, ctx) => {
    const files = t.cert_file !== undefined || t.key_file !== undefined;
    if (t.self_signed && files)
      ctx.addIssue({
        code: 'custom',
        message: 'give either cert_file and key_file, or self_signed: true, not both',
      });
    else if (!t.self_signed && (t.cert_file === undefined || t.key_file === undefined))
      ctx.addIssue({ code: 'custom', message: 'needs cert_file and key_file, or self_signed: true' });
  });

export type TlsConfig = z.infer<typeof tlsSchema>;

/**
 * vigil carries sessions, tokens and acknowledgements: it must not listen in the clear where the
 * network can reach it, unless the operator says so explicitly (`insecure_http: true`, e.g. behind
 * a TLS-terminating proxy on the same host).
 */
export function checkListenSecurity(config: Record<string, unknown>, report: IssueReporter): void {
  const server = config.server as { listen?: string; tls?: unknown; insecure_http?: boolean } | undefined;
  const listen = server?.listen ?? '127.0.0.1:8080';
  const host = /^\[?([^\]]+?)\]?:\d+$/.exec(listen)?.[1] ?? listen;
  if (isLoopbackHost(host) || server?.tls || server?.insecure_http === true) return;
  report(
    ['server', 'listen'],
    `server.listen ${listen} is reachable from the network but server.tls is not set: configure server.tls, or set server.insecure_http: true to serve plain HTTP on purpose`,
  );
}
