import { dirname } from 'node:path';
import type { Alert, NamedTimeIntervalSpec } from '../../core/index.js';
import {
  AlertRouter,
  alertingHttp,
  alertmanagerStatusHttp,
  type AlertingDb,
  type AlertmanagerConfig,
} from '../../alerting/index.js';
import type { DomainWiring, WireContext } from './types.js';

/**
 * The alert router in `vigil start`: one component (routing rounds and the durable delivery
 * queue), the Alertmanager-compatible HTTP API, and `alertRouter`: its `ingest`, which app/
 * points `ctx.sinks.alerts` at so every source's alerts reach the router, and `firing`, what the
 * router holds as firing now, which the overview page shows (so `/` and the router agree).
 */
export async function wireAlerting(ctx: WireContext): Promise<DomainWiring> {
  const log = ctx.log.child({ component: 'alerting' });
  const section = ctx.config.alerting as AlertmanagerConfig | undefined;
  if (!section) {
    let warned = false;
    return {
      components: [],
      alertRouter: {
        ingest: async (alerts) => {
          if (!warned)
            log.error(
              { dropped: alerts.length },
              'alerts produced but no alerting: section is configured; nobody is paged',
            );
          warned = true;
        },
      },
    };
  }
  const server = ctx.config.server as { external_url?: string } | undefined;
  const config: AlertmanagerConfig = {
    ...section,
    vigil: {
      ...(section.vigil ?? {}),
      external_url: section.vigil?.external_url ?? server?.external_url,
    } as AlertmanagerConfig['vigil'],
  };
  const router = await AlertRouter.create({
    config,
    store: ctx.store,
    log,
    clock: ctx.clock,
    metrics: ctx.metrics,
    sharedIntervals: (ctx.config.time_intervals as NamedTimeIntervalSpec[] | undefined) ?? [],
    timezone: ctx.config.timezone as string | undefined,
    templateDir: dirname(ctx.config.__file),
  });
  let ready = false;
  return {
    components: [
      {
        name: 'alerting',
        async start() {
          await router.start();
          ready = true;
        },
        async stop(deadlineMs) {
          ready = false;
          await router.stop(deadlineMs);
        },
        ready: () => ready,
      },
    ],
    http: async (app) => {
      await app.register(
        alertingHttp({
          router,
          db: ctx.store.db as AlertingDb,
          ackSecret: config.vigil?.ack_secret?.reveal(),
        }),
      );
      // Status, receivers and alert groups of Alertmanager's API v2 (amtool config show, …).
      await app.register(alertmanagerStatusHttp({ router, config, startedAt: new Date(), version: '0.1.0' }));
    },
    alertRouter: {
      ingest: (alerts) => router.ingest(alerts),
      firing: () => firingAt(router, ctx.clock.now()),
    },
  };
}

/** The router's alerts that fire at `now` (not yet at their endsAt), in the core Alert shape. */
function firingAt(router: AlertRouter, now: number): Alert[] {
  return router
    .listAlerts()
    .filter((a) => a.endsAt !== undefined && Date.parse(a.endsAt) > now)
    .map((a) => ({
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      ...(a.generatorURL ? { generatorURL: a.generatorURL } : {}),
    }))
    .sort((x, y) => x.startsAt.localeCompare(y.startsAt));
}
