import { VigilError } from '../../core/index.js';

/** A role: a named set of permission patterns; customer-scoped roles are granted for one customer. */
export interface RoleDef {
  name: string;
  description: string;
  /** Exact permissions ("alerting:write") or patterns: "*", "alerting:*", "*:read". */
  permissions: readonly string[];
  customerScoped: boolean;
}

/**
 * The function matrix (S12, MKBackup 24.8a) as data. `*` covers everything except machine-only
 * permissions (`*:agent`): no person pushes probe results in an agent's name.
 */
export const BUILTIN_ROLES: readonly RoleDef[] = [
  {
    name: 'admin',
    description: 'everything, including users, tokens and keys',
    permissions: ['*'],
    customerScoped: false,
  },
  {
    name: 'ops',
    description: 'on-call operations: alerts, silences, acknowledgements, planned downtime, probes',
    permissions: [
      'alerting:*',
      'sla:*',
      'probes:read',
      'probes:write',
      'incidents:*',
      'analyzers:read',
      'scanners:read',
    ],
    customerScoped: false,
  },
  {
    name: 'security_officer',
    description: 'reviews IDS and scanner findings, runs security incidents and customer reports',
    permissions: [
      'analyzers:*',
      'scanners:*',
      'findings:*',
      'incidents:*',
      'alerting:read',
      'sla:read',
      'audit:read',
      'evidence:*',
    ],
    customerScoped: false,
  },
  {
    name: 'auditor',
    description: 'read-only, including the audit log and evidence',
    permissions: ['*:read'],
    customerScoped: false,
  },
  {
    name: 'customer_coordinator',
    description: "one customer's SLA reports, incidents and status, nothing of other customers",
    permissions: [
      'sla:read',
      'incidents:read',
      'incidents:accept',
      'incidents:report',
      'status:read',
      'evidence:read',
    ],
    customerScoped: true,
  },
];

/** Whether a granted pattern covers the permission a route needs. */
export function permissionCovers(pattern: string, needed: string): boolean {
  if (pattern === needed) return true;
  if (needed.endsWith(':agent')) return false;
  if (pattern === '*') return true;
  const [pd, pa] = pattern.split(':');
  const [nd, na] = needed.split(':');
  if (pa === '*' && pd === nd) return true;
  if (pd === '*' && pa === na) return true;
  return false;
}

/** Whether any of `granted` covers `needed`. */
export const hasPermission = (granted: readonly string[], needed: string): boolean =>
  granted.some((g) => permissionCovers(g, needed));

/** Built-in roles plus the custom roles of config (`auth.roles`); a custom role may not reuse a built-in name. */
export class RoleRegistry {
  readonly #roles = new Map<string, RoleDef>();

  constructor(custom: readonly RoleDef[] = []) {
    for (const r of BUILTIN_ROLES) this.#roles.set(r.name, r);
    for (const r of custom) {
      if (this.#roles.has(r.name)) throw new VigilError('AUTH_ROLE', `role "${r.name}" is defined twice`);
      this.#roles.set(r.name, r);
    }
  }

  get(name: string): RoleDef | undefined {
    return this.#roles.get(name);
  }

  /** Throws AUTH_ROLE naming the known roles. */
  require(name: string): RoleDef {
    const r = this.#roles.get(name);
    if (!r) throw new VigilError('AUTH_ROLE', `unknown role "${name}"; known: ${this.names().join(', ')}`);
    return r;
  }

  names(): string[] {
    return [...this.#roles.keys()];
  }

  all(): RoleDef[] {
    return [...this.#roles.values()];
  }
}
