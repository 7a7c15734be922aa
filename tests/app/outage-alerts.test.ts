import { parse } from 'yaml';
import { afterEach, expect, it } from 'vitest';
import {
  createMetricsRegistry,
  insertProbeResults,
  silentLogger,
  type ProbeResult,
  type Store,
} from '../../core/index.js';
import { AlertRouter, alertmanagerConfigSchema } from '../../alerting/index.js';
import { createSlaEvaluator, slaPoliciesSchema, slaServicesFrom } from '../../sla/index.js';
import { describeStores } from '../helpers/stores.js';
import { startReceiver } from '../alerting/helpers/receiver.js';

// A 12-minute outage with `resolve_timeout: 1m`, the SLA evaluator and the alert router as
// `vigil start` wires them (evaluator → router.ingest), a real store and a real webhook receiver.
// Time is a controlled clock moved in 10 s steps (the probe interval), so 20 minutes of outage
// semantics run in seconds; what is asserted is what the receiver got, not how fast.
const S = 1000;
const MIN = 60 * S;
const T0 = Date.parse('2026-03-04T10:00:00Z');
const DOWN_FROM = T0 + 2 * MIN;
const DOWN_TO = DOWN_FROM + 12 * MIN;
const END = DOWN_TO + 5 * MIN;
const LOCATIONS = ['ams', 'fra', 'lon'];

type Recv = Awaited<ReturnType<typeof startReceiver>>;
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

const services = slaServicesFrom({
  timezone: 'UTC',
  sla_policies: slaPoliciesSchema.parse([{ id: 'std', availability: '99.9%', latency: { average_ms: 50 } }]),
  services: [
    { id: 'web', customer: 'acme', sla: 'std', probes: [{ id: 'http', sla: true, interval: 10 * S }] },
  ],
});

function alertingConfig(recv: Recv) {
  return alertmanagerConfigSchema.parse(
    parse(`
global: { resolve_timeout: 1m }
route:
  receiver: oncall
  group_by: [alertname, service]
  group_wait: 10s
  group_interval: 1m
  repeat_interval: 4h
  escalation: [{ after: 4m, receiver: lead }, { after: 8m, receiver: manager }]
receivers:
  - name: oncall
    webhook_configs: [{ url: ${recv.url}/oncall }]
  - name: lead
    webhook_configs: [{ url: ${recv.url}/lead }]
  - name: manager
    webhook_configs: [{ url: ${recv.url}/manager }]
`),
  );
}

function sample(at: number, location: string, ok: boolean): ProbeResult {
  return {
    targetId: 'web/http',
    location,
    startedAt: new Date(at).toISOString(),
    ok,
    totalMs: 20,
    loopDelayMs: 0,
    phases: { resolve: 0, connect: 0, tls: 0, processing: 20, transfer: 0 },
    ...(ok ? { status: 200 } : { error: { kind: 'connect_refused' as const, message: 'refused' } }),
  };
}

interface Got {
  at: number;
  path: string;
  status: string;
  endsAt: string;
}

/**
 * Runs the outage; with `restartAt`, vigil (evaluator and router, fresh memory) stops there,
 * stays down for a minute (no probes, no evaluation) and starts again on the same store.
 */
async function outage(store: Store, restartAt?: number): Promise<Got[]> {
  const recv = await startReceiver();
  open.push(recv);
  let now = T0;
  const clock = { now: () => now };
  const start = async () => {
    const router = await AlertRouter.create({
      config: alertingConfig(recv),
      store,
      log: silentLogger(),
      clock,
      ackPollMs: 3_600_000,
    });
    await router.start();
    const evaluator = createSlaEvaluator({
      services,
      timeIntervals: [],
      store,
      log: silentLogger(),
      metrics: createMetricsRegistry(),
      clock,
      sink: (alerts) => router.ingest(alerts),
    });
    return { router, evaluator };
  };
  let vigil = await start();
  open.push({ close: () => vigil.router.stop(1000) });
  const got: Got[] = [];
  for (; now <= END; now += 10 * S) {
    if (now === restartAt) {
      await vigil.router.stop(1000);
      now += MIN;
      vigil = await start();
    }
    const up = now < DOWN_FROM || now >= DOWN_TO;
    await insertProbeResults(
      store.db,
      LOCATIONS.map((l) => sample(now, l, up)),
    );
    await vigil.evaluator.evaluateOnce(now);
    await vigil.router.tick();
    await vigil.router.delivery.idle();
    for (const r of recv.got.slice(got.length)) {
      const body = r.body as {
        status: string;
        groupLabels: Record<string, string>;
        alerts: { endsAt: string }[];
      };
      got.push({
        at: now,
        path: r.path,
        status: body.status,
        endsAt: body.alerts[0]!.endsAt,
        ...body.groupLabels,
      });
    }
  }
  return got.filter((g) => (g as unknown as Record<string, string>).alertname === 'SlaServiceDown');
}

function expectOnePagePerTierAndOneResolve(got: Got[]): void {
  expect(got.map((g) => `${g.path} ${g.status}`)).toEqual([
    '/oncall firing',
    '/lead firing',
    '/manager firing',
    '/oncall resolved',
  ]);
  const [page, lead, manager, resolved] = got as [Got, Got, Got, Got];
  expect(page.at).toBeGreaterThanOrEqual(DOWN_FROM);
  expect(page.at).toBeLessThan(DOWN_FROM + MIN);
  expect(lead.at - page.at).toBeGreaterThanOrEqual(4 * MIN);
  expect(manager.at - page.at).toBeGreaterThanOrEqual(8 * MIN);
  expect(manager.at).toBeLessThan(DOWN_TO);
  // No "resolved" while the service is down; the one resolve names when the probes saw it up.
  expect(resolved.at).toBeGreaterThanOrEqual(DOWN_TO);
  expect(Date.parse(resolved.endsAt)).toBeGreaterThanOrEqual(DOWN_TO);
  expect(Date.parse(resolved.endsAt)).toBeLessThanOrEqual(DOWN_TO + 10 * S);
}

describeStores('an outage longer than resolve_timeout', (getStore) => {
  it('pages once per escalation tier and resolves once, when the service is back', async () => {
    expectOnePagePerTierAndOneResolve(await outage(getStore()));
  }, 120_000);

  it('the same with vigil restarted in the middle of the outage', async () => {
    expectOnePagePerTierAndOneResolve(await outage(getStore(), DOWN_FROM + 6 * MIN));
  }, 120_000);
});
