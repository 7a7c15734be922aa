import { expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { silentLogger, type Alert, type IncidentRecordsDb } from '../../core/index.js';
import { IncidentService, UpdateCadence, incidentsSchema } from '../../incidents/index.js';
import { describeStores } from '../helpers/stores.js';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;

describeStores('incident update cadence', (getStore) => {
  let now = T0;
  const sent: Alert[] = [];
  const make = () => {
    const db = getStore().db as Kysely<IncidentRecordsDb>;
    const service = new IncidentService(db, { now: () => now });
    const cadence = new UpdateCadence({
      service,
      config: incidentsSchema.parse({}),
      alerts: async (a) => void sent.push(...a),
      now: () => now,
      log: silentLogger(),
    });
    return { service, cadence };
  };
  const names = (a: Alert[]) => a.map((x) => `${x.labels.alertname}:${x.labels.incident}`);

  it('reminds before a P1 update is due, escalates when overdue, each once, also over a restart', async () => {
    now = T0;
    sent.length = 0;
    const { service, cadence } = make();
    const inc = await service.open({
      kind: 'security',
      customerId: 'acme',
      priority: 'P1',
      title: 't',
      actor: 'vigil',
    });
    now = T0 + 19 * MIN; // P1 every 30 min, reminder 10 min before: not yet
    expect(await cadence.tick()).toEqual([]);
    now = T0 + 20 * MIN;
    expect(names(await cadence.tick())).toEqual([`IncidentUpdateDue:${inc.id}`]);
    expect(await cadence.tick()).toEqual([]);
    // A restart: a new component on the same store sends nothing again.
    const restarted = make().cadence;
    now = T0 + 25 * MIN;
    expect(await restarted.tick()).toEqual([]);
    now = T0 + 30 * MIN;
    const overdue = await restarted.tick();
    expect(names(overdue)).toEqual([`IncidentUpdateOverdue:${inc.id}`]);
    expect(overdue[0]!.labels.severity).toBe('critical');
    expect(await make().cadence.tick()).toEqual([]);
    // An update sent restarts the period: the next reminder comes 20 min later.
    await service.update(inc.id, 'alice', 'password logins disabled on the host');
    now = T0 + 49 * MIN;
    expect(await cadence.tick()).toEqual([]);
    now = T0 + 50 * MIN;
    expect(names(await cadence.tick())).toEqual([`IncidentUpdateDue:${inc.id}`]);
    const rec = await service.get(inc.id);
    expect(rec.timeline.filter((e) => e.kind === 'update').map((e) => e.actor)).toEqual(['alice']);
    expect(names(sent)).toHaveLength(3);
  });

  it('uses the priority cadence (P3: 4 h) and stops once resolved', async () => {
    now = T0;
    sent.length = 0;
    const { service, cadence } = make();
    const inc = await service.open({
      kind: 'availability',
      customerId: 'acme',
      priority: 'P3',
      title: 't',
      actor: 'o',
    });
    now = T0 + 3 * 60 * MIN + 49 * MIN;
    expect(await cadence.tick()).toEqual([]);
    now = T0 + 3 * 60 * MIN + 50 * MIN;
    expect(names(await cadence.tick())).toEqual([`IncidentUpdateDue:${inc.id}`]);
    await service.step(inc.id, 'reported', 'vigil');
    await service.step(inc.id, 'acknowledged', 'alice');
    await service.step(inc.id, 'resolved', 'alice', { measure: 'restarted the database' });
    now = T0 + 10 * 60 * MIN;
    expect(await cadence.tick()).toEqual([]);
  });
});
