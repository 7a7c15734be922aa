import { z } from 'zod';
import { duration, type ConfigSection } from '../core/index.js';
import { DEFAULT_ARGON2, type Argon2Params } from './auth/passwords.js';
import type { RoleDef } from './auth/roles.js';
import { BUILTIN_ROLES } from './auth/roles.js';

const MIN = 60_000;
const permission = z
  .string()
  .regex(
    /^(\*|[a-z_]+:(\*|[a-z_]+)|\*:[a-z_]+)$/,
    'must be a permission such as alerting:read, sla:*, *:read or *',
  );

const authSchema = z.strictObject({
  public_paths: z.array(z.string().startsWith('/')).default(['/healthz', '/readyz', '/metrics']),
  allowed_hosts: z
    .array(z.string().regex(/^[a-z0-9.-]+$|^\[[0-9a-f:]+\]$/i, 'must be a host name or address'))
    .default([]),
  session: z
    .strictObject({
      idle_timeout: duration()
        .default(15 * MIN)
        .refine((v) => v <= 15 * MIN, 'must be at most 15m (PCI DSS 4.0.1 8.2.8)'),
      absolute_lifetime: duration().default(12 * 60 * MIN),
    })
    .default({ idle_timeout: 15 * MIN, absolute_lifetime: 12 * 60 * MIN }),
  lockout: z
    .strictObject({
      max_failures: z.number().int().min(1).max(10, 'must be at most 10 (PCI DSS 4.0.1 8.3.4)').default(10),
      duration: duration()
        .default(30 * MIN)
        .refine((v) => v >= 30 * MIN, 'must be at least 30m (PCI DSS 4.0.1 8.3.4)'),
    })
    .default({ max_failures: 10, duration: 30 * MIN }),
  rate_limit_per_minute: z.number().int().min(1).default(30),
  secure_cookies: z.union([z.literal('auto'), z.boolean()]).default('auto'),
  argon2: z
    .strictObject({
      memory_kib: z.number().int().min(19456).default(DEFAULT_ARGON2.memoryCost),
      iterations: z.number().int().min(2).default(DEFAULT_ARGON2.timeCost),
      parallelism: z.number().int().min(1).max(16).default(DEFAULT_ARGON2.parallelism),
    })
    .default({
      memory_kib: DEFAULT_ARGON2.memoryCost,
      iterations: DEFAULT_ARGON2.timeCost,
      parallelism: DEFAULT_ARGON2.parallelism,
    }),
  key_file: z.string().min(1).optional(),
  issuer: z.string().min(1).default('vigil'),
  roles: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case'),
        description: z.string().default(''),
        permissions: z.array(permission).min(1),
        customer_scoped: z.boolean().default(false),
      }),
    )
    .default([]),
});

/** The parsed `auth:` section. */
export type AuthConfig = z.output<typeof authSchema>;

/** The `auth:` config section: sessions, lockout, password hashing, key file, custom roles. */
export const serverConfigSections: ConfigSection[] = [
  {
    key: 'auth',
    optional: true,
    schema: authSchema,
    check: (config, report) => {
      const auth = config.auth as AuthConfig | undefined;
      const builtin = new Set(BUILTIN_ROLES.map((r) => r.name));
      const seen = new Set<string>();
      auth?.roles.forEach((r, i) => {
        if (builtin.has(r.name)) report(['auth', 'roles', i, 'name'], `"${r.name}" is a built-in role`);
        if (seen.has(r.name)) report(['auth', 'roles', i, 'name'], `duplicate role "${r.name}"`);
        seen.add(r.name);
      });
    },
  },
];

/** The `auth:` section with every default filled in (also when the key is absent). */
export function authConfigFrom(config: Record<string, unknown>): AuthConfig {
  return (config.auth as AuthConfig | undefined) ?? authSchema.parse({});
}

export const argon2From = (a: AuthConfig): Argon2Params => ({
  memoryCost: a.argon2.memory_kib,
  timeCost: a.argon2.iterations,
  parallelism: a.argon2.parallelism,
});

export const customRolesFrom = (a: AuthConfig): RoleDef[] =>
  a.roles.map((r) => ({
    name: r.name,
    description: r.description,
    permissions: r.permissions,
    customerScoped: r.customer_scoped,
  }));
