import { parse } from 'yaml';
import { afterEach, expect, it } from 'vitest';
import { silentLogger, systemClock, type Store } from '../../core/index.js';
import {
  AlertRouter,
  alertmanagerConfigSchema,
  notificationLog,
  type AlertingDb,
} from '../../alerting/index.js';
import { describeStores } from '../helpers/stores.js';
import { startReceiver } from './helpers/receiver.js';

type Recv = Awaited<ReturnType<typeof startReceiver>>;
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const x of open.splice(0)) await x.close();
});

function config(main: Recv, fallback: Recv, extra = '') {
  return alertmanagerConfigSchema.parse(
    parse(`
route:
  receiver: main
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - matchers: [tier="esc"]
      receiver: main
      escalation: [{ after: 200ms, receiver: lead }]
receivers:
  - name: main
    webhook_configs: [{ url: ${main.url}/hook }]
  - name: lead
    webhook_configs: [{ url: ${main.url}/lead }]
  - name: fallback
    webhook_configs: [{ url: ${fallback.url}/fallback }]
vigil:
  fallback_receiver: fallback
  failing_after_attempts: 2
  max_attempts: 3
  retry_initial: 20ms
  retry_max: 50ms
  external_url: http://vigil.example
  ack_secret: s3cret-s3cret-s3cret-s3cret-s3cret-s3cret
${extra}`),
  );
}

async function router(store: Store, main: Recv, fallback: Recv): Promise<AlertRouter> {
  const r = await AlertRouter.create({
    config: config(main, fallback),
    store,
    log: silentLogger(),
    clock: systemClock,
    ackPollMs: 50,
  });
  await r.start();
  open.push({ close: () => r.stop(1000) });
  return r;
}

const firing = (alertname: string, extra: Record<string, string> = {}) => ({
  labels: { alertname, ...extra },
  annotations: { summary: `${alertname} is down` },
  startsAt: new Date(Date.now() - 1000).toISOString(),
  endsAt: new Date(Date.now() + 3_600_000).toISOString(),
});

describeStores('alert router with a durable store', (getStore) => {
  it('pages once, as Alertmanager webhook v4 with a stable notification id, and logs the attempt', async () => {
    const [main, fb] = [await startReceiver(), await startReceiver()];
    open.push(main, fb);
    const r = await router(getStore(), main, fb);
    await r.ingest([firing('SiteDown')]);
    await r.ingest([firing('SiteDown')]); // a re-send changes nothing
    await main.waitFor(1);
    await r.delivery.idle();
    expect(main.got).toHaveLength(1);
    const body = main.got[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'main',
      groupLabels: { alertname: 'SiteDown' },
      truncatedAlerts: 0,
    });
    expect(body.groupKey).toBe('{}:{alertname="SiteDown"}');
    const id = main.got[0]!.headers['x-vigil-notification-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const log = await notificationLog(getStore().db as AlertingDb);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ notificationId: id, status: 'sent', receiver: 'main' });
    expect(log[0]!.attempts.map((a) => a.outcome)).toEqual(['ok']);
    expect(log[0]!.timeToPageMs).toBeGreaterThan(0);
  });

  it('retries 503, does not retry 400, and raises "notifications failing" to the fallback receiver', async () => {
    const main = await startReceiver({
      answer: (q) => ({
        status:
          q.path === '/hook'
            ? (q.body as { groupLabels: { alertname: string } }).groupLabels.alertname === 'Bad'
              ? 400
              : 503
            : 200,
      }),
    });
    const fb = await startReceiver();
    open.push(main, fb);
    const r = await router(getStore(), main, fb);
    await r.ingest([firing('Flaky'), firing('Bad')]);
    await fb.waitFor(1);
    await r.delivery.idle();
    const log = await notificationLog(getStore().db as AlertingDb);
    const flaky = log.find((e) => e.groupKey.includes('Flaky'))!;
    const bad = log.find((e) => e.groupKey.includes('Bad'))!;
    expect(flaky.attempts.map((a) => a.outcome)).toEqual([
      'retryable_error',
      'retryable_error',
      'retryable_error',
    ]);
    expect(flaky.status).toBe('failed');
    expect(bad.attempts.map((a) => a.outcome)).toEqual(['error']);
    expect(bad.attempts[0]!.reason).toMatch(/HTTP 400/);
    const alarm = fb.got.map((g) => g.body as { commonLabels: Record<string, string> });
    expect(alarm[0]!.commonLabels).toMatchObject({
      alertname: 'VigilNotificationsFailing',
      receiver: 'main',
    });
  });

  it('"notifications failing" survives a restart: announced once, resolved when the receiver recovers', async () => {
    let broken = true;
    const main = await startReceiver({ answer: () => ({ status: broken ? 503 : 200 }) });
    const fb = await startReceiver();
    open.push(main, fb);
    const store = getStore();
    const r1 = await AlertRouter.create({
      config: config(main, fb),
      store,
      log: silentLogger(),
      clock: systemClock,
    });
    await r1.start();
    await r1.ingest([firing('Flaky')]);
    await fb.waitFor(1);
    await r1.delivery.idle();
    await r1.stop(1000);
    broken = false;
    const r2 = await router(store, main, fb);
    await r2.ingest([firing('Other')]);
    await fb.waitFor(2);
    await r2.delivery.idle();
    const states = fb.got.map((g) => g.body as { status: string; commonLabels: Record<string, string> });
    expect(states.map((b) => [b.status, b.commonLabels.alertname, b.commonLabels.receiver])).toEqual([
      ['firing', 'VigilNotificationsFailing', 'main'],
      ['resolved', 'VigilNotificationsFailing', 'main'],
    ]);
  });

  it('alerts taken before start are sent once when the queue starts', async () => {
    const [main, fb] = [await startReceiver(), await startReceiver()];
    open.push(main, fb);
    const r = await AlertRouter.create({
      config: config(main, fb),
      store: getStore(),
      log: silentLogger(),
      clock: systemClock,
    });
    open.push({ close: () => r.stop(1000) });
    await r.ingest([firing('Early')]);
    await r.start();
    await main.waitFor(1);
    await r.delivery.idle();
    await new Promise((res) => setTimeout(res, 200));
    expect(main.got).toHaveLength(1);
  });

  it('state survives a restart: no second page for the same group', async () => {
    const [main, fb] = [await startReceiver(), await startReceiver()];
    open.push(main, fb);
    const store = getStore();
    const r1 = await AlertRouter.create({
      config: config(main, fb),
      store,
      log: silentLogger(),
      clock: systemClock,
    });
    await r1.start();
    await r1.ingest([firing('Down')]);
    await main.waitFor(1);
    await r1.delivery.idle();
    await r1.stop(1000);
    const r2 = await router(store, main, fb);
    expect([...r2.dispatcher.groups.values()].map((g) => g.labels)).toEqual([{ alertname: 'Down' }]);
    await r2.ingest([firing('Down')]);
    await r2.tick();
    await r2.delivery.idle();
    expect(main.got).toHaveLength(1);
  });

  it('escalates an unacknowledged page, and an acknowledgement stops it and is logged', async () => {
    const [main, fb] = [await startReceiver(), await startReceiver()];
    open.push(main, fb);
    const r = await router(getStore(), main, fb);
    await r.ingest([firing('Down', { tier: 'esc' })]);
    await main.waitFor(2); // the page, then the escalation to lead after 200ms
    expect(main.got.map((g) => g.path)).toEqual(['/hook', '/lead']);
    const first = main.got[0]!.body as { vigil: { groupId: string; ackURL: string } };
    expect(first.vigil.ackURL).toMatch(
      new RegExp(`^http://vigil.example/api/v1/alert-groups/${first.vigil.groupId}/ack\\?sig=`),
    );
    await r.acknowledge(String(main.got[0]!.headers['x-vigil-notification-id']), 'ann', 'cli');
    await main.waitFor(4); // ack goes to both paged receivers
    const acks = main.got.slice(2).map((g) => (g.body as { vigil: { kind: string; ackedBy: string } }).vigil);
    expect(acks).toEqual([
      expect.objectContaining({ kind: 'ack', ackedBy: 'ann' }),
      expect.objectContaining({ kind: 'ack', ackedBy: 'ann' }),
    ]);
    const log = await notificationLog(getStore().db as AlertingDb, { groupId: first.vigil.groupId });
    expect(log[0]!.acknowledgement).toMatchObject({ by: 'ann', via: 'cli' });
    expect(log[0]!.acknowledgement!.timeToAckMs).toBeGreaterThanOrEqual(0);
  });
});
