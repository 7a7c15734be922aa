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
  sla?: unknown;
  interval?: unknown;
}
interface RawService {
  id?: unknown;
  customer?: unknown;
  sla?: unknown;
  probes?: unknown;
}

/**
 * The services with an SLA policy. The services section belongs to the probes domain; it is
 * read here as plain data so the two domains stay independent. Without any `sla: true` probe,
 * every probe of the service counts.
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
    const marked = probes.filter((p) => p.sla === true);
    const used = (marked.length > 0 ? marked : probes).filter((p) => typeof p.id === 'string');
    const intervals = used.map((p) => (typeof p.interval === 'number' ? p.interval : 30_000));
    out.push({
      id: s.id,
      customer: typeof s.customer === 'string' ? s.customer : '',
      policy,
      timezone: policy.timezone ?? tz,
      targetIds: used.map((p) => `${s.id}/${p.id as string}`),
      probeIntervalMs: intervals.length > 0 ? Math.min(...intervals) : 30_000,
    });
  }
  return out;
}

/** The named time intervals of the loaded config. */
export function timeIntervalsFrom(config: Readonly<Record<string, unknown>>): NamedTimeIntervalSpec[] {
  return (Array.isArray(config.time_intervals) ? config.time_intervals : []) as NamedTimeIntervalSpec[];
}
