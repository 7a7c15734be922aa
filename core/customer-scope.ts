import type { Principal } from './principal.js';

/**
 * The customer a request is limited to (a customer_coordinator, a customer token), read from
 * the principal server/ sets on every request; undefined when the caller sees every customer.
 * Domains pass it down to their queries, so scope holds in the data, not only in the routes.
 */
export function customerScope(req: object): string | undefined {
  return (req as { principal?: Principal }).principal?.customerId;
}

/** Whether an object of `customerId` is visible under `scope` (no scope: everything). */
export const inScope = (scope: string | undefined, customerId: string | null | undefined): boolean =>
  scope === undefined || customerId === scope;
