import type { Kysely } from 'kysely';
import {
  errorMessage,
  type Alert,
  type AlertSink,
  type Clock,
  type Finding,
  type FindingSink,
  type IncidentRecordsDb,
  type Logger,
  type Store,
} from '../../core/index.js';
import {
  CustomerOutbox,
  CustomerReporter,
  IncidentService,
  UpdateCadence,
  incidentOpener,
  incidentsHttp,
  smtpTransport,
  type CustomerContacts,
  type IncidentsConfig,
} from '../../incidents/index.js';
import type { DomainWiring, LoadedConfig, WireContext } from './types.js';

/** The alert and findings sinks of `vigil start` with the incident opener behind them. */
export interface IncidentFeeds {
  alerts(next: AlertSink): AlertSink;
  findings(next: FindingSink): FindingSink;
}

/**
 * The incident opener on the runtime's sinks (issue 12): alerts and findings go where they went
 * before, then to the opening rules. Undefined without an `incidents` key: nothing is opened
 * and the sinks stay as they were. A failing opener is logged, never lost to the router.
 */
export function incidentFeeds(
  config: LoadedConfig,
  store: Store,
  clock: Clock,
  log: Logger,
): IncidentFeeds | undefined {
  const cfg = config.incidents as IncidentsConfig | undefined;
  if (cfg === undefined) return undefined;
  const service = new IncidentService(store.db as Kysely<IncidentRecordsDb>, clock);
  const opener = incidentOpener({ service, config: cfg, now: () => clock.now(), log });
  const guard = async (what: string, f: () => Promise<void>): Promise<void> => {
    try {
      await f();
    } catch (err) {
      log.error({ err: errorMessage(err) }, `incident opener failed on ${what}`);
    }
  };
  return {
    alerts: (next) => async (alerts: Alert[]) => {
      await next(alerts);
      await guard('alerts', () => opener.alerts(alerts));
    },
    findings: (next) => async (findings: Finding[]) => {
      await next(findings);
      await guard('findings', () => opener.findings(findings));
    },
  };
}

/**
 * The incidents domain in `vigil start`: its HTTP routes, the update cadence (reminders,
 * escalations to the router) and, with `incidents.email`, the customer reporter and its outbox.
 */
export async function wireIncidents(ctx: WireContext): Promise<DomainWiring> {
  const cfg = ctx.config.incidents as IncidentsConfig | undefined;
  const service = new IncidentService(ctx.store.db as Kysely<IncidentRecordsDb>, ctx.clock);
  const customers = (ctx.config.customers as CustomerContacts[] | undefined) ?? [];
  // The routes always: incidents are opened by hand and reported by customers without rules too.
  const http = incidentsHttp({
    service,
    customerIds: () => customers.map((c) => c.id),
    now: () => ctx.clock.now(),
  });
  if (cfg === undefined) return { components: [], http };
  const cadence = new UpdateCadence({
    service,
    config: cfg,
    alerts: ctx.sinks.alerts,
    now: () => ctx.clock.now(),
    log: ctx.log,
  });
  if (cfg.email === undefined) return { components: [cadence], http };
  const db = ctx.store.db as Kysely<IncidentRecordsDb>;
  const outbox = new CustomerOutbox({
    db,
    send: smtpTransport(cfg.email),
    now: () => ctx.clock.now(),
    log: ctx.log,
  });
  const reporter = new CustomerReporter({
    service,
    outbox,
    db,
    customers,
    log: ctx.log,
    // Look often enough that a report goes out well within the promised delay.
    everyMs: Math.max(1000, Math.min(30_000, Math.floor(cfg.report_delay / 4))),
  });
  return { components: [cadence, reporter], http };
}
