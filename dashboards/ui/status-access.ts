import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** How a customer's status page is reached (`customers[].status_page`). */
export interface StatusPageAccess {
  access: 'public' | 'signed_link' | 'coordinator';
  /** HMAC key of the signed link (signed_link only). */
  linkSecret?: string;
}

/** The `sig` of a customer's signed status link: HMAC-SHA256 over a fixed label and the customer id. */
export function statusLinkSig(secret: string, customer: string): string {
  return createHmac('sha256', secret).update(`vigil-status:${customer}`).digest('base64url');
}

/**
 * Whether this request may see `customer`'s status page. Without a page configured, or when
 * refused, the caller gets the same 404 as for an unknown customer: a page never tells which
 * customers exist.
 */
export function mayViewStatus(
  req: FastifyRequest,
  customer: string,
  cfg: StatusPageAccess | undefined,
  may: (permission: string) => boolean,
): boolean {
  const p = req.principal;
  // Coordinators of this customer, and unscoped readers (admin, auditor), always.
  const signedIn =
    p.kind !== 'anonymous' &&
    (p.customerId === undefined ? may('status:read') : p.customerId === customer && may('status:read'));
  if (signedIn) return true;
  if (!cfg) return false;
  if (cfg.access === 'public') return true;
  if (cfg.access === 'signed_link' && cfg.linkSecret) {
    const sig = String((req.query as { sig?: unknown }).sig ?? '');
    const want = Buffer.from(statusLinkSig(cfg.linkSecret, customer));
    const got = Buffer.from(sig);
    return got.length === want.length && timingSafeEqual(got, want);
  }
  return false;
}
