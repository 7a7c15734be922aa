import { Registry, collectDefaultMetrics } from 'prom-client';

export type { Registry };

/**
 * The one metrics registry of a process. Never prom-client's global default: it is created here
 * and passed in, so tests and several instances in one process do not share state.
 */
export function createMetricsRegistry(opts: { defaults?: boolean } = {}): Registry {
  const registry = new Registry();
  if (opts.defaults) collectDefaultMetrics({ register: registry, prefix: 'vigil_' });
  return registry;
}
