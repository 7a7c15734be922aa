import type { Principal } from '../../core/index.js';
import { hasPermission, type RoleDef } from './roles.js';
import type { SessionState } from './sessions.js';

/** Routes anyone may call (health, metrics, sign-in, signed links). */
export const PUBLIC = 'public';
/** Any authenticated caller (see who you are, sign out). */
export const AUTHENTICATED = 'authenticated';
/** Only a session that has not enrolled TOTP yet. */
export const ENROL = 'session:enrol';
/** A signed-in user replacing their password (one-time or not). */
export const OWN_PASSWORD = 'session:password';

/**
 * Permission domains whose routes filter their data by `principal.customerId` (sla reports,
 * planned downtimes and the overview do). A customer-scoped caller is refused every other
 * domain, so a route that does not know about customers can never show another customer's data.
 * A domain that passes the scope down to its queries joins this list.
 */
export const CUSTOMER_AWARE_DOMAINS: ReadonlySet<string> = new Set([
  'sla',
  'incidents',
  'status',
  'evidence',
]);

/**
 * Whether a caller may use a route needing `needed`: the one decision the hook enforces and
 * the matrix reports (`vigil rbac matrix`), so both always agree.
 */
export function mayCall(p: Principal, state: SessionState | undefined, needed: string): boolean {
  if (needed === PUBLIC) return true;
  if (p.kind === 'anonymous') return false;
  if (needed === AUTHENTICATED) return true;
  if (needed === ENROL) return state === 'enrol';
  if (needed === OWN_PASSWORD) return p.kind === 'user' && (state === 'password' || state === 'full');
  if (state === 'enrol' || state === 'password') return false;
  if (p.customerId !== undefined && !CUSTOMER_AWARE_DOMAINS.has(needed.split(':')[0]!)) return false;
  return hasPermission(p.permissions, needed);
}

/** The principal of a fully signed-in user holding exactly one role (for the matrix and its test). */
export function rolePrincipal(role: RoleDef, customerId = 'example'): Principal {
  return {
    kind: 'user',
    name: `(${role.name})`,
    roles: [role.name],
    permissions: role.permissions,
    ...(role.customerScoped ? { customerId } : {}),
  };
}
