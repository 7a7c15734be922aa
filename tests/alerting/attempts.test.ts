import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** A webhook that keeps every request open until `release()`, then answers 200. */
async function holdingReceiver() {
  const held: ServerResponse[] = [];
  let onRequest: (() => void) | undefined;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      held.push(res);
      onRequest?.();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrived: (n: number) =>
      new Promise<void>((r) => {
        onRequest = () => held.length >= n && r();
        onRequest();
      }),
    release: () => held.splice(0).forEach((res) => res.writeHead(200).end('{}')),
    close: () =>
      new Promise<void>((r) => {
        held.splice(0).forEach((res) => res.destroy());
        server.close(() => r());
      }),
  };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function router(store: Store, url: string) {
  const config = alertmanagerConfigSchema.parse(
    parse(`
route: { receiver: hook, group_by: [alertname], group_wait: 0s, group_interval: 1h }
receivers: [{ name: hook, webhook_configs: [{ url: "${url}" }] }]`),
  );
  return AlertRouter.create({ config, store, log: silentLogger(), clock: systemClock });
}

const alert = (name: string) => ({
  labels: { alertname: name },
  annotations: {},
  startsAt: new Date(Date.now() - 1000).toISOString(),
  endsAt: new Date(Date.now() + 3_600_000).toISOString(),
});

describeStores('alerting attempt log', (getStore) => {
  it('writes the attempt before the send (in_flight, no end) and completes that row after it', async () => {
    const store = getStore();
    const db = store.db as AlertingDb;
    const recv = await holdingReceiver();
    cleanup.push(recv.close);
    const r = await router(store, recv.url);
    cleanup.push(() => r.stop(1000));
    await r.start();
    await r.ingest([alert('A')]);
    await recv.arrived(1);
    // The send is at the receiver, unanswered: its attempt is already on record, still open.
    let log = await notificationLog(db);
    expect(log).toHaveLength(1);
    expect(log[0]!.status).toBe('pending');
    expect(log[0]!.attempts).toEqual([
      expect.objectContaining({ outcome: 'in_flight', finishedAt: null, reason: null }),
    ]);
    recv.release();
    await r.delivery.idle();
    log = await notificationLog(db);
    expect(log[0]!.status).toBe('sent');
    expect(log[0]!.attempts).toEqual([
      expect.objectContaining({ outcome: 'ok', startedAt: log[0]!.attempts[0]!.startedAt }),
    ]);
    expect(log[0]!.attempts[0]!.finishedAt).not.toBeNull();
  });

  it('at start, closes attempts a stop cut short (open attempt rows, and the older in_flight_since mark) as interrupted and resends', async () => {
    const store = getStore();
    const db = store.db as AlertingDb;
    const recv = await holdingReceiver();
    cleanup.push(recv.close);
    const first = await router(store, recv.url);
    await first.ingest([alert('Open'), alert('Legacy')]); // queued, delivery never started
    const rows = await db
      .selectFrom('alerting_notifications')
      .select(['notification_id', 'payload'])
      .orderBy('id')
      .execute();
    expect(rows).toHaveLength(2);
    const startedAt = Date.now() - 5000;
    // The state a kill -9 mid-send leaves: an open attempt; and the mark older versions wrote.
    await db
      .insertInto('alerting_attempts')
      .values({
        notification_id: rows[0]!.notification_id,
        started_at: startedAt,
        finished_at: null,
        outcome: 'in_flight',
        reason: null,
      })
      .execute();
    await db
      .updateTable('alerting_notifications')
      .set({ in_flight_since: startedAt })
      .where('notification_id', '=', rows[1]!.notification_id)
      .execute();

    const second = await router(store, recv.url);
    cleanup.push(() => second.stop(1000));
    await second.start();
    await recv.arrived(2);
    recv.release();
    await second.delivery.idle();
    const log = await notificationLog(db);
    expect(log).toHaveLength(2);
    for (const e of log) {
      expect(e.status).toBe('sent');
      expect(e.attempts.map((a) => [a.outcome, a.startedAt])).toEqual([
        ['interrupted', new Date(startedAt).toISOString()],
        ['ok', expect.any(String)],
      ]);
    }
    const marks = await db.selectFrom('alerting_notifications').select('in_flight_since').execute();
    expect(marks.map((m) => m.in_flight_since)).toEqual([null, null]);
  });
});
