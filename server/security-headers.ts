import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { TlsMaterial } from './tls.js';

/**
 * Security headers on every answer (@fastify/helmet). The Content-Security-Policy allows only
 * vigil's own origin for scripts, styles, forms and images — no inline script or style, so an
 * injected `<script>` or `style=` in a label cannot run — and forbids framing (clickjacking of the
 * acknowledgement form). HSTS (RFC 6797) and upgrade-insecure-requests only over HTTPS: over
 * plain HTTP on loopback they would send browsers to a port that does not speak TLS.
 */
export async function securityHeaders(app: FastifyInstance, tls: TlsMaterial | undefined): Promise<void> {
  const hsts = tls && tls.hstsMaxAgeSeconds > 0;
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        ...(tls ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: hsts ? { maxAge: tls.hstsMaxAgeSeconds, includeSubDomains: false } : false,
    crossOriginEmbedderPolicy: false,
  });
}
