import { DEFAULT_TIMEZONE } from './intervals.js';
import type { SlaPolicy } from './config.js';
import type { NamedTimeIntervalSpec } from '../core/index.js';

/** A service under an SLA policy, read from the loaded config (`services[]`, `sla_policies[]`). */
export interface SlaService {
  id: string;
  customer: string;
  policy: SlaPolicy;
  timezone: string;
  /** Target ids of the availability probes (`${service.id}/${probe.id}`, probes with `sla: true`). */
  targetIds: string[];
  /** The shortest interval of those probes, in ms (staleness is twice it by default). */
  probeIntervalMs: number;
}

interface RawProbe {
  id?: unknown;
  type?: unknown;
  sla?: unknown;
  interval?: unknown;
}
interface RawService {
  id?: unknown;
  customer?: unknown;
  sla?: unknown;
  probes?: unknown;
}

// The probes domain's defaults, read as data (a domain never imports another): a probe's id is its
// type unless given, its interval 30 s, and it counts toward the SLA by default for these types.
const SLA_BY_DEFAULT = new Set(['http', 'tcp', 'dns', 'multi_step']);
const DEFAULT_INTERVAL_MS = 30_000;

/**
 * The services with an SLA policy. The services section belongs to the probes domain; it is
 * read here as plain data so the two domains stay independent. A probe counts when `sla: true`,
 * or when `sla` is absent and its type is http, tcp, dns or multi_step.
 */
export function slaServicesFrom(config: Readonly<Record<string, unknown>>): SlaService[] {
  const policies = new Map(((config.sla_policies ?? []) as SlaPolicy[]).map((p) => [p.id, p]));
  const tz = typeof config.timezone === 'string' ? config.timezone : DEFAULT_TIMEZONE;
  const out: SlaService[] = [];
  for (const s of (Array.isArray(config.services) ? config.services : []) as RawService[]) {
    if (typeof s.id !== 'string' || typeof s.sla !== 'string') continue;
    const policy = policies.get(s.sla);
    if (!policy) continue;
    const probes = (Array.isArray(s.probes) ? s.probes : []) as RawProbe[];
    const used = probes.filter((p) =>
      typeof p.sla === 'boolean' ? p.sla : typeof p.type !== 'string' || SLA_BY_DEFAULT.has(p.type),
    );
    const probeId = (p: RawProbe): string =>
      typeof p.id === 'string' ? p.id : typeof p.type === 'string' ? p.type : 'probe';
    const intervals = used.map((p) => (typeof p.interval === 'number' ? p.interval : DEFAULT_INTERVAL_MS));
    out.push({
      id: s.id,
      customer: typeof s.customer === 'string' ? s.customer : '',
      policy,
      timezone: policy.timezone ?? tz,
      targetIds: used.map((p) => `${s.id}/${probeId(p)}`),
      probeIntervalMs: intervals.length > 0 ? Math.min(...intervals) : DEFAULT_INTERVAL_MS,
    });
  }
  return out;
}

/** The named time intervals of the loaded config. */
export function timeIntervalsFrom(config: Readonly<Record<string, unknown>>): NamedTimeIntervalSpec[] {
  return (Array.isArray(config.time_intervals) ? config.time_intervals : []) as NamedTimeIntervalSpec[];
}
