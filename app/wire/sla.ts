import type { Alert } from '../../core/index.js';
import { createSlaEvaluator, slaHttp, slaServicesFrom, timeIntervalsFrom } from '../../sla/index.js';
import type { DomainWiring, WireContext } from './types.js';

/**
 * The SLA engine in `vigil start`: the evaluator (outage, latency and burn-rate alerts to
 * ctx.sinks.alerts) and the HTTP routes (planned downtimes, month reports). `firingAlerts` lists
 * the SLA alerts open now, for the overview page when no alerting domain is wired.
 */
export async function wireSla(ctx: WireContext): Promise<DomainWiring & { firingAlerts: () => Alert[] }> {
  const services = slaServicesFrom(ctx.config);
  const timeIntervals = timeIntervalsFrom(ctx.config);
  const evaluator = createSlaEvaluator({
    services,
    timeIntervals,
    store: ctx.store,
    log: ctx.log,
    metrics: ctx.metrics,
    clock: ctx.clock,
    sink: ctx.sinks.alerts,
  });
  return {
    components: services.length > 0 ? [evaluator] : [],
    http: slaHttp({ store: ctx.store, services, timeIntervals, clock: ctx.clock }),
    firingAlerts: () => evaluator.firing(),
  };
}
