import type { ResolvedProbe } from './config.js';
import { createProbe } from './registry.js';
import type { ScheduledProbe } from './scheduler.js';

/** The probes assigned to `location`, built and paired with their targets for the scheduler. */
export function scheduledProbesFor(resolved: ResolvedProbe[], location: string): ScheduledProbe[] {
  return resolved
    .filter((p) => p.locations.includes(location))
    .map((p) => ({
      target: {
        id: p.targetId,
        serviceId: p.serviceId,
        type: p.config.type,
        location,
        intervalMs: p.intervalMs,
        timeoutMs: p.timeoutMs,
      },
      probe: createProbe(p.config),
    }));
}
