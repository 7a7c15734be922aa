import { z } from 'zod';
import { duration, id, secret, MIN_KEY_BYTES, type ConfigSection } from '../core/index.js';
import { probeSchema, type ProbeConfig } from './schemas.js';

export const locationsSchema = z.array(
  z.strictObject({
    id: id(),
    name: z.string().optional(),
    agent: z.boolean().default(false),
    /** What the agent authenticates with: at least 32 bytes. */
    token: secret({ minBytes: MIN_KEY_BYTES }).optional(),
    /**
     * Agents only: the oldest result the server accepts, as the age its on-disk buffer may reach
     * (default 24h). Older results are refused: a token must not rewrite closed months.
     */
    max_buffer_age: duration({ min: 60_000, max: 30 * 86_400_000 }).optional(),
    /** Agents only: how far ahead of the server's clock a result may be dated (default 5m). */
    max_clock_skew: duration({ min: 0, max: 86_400_000 }).optional(),
  }),
);

/** Defaults of `locations[].max_buffer_age` and `max_clock_skew`. */
export const AGENT_WINDOW_DEFAULTS = { maxBufferAgeMs: 24 * 3_600_000, maxClockSkewMs: 5 * 60_000 } as const;

export const servicesSchema = z.array(
  z.strictObject({
    id: id(),
    name: z.string().optional(),
    customer: id(),
    sla: id().optional(),
    probes: z.array(probeSchema).min(1),
  }),
);

export const probesSectionSchema = z.strictObject({
  /** This instance's location id. */
  location: id().default('local'),
  loop_delay_threshold: duration({ min: 1, max: 10_000 }).default(20),
  max_concurrency: z.number().int().min(1).max(10_000).default(64),
  retention: duration({ min: 86_400_000 }).default(90 * 86_400_000),
  late_threshold: duration({ min: 10, max: 3_600_000 }).default(1000),
  /** Worker threads that run the probes; 0 runs them on the main thread. */
  threads: z.number().int().min(0).max(16).default(1),
});

export type LocationsConfig = z.output<typeof locationsSchema>;
export type ServicesConfig = z.output<typeof servicesSchema>;
export type ProbesSettings = z.output<typeof probesSectionSchema>;

const SLA_DEFAULT: Record<ProbeConfig['type'], boolean> = {
  http: true,
  tcp: true,
  dns: true,
  multi_step: true,
  script: true,
  tls: false,
  backup: false,
};

function idsOf(config: Record<string, unknown>, key: string): Set<string> | undefined {
  const list = config[key];
  if (!Array.isArray(list)) return undefined;
  return new Set(
    list.map((e) => (e as { id?: unknown }).id).filter((v): v is string => typeof v === 'string'),
  );
}

/** The probes domain's top-level keys (DESIGN.md §6): `locations`, `services`, `probes`. */
export const probesConfigSections: ConfigSection[] = [
  {
    key: 'locations',
    schema: locationsSchema,
    optional: true,
    check(config, report) {
      const seen = new Set<string>();
      ((config.locations as LocationsConfig | undefined) ?? []).forEach((loc, i) => {
        if (seen.has(loc.id)) report(['locations', i, 'id'], `location id "${loc.id}" is defined twice`);
        seen.add(loc.id);
        if (loc.agent && !loc.token)
          report(['locations', i, 'token'], `agent location "${loc.id}" needs a token`);
        if (!loc.agent && loc.token)
          report(
            ['locations', i, 'token'],
            `location "${loc.id}" has a token but is not an agent (agent: true)`,
          );
      });
    },
  },
  { key: 'probes', schema: probesSectionSchema, optional: true },
  {
    key: 'services',
    schema: servicesSchema,
    optional: true,
    check(config, report) {
      const services = (config.services as ServicesConfig | undefined) ?? [];
      const customers = idsOf(config, 'customers');
      const policies = idsOf(config, 'sla_policies');
      const locations = idsOf(config, 'locations') ?? new Set<string>();
      locations.add((config.probes as ProbesSettings | undefined)?.location ?? 'local');
      const seen = new Set<string>();
      services.forEach((svc, i) => {
        if (seen.has(svc.id)) report(['services', i, 'id'], `service id "${svc.id}" is defined twice`);
        seen.add(svc.id);
        if (!customers?.has(svc.customer))
          report(['services', i, 'customer'], `customer "${svc.customer}" is not in customers`);
        if (svc.sla !== undefined && !policies?.has(svc.sla))
          report(['services', i, 'sla'], `SLA policy "${svc.sla}" is not in sla_policies`);
        const probeIds = new Set<string>();
        svc.probes.forEach((p, j) => {
          const at = ['services', i, 'probes', j];
          const pid = p.id ?? p.type;
          if (probeIds.has(pid))
            report([...at, 'id'], `probe id "${pid}" is used twice in service "${svc.id}"; give one an id`);
          probeIds.add(pid);
          (p.locations ?? []).forEach((l, k) => {
            if (!locations.has(l)) report([...at, 'locations', k], `location "${l}" is not in locations`);
          });
          const interval = p.interval ?? 30_000;
          // An item whose shape is invalid may hold unparsed strings: compare numbers only.
          if (typeof p.timeout === 'number' && typeof interval === 'number' && p.timeout > interval)
            report([...at, 'timeout'], `timeout is longer than the interval`);
          if (p.type === 'backup' && (p.path === undefined) === (p.manifest_url === undefined)) {
            report(at, 'a backup probe needs exactly one of path or manifest_url');
          }
        });
      });
    },
  },
];

/** One probe of one service, resolved: what the scheduler and the agent config route need. */
export interface ResolvedProbe {
  targetId: string;
  serviceId: string;
  customer: string;
  probeId: string;
  /** Counts toward the service's SLA (default true for http/tcp/dns/multi_step). */
  sla: boolean;
  /**
   * A failing sample raises an alert: default true for tls and backup (S4, S6), whose failures
   * no SLA sees. resolveProbes always sets it.
   */
  alert?: boolean;
  intervalMs: number;
  timeoutMs: number;
  locations: string[];
  config: ProbeConfig;
}

/**
 * Every probe of every service with its defaults applied: id = type, interval 30s, timeout
 * min(10s, interval), locations = this instance's location.
 */
export function resolveProbes(services: ServicesConfig, defaultLocation: string): ResolvedProbe[] {
  return services.flatMap((svc) =>
    svc.probes.map((p) => {
      const probeId = p.id ?? p.type;
      const intervalMs = p.interval ?? 30_000;
      return {
        targetId: `${svc.id}/${probeId}`,
        serviceId: svc.id,
        customer: svc.customer,
        probeId,
        sla: p.sla ?? SLA_DEFAULT[p.type],
        alert: p.alert ?? (p.type === 'tls' || p.type === 'backup'),
        intervalMs,
        timeoutMs: p.timeout ?? Math.min(10_000, intervalMs),
        locations: p.locations ?? [defaultLocation],
        config: p,
      };
    }),
  );
}
