import { parse } from 'yaml';
import {
  alertmanagerConfigSchema,
  buildRoute,
  compileInhibitRules,
  compileIntervals,
  Dispatcher,
  fromIncoming,
  Silences,
  type NotifyIntent,
  type RouterAlert,
} from '../../../alerting/index.js';

export const T0 = Date.parse('2026-01-05T10:00:00Z');
export const S = 1000;

/** A pure dispatcher over a YAML config; every receiver has one webhook-like integration. */
export function dispatcherFor(yaml: string, opts: { sendResolved?: boolean; zone?: string } = {}) {
  const cfg = alertmanagerConfigSchema.parse(parse(yaml));
  const silences = new Silences();
  const d = new Dispatcher({
    route: buildRoute(cfg.route),
    integrations: (receiver) => [{ receiver, key: 'webhook/0', sendResolved: opts.sendResolved ?? true }],
    inhibitRules: compileInhibitRules(cfg.inhibit_rules ?? []),
    silences,
    intervals: compileIntervals(cfg.time_intervals ?? [], [], opts.zone),
  });
  return { d, silences, cfg };
}

/** An alert as Prometheus sends it: with an explicit end (default a day on, re-sent while firing). */
export function alert(
  labels: Record<string, string>,
  startsAt: number,
  endsAt = startsAt + 86_400_000,
): RouterAlert {
  return fromIncoming(
    {
      labels,
      annotations: {},
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
    },
    startsAt,
    300_000,
  );
}

/** A compact view of intents: `receiver kind [firing names] [resolved names]`. */
export function show(intents: NotifyIntent[]): string[] {
  const names = (l: RouterAlert[]) =>
    l
      .map((a) => a.labels.instance ?? a.labels.alertname)
      .sort()
      .join(',');
  return intents.map(
    (i) => `${i.integration.receiver} ${i.kind} [${names(i.firing)}] [${names(i.resolved)}]`,
  );
}
