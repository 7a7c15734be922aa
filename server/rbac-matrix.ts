import { ANONYMOUS, type Principal } from '../core/index.js';
import { mayCall, rolePrincipal } from './auth/access.js';
import type { RoleRegistry } from './auth/roles.js';
import type { RoutePermission } from './permissions.js';

/** A remote probe agent authenticated by its config token (`locations[].token`). */
const AGENT: Principal = { kind: 'agent', name: 'agent', roles: [], permissions: ['probes:agent'] };

/** One route of the function matrix (S12, MKBackup 24.8a) and who may call it. */
export interface MatrixRow {
  method: string;
  url: string;
  permission: string;
  /** Role name (and `anonymous`, `agent`) → allowed. */
  allowed: Record<string, boolean>;
}

/**
 * Route × role as the auth hook enforces it: the hook and this table both decide with
 * `mayCall`, from the routes the server registered and the roles it knows. Public paths
 * (health, metrics) are open to everyone.
 */
export function rbacMatrix(
  routes: readonly RoutePermission[],
  roles: RoleRegistry,
  publicPaths: readonly string[],
): MatrixRow[] {
  const open = new Set(publicPaths);
  return [...routes]
    .sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method))
    .map((r) => {
      const allowed: Record<string, boolean> = {
        anonymous: open.has(r.url) || mayCall(ANONYMOUS, undefined, r.permission),
      };
      allowed.agent = open.has(r.url) || mayCall(AGENT, undefined, r.permission);
      for (const role of roles.all())
        allowed[role.name] = open.has(r.url) || mayCall(rolePrincipal(role), 'full', r.permission);
      return { method: r.method, url: r.url, permission: r.permission, allowed };
    });
}

/** The matrix as a fixed-width text table (`vigil rbac matrix`). */
export function formatMatrix(rows: readonly MatrixRow[], roleNames: readonly string[]): string {
  const cols = ['anonymous', 'agent', ...roleNames];
  const head = ['METHOD', 'ROUTE', 'PERMISSION', ...cols];
  const body = rows.map((r) => [
    r.method,
    r.url,
    r.permission,
    ...cols.map((c) => (r.allowed[c] ? 'yes' : '-')),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  return [head, ...body]
    .map((line) =>
      line
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
