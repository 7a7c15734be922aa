/** Who is calling: a signed-in user, an API token, an agent, a signed link, the CLI's OS user, or nobody. */
export interface Principal {
  kind: 'user' | 'token' | 'agent' | 'signed_link' | 'os_user' | 'anonymous';
  /** Human-readable name for logs and the audit log: user name, token name, OS user name. */
  name: string;
  /** Store id of the user or token, when there is one. */
  id?: string;
  /** Roles in force (users); empty for tokens, which carry permissions directly. */
  roles: readonly string[];
  /** The permissions this principal holds, e.g. "alerts:write". */
  permissions: readonly string[];
  /** Set when the principal is scoped to one customer (customer_coordinator, customer tokens). */
  customerId?: string;
}

/** The caller before authentication. */
export const ANONYMOUS: Principal = { kind: 'anonymous', name: 'anonymous', roles: [], permissions: [] };
