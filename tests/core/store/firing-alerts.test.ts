import { expect, it } from 'vitest';
import { FiringAlerts, firingAlertsStore, type Alert } from '../../../core/index.js';
import { describeStores } from '../../helpers/stores.js';

const T0 = Date.parse('2026-03-04T06:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const malware = (path: string): Alert => ({
  labels: { alertname: 'VigilMalwareFound', path },
  annotations: { summary: `EICAR in ${path}` },
  startsAt: iso(T0),
});

describeStores('firing alerts kept in the store over a restart', (getStore) => {
  it('restores the firing set, re-sends it at once, and resolves what the next look no longer finds', async () => {
    let now = T0;
    const clock = { now: () => now };
    const sent: Alert[] = [];
    const sink = async (a: Alert[]) => void sent.push(...a);
    const store = () => firingAlertsStore(getStore().db, 'scanners');
    const before = new FiringAlerts({ sink, clock, store: store() });
    await before.start();
    await before.replace('malware', [malware('/a'), malware('/b')]);
    await before.fire([{ ...malware('/held'), labels: { alertname: 'Held' } }], {
      scope: 'events',
      untilMs: T0 + 10 * 60_000,
    });
    await before.replace('malware', [malware('/a')]); // /b is gone
    await before.stop();
    // Another source's set is its own.
    await firingAlertsStore(getStore().db, 'findings').save(
      [{ key: 'x', scope: 's', alert: malware('/other'), untilMs: undefined }],
      [],
    );

    now = T0 + 2 * 60_000; // vigil was down for two minutes
    sent.length = 0;
    const after = new FiringAlerts({ sink, clock, store: store() });
    await after.start();
    try {
      // Re-sent at start with the first startsAt and endsAt ahead; /b stays resolved.
      expect(sent.map((a) => [a.labels.path ?? a.labels.alertname, a.startsAt]).sort()).toEqual([
        ['/a', iso(T0)],
        ['Held', iso(T0)],
      ]);
      expect(sent.every((a) => Date.parse(a.endsAt!) > now)).toBe(true);
      // The next scan no longer finds /a: resolved, and gone from the store.
      sent.length = 0;
      await after.replace('malware', []);
      expect(sent.map((a) => [a.labels.path, a.endsAt])).toEqual([['/a', iso(now)]]);
      // The held event ends at its time, even across the restart.
      now = T0 + 11 * 60_000;
      await after.tick();
      expect(sent.at(-1)).toMatchObject({ labels: { alertname: 'Held' }, endsAt: iso(T0 + 10 * 60_000) });
    } finally {
      await after.stop();
    }
    expect(await store().load()).toEqual([]);
  });
});
