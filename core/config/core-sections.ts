import { z } from 'zod';
import ipaddr from 'ipaddr.js';
import type { ConfigSection, IssueReporter } from './section.js';
import { id, secret, timezone } from './primitives.js';
import { namedTimeIntervalSchema } from '../time/index.js';
import { auditSection } from '../audit/config.js';
import { backupSection } from '../backup/config.js';
import { checkListenSecurity, tlsSchema } from './tls-section.js';

/** The vigil default time zone (the contracts are Dutch). */
export const DEFAULT_TIMEZONE = 'Europe/Amsterdam';

/** HOST:PORT or [v6]:PORT. */
export const listenAddress = () =>
  z
    .string()
    .regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, 'must be HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080');

const cidr = z.string().refine((v) => {
  try {
    ipaddr.parseCIDR(v);
    return true;
  } catch {
    return false;
  }
}, 'is not a CIDR network (e.g. 203.0.113.0/24 or 2001:db8::/32)');

const contact = z.strictObject({
  name: z.string().min(1),
  email: z.email(),
  role: z.enum(['security', 'technical', 'management', 'billing']).optional(),
});

/** Reports every id that appears more than once in a list of objects. */
export function checkUniqueIds(list: unknown, key: string, report: IssueReporter, field = 'id'): Set<string> {
  const seen = new Set<string>();
  if (!Array.isArray(list)) return seen;
  list.forEach((item, i) => {
    const v = (item as Record<string, unknown> | null)?.[field];
    if (typeof v !== 'string') return;
    if (seen.has(v)) report([key, i, field], `duplicate ${field} "${v}"`);
    seen.add(v);
  });
  return seen;
}

/** The ids defined in a top-level list, for reference checks. */
export function definedIds(config: Record<string, unknown>, key: string, field = 'id'): Set<string> {
  const list = config[key];
  const out = new Set<string>();
  if (Array.isArray(list)) {
    for (const item of list) {
      const v = (item as Record<string, unknown> | null)?.[field];
      if (typeof v === 'string') out.add(v);
    }
  }
  return out;
}

/** The keys owned by core: time zone, store, server, shared time intervals, customers, logging. */
export const coreSections: ConfigSection[] = [
  { key: 'timezone', schema: timezone().default(DEFAULT_TIMEZONE), optional: true },
  {
    key: 'store',
    optional: true,
    schema: z.strictObject({
      url: z
        .string()
        .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgres://')
        .default('sqlite:vigil.db'),
    }),
  },
  {
    key: 'server',
    optional: true,
    schema: z.strictObject({
      listen: listenAddress().default('127.0.0.1:8080'),
      external_url: z.url().optional(),
      tls: tlsSchema.optional(),
      insecure_http: z.boolean().default(false),
    }),
    check: checkListenSecurity,
  },
  {
    key: 'time_intervals',
    optional: true,
    schema: z.array(namedTimeIntervalSchema),
    check: (config, report) => checkUniqueIds(config.time_intervals, 'time_intervals', report, 'name'),
  },
  {
    key: 'customers',
    optional: true,
    schema: z.array(
      z.strictObject({
        id: id(),
        name: z.string().min(1),
        networks: z.array(cidr).default([]),
        contacts: z.array(contact).default([]),
        /** Language of reports and notices to this customer (issue 12). */
        language: z.enum(['nl', 'en']).default('nl'),
        // Who may see /status/<id> (docs/web.md): anyone, holders of the signed link, or the
        // customer's coordinators (and unscoped readers with status:read) only.
        status_page: z
          .strictObject({
            access: z.enum(['public', 'signed_link', 'coordinator']).default('coordinator'),
            link_secret: secret().optional(),
          })
          .refine((s) => s.access !== 'signed_link' || s.link_secret !== undefined, {
            message: 'access: signed_link needs link_secret',
          })
          .optional(),
      }),
    ),
    check: (config, report) => checkUniqueIds(config.customers, 'customers', report),
  },
  {
    key: 'log',
    optional: true,
    schema: z.strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    }),
  },
  auditSection,
  backupSection,
];
