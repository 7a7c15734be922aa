import type { Kysely } from 'kysely';
import { firingAlertsStore, type AnalysisDb } from '../../core/index.js';
import {
  analyzersComponent,
  analyzersSchema,
  type AnalyzersConfig,
  type CustomerNetworks,
} from '../../analyzers/index.js';
import type { DomainWiring, WireContext } from './types.js';

/**
 * Wires the IDS analyzers into `vigil start`: scheduled runs whose new findings go to
 * `ctx.sinks.findings`, the dead-man alert and the alert tail to `ctx.sinks.alerts`.
 * Without an `analyzers` key nothing runs.
 */
export async function wireAnalyzers(ctx: WireContext): Promise<DomainWiring> {
  if (ctx.config.analyzers === undefined) return { components: [] };
  const config = (ctx.config.analyzers as AnalyzersConfig | undefined) ?? analyzersSchema.parse({});
  const customers = ((ctx.config.customers as CustomerNetworks[] | undefined) ?? []).map((c) => ({
    id: c.id,
    networks: c.networks,
  }));
  const component = analyzersComponent({
    config,
    customers,
    db: ctx.store.db as Kysely<AnalysisDb>,
    log: ctx.log,
    metrics: ctx.metrics,
    clock: ctx.clock,
    alerts: ctx.sinks.alerts,
    findings: ctx.sinks.findings,
    firingStore: firingAlertsStore(ctx.store.db, 'analyzers'),
    ...(ctx.leader ? { leader: ctx.leader } : {}),
  });
  return { components: [component] };
}
