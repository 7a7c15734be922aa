import { expect, it } from 'vitest';
import { LeaderElection, silentLogger, type ClusterDb } from '../../../core/index.js';
import { describeStores } from '../../helpers/stores.js';

const TTL = 15_000;
const RENEW = 5_000;

function fakeClock(start = 1_800_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describeStores('leader election', (getStore, ctx) => {
  const make = (id: string, clock: { now(): number }) =>
    new LeaderElection({
      store: getStore(),
      instanceId: id,
      clock,
      log: silentLogger(),
      ttlMs: TTL,
      renewMs: RENEW,
    });

  if (ctx.engine === 'sqlite') {
    it('on SQLite the one instance is always the leader, epoch 1, and the fencing check passes', async () => {
      const a = make('a', fakeClock());
      expect(a.ready()).toBe(true);
      expect(a.isLeader()).toBe(true);
      expect(a.epoch).toBe(1);
      await expect(a.assertLeader(getStore().db as ClusterDb)).resolves.toBeUndefined();
    });
    return;
  }

  it('one leader; renewal keeps it; a frozen leader loses it to a takeover with a new epoch and is fenced', async () => {
    const clock = fakeClock();
    const a = make('a', clock);
    const b = make('b', clock);
    expect(a.ready()).toBe(false);
    await a.tick();
    await b.tick();
    expect(a.ready() && b.ready()).toBe(true);
    expect([a.isLeader(), a.epoch, b.isLeader(), b.epoch]).toEqual([true, 1, false, undefined]);

    for (let i = 0; i < 5; i++) {
      clock.advance(RENEW);
      await a.tick();
      await b.tick();
    }
    expect([a.isLeader(), b.isLeader(), a.epoch]).toEqual([true, false, 1]);

    // a freezes (no ticks). Before its lease runs out nobody may take over.
    clock.advance(TTL - 1);
    await b.tick();
    expect(b.isLeader()).toBe(false);
    clock.advance(1);
    // Past its lease by its own clock, a stops acting as leader before it even asks.
    expect(a.isLeader()).toBe(false);
    await b.tick();
    expect([b.isLeader(), b.epoch]).toEqual([true, 2]);
    expect(b.lastTakeoverAt).toBe(clock.now());

    // a's write under its old epoch fails inside the transaction; b's passes.
    const db = getStore().db as ClusterDb;
    await expect(db.transaction().execute((trx) => a.assertLeader(trx, 1))).rejects.toMatchObject({
      code: 'STO_FENCED',
    });
    await expect(db.transaction().execute((trx) => b.assertLeader(trx))).resolves.toBeUndefined();
    // a resumes: it follows.
    await a.tick();
    expect([a.isLeader(), a.epoch]).toEqual([false, undefined]);

    // A clean stop hands over at once, without waiting for the lease to expire.
    await b.stop();
    await a.tick();
    expect([a.isLeader(), a.epoch]).toEqual([true, 3]);
    const instances = await db.selectFrom('cluster_instances').select('id').orderBy('id').execute();
    expect(instances.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('instances racing for an expired lease: exactly one wins', async () => {
    const clock = fakeClock();
    const all = ['a', 'b', 'c', 'd', 'e'].map((id) => make(id, clock));
    await Promise.all(all.map((e) => e.tick()));
    expect(all.filter((e) => e.isLeader())).toHaveLength(1);
    clock.advance(TTL);
    await Promise.all(all.map((e) => e.tick()));
    const leaders = all.filter((e) => e.isLeader());
    expect(leaders).toHaveLength(1);
    expect(leaders[0]!.epoch).toBe(2);
  });
});
