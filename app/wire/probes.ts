import { pruneProbeResults } from '../../core/index.js';
import {
  ProbeRunner,
  agentRoutes,
  probesSectionSchema,
  resolveProbes,
  type LocationsConfig,
  type ProbesSettings,
  type ServicesConfig,
} from '../../probes/index.js';
import type { DomainWiring, WireContext } from './types.js';

/**
 * Wires the probes domain into `vigil start`: a component that probes every target assigned to
 * this instance's location (`probes.location`, default "local") and hands the results to
 * `ctx.sinks.probeResults`, plus the agents' HTTP routes.
 */
export async function wireProbes(ctx: WireContext): Promise<DomainWiring> {
  const settings = (ctx.config.probes as ProbesSettings | undefined) ?? probesSectionSchema.parse({});
  const services = (ctx.config.services as ServicesConfig | undefined) ?? [];
  const locations = (ctx.config.locations as LocationsConfig | undefined) ?? [];
  const probes = resolveProbes(services, settings.location);
  const runner = new ProbeRunner({
    probes,
    settings,
    log: ctx.log,
    metrics: ctx.metrics,
    sink: ctx.sinks.probeResults,
    prune: (beforeMs) => pruneProbeResults(ctx.store.db, beforeMs),
  });
  const http = agentRoutes({ locations, probes, sink: ctx.sinks.probeResults, log: ctx.log });
  return { components: [runner], http };
}
