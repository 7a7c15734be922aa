import { expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import {
  listIncidents,
  silentLogger,
  upsertIncident,
  type Alert,
  type Finding,
  type IncidentRecordsDb,
  type IncidentsDb,
} from '../../core/index.js';
import { IncidentService, incidentOpener, incidentsSchema } from '../../incidents/index.js';
import { describeStores } from '../helpers/stores.js';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const H = 3_600_000;

function finding(over: Partial<Finding> = {}): Finding {
  return {
    id: 'f1',
    runId: 'r1',
    detector: 'brute-force',
    key: 'ssh|198.51.100.7|203.0.113.10',
    severity: 'high',
    title: 'SSH password guessing from 198.51.100.7 against 203.0.113.10: 40 failed attempts',
    src: '198.51.100.7',
    dst: '203.0.113.10',
    customerId: 'acme',
    firstSeen: '2026-03-02T09:50:00.000Z',
    lastSeen: '2026-03-02T09:55:00.000Z',
    count: 40,
    evidence: [{ file: '/var/log/zeek/ssh.log', line: 12 }],
    status: 'new',
    ...over,
  };
}

describeStores('incident opener', (getStore) => {
  let now = T0;
  const setup = (cfg: unknown = {}) => {
    now = T0;
    const db = getStore().db as Kysely<IncidentRecordsDb>;
    const service = new IncidentService(db, { now: () => now });
    const opener = incidentOpener({
      service,
      config: incidentsSchema.parse(cfg),
      now: () => now,
      log: silentLogger(),
    });
    return { service, opener };
  };

  it('opens one security incident per customer and detector; related findings join it', async () => {
    const { service, opener } = setup();
    await opener.findings([finding()]);
    await opener.findings([finding()]); // the same finding re-read: no second entry
    now += H;
    await opener.findings([finding({ id: 'f2', key: 'other', src: '198.51.100.8' })]);
    await opener.findings([finding({ id: 'f3', customerId: 'globex', dst: '192.0.2.5' })]);
    const acme = await service.list({ customers: ['acme'] });
    expect(acme).toHaveLength(1);
    expect(acme[0]).toMatchObject({
      kind: 'security',
      state: 'detected',
      detector: 'brute-force',
      priority: 'P2',
    });
    expect(acme[0]!.timeline.map((e) => e.kind)).toEqual(['detected', 'finding']);
    expect(acme[0]!.timeline[0]!.text).toContain('[finding f1,');
    expect(acme[0]!.timeline[0]!.text).toContain('/var/log/zeek/ssh.log:12');
    expect(acme[0]!.timeline[1]!.text).toContain('[finding f2,');
    const globex = await service.list({ customers: ['globex'] });
    expect(globex).toHaveLength(1);
    expect(JSON.stringify(globex)).not.toContain('acme');
  });

  it('opens a new incident when the open one is older than the join window', async () => {
    const { service, opener } = setup({ join_window: '2h' });
    await opener.findings([finding()]);
    now += 2 * H + 1;
    await opener.findings([finding({ id: 'f2', key: 'k2' })]);
    expect(await service.list({ customers: ['acme'] })).toHaveLength(2);
  });

  it('ignores findings without a customer, false positives, and low-severity signatures', async () => {
    const { service, opener } = setup({
      security: { signature_min_severity: 'critical', sigma_rules: ['r-1'] },
    });
    await opener.findings([
      finding({ customerId: undefined }),
      finding({ id: 'f2', status: 'false_positive' }),
      finding({ id: 'f3', detector: 'signature-alerts', severity: 'high' }),
      finding({ id: 'f4', detector: 'sigma', details: { ruleId: 'r-2' } }),
      finding({ id: 'f5', detector: 'beaconing' }),
    ]);
    expect(await service.list()).toEqual([]);
    await opener.findings([
      finding({ id: 'f6', detector: 'signature-alerts', severity: 'critical' }),
      finding({ id: 'f7', detector: 'sigma', details: { ruleId: 'r-1' } }),
    ]);
    expect((await service.list()).map((i) => i.detector).sort()).toEqual(['sigma', 'signature-alerts']);
  });

  it('opens one availability incident per service for a firing outage alert, dated at its start', async () => {
    const { service, opener } = setup();
    const down: Alert = {
      labels: { alertname: 'SlaServiceDown', service: 'portal', customer: 'acme', severity: 'critical' },
      annotations: { summary: 'portal is down' },
      startsAt: '2026-03-02T09:58:00.000Z',
    };
    await opener.alerts([down, { ...down, labels: { ...down.labels, alertname: 'SlaLatencyHigh' } }]);
    await opener.alerts([down]); // kept firing: no second incident
    await opener.alerts([{ ...down, labels: { ...down.labels, customer: '' } }]);
    const list = await service.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      kind: 'availability',
      serviceId: 'portal',
      priority: 'P1',
      title: 'portal is down',
    });
    expect(list[0]!.detectedAt).toBe('2026-03-02T09:58:00.000Z');
    // The SLA engine reads it through the core store (incident-measured availability).
    const db = getStore().db as Kysely<IncidentsDb>;
    const forSla = await listIncidents(db, { serviceId: 'portal', fromMs: T0 - H, toMs: T0 + H });
    expect(forSla.map((i) => i.id)).toEqual([list[0]!.id]);
  });

  it('keeps the old upsertIncident callers working on the extended table', async () => {
    const { service } = setup();
    const db = getStore().db as Kysely<IncidentsDb>;
    await upsertIncident(db, {
      id: 'INC-old',
      kind: 'availability',
      customerId: 'acme',
      priority: 'P3',
      title: 'old style',
      detectedAt: '2026-03-01T00:00:00.000Z',
      reportedAt: '2026-03-01T00:00:00.000Z',
      timeline: [],
    });
    expect(await service.get('INC-old')).toMatchObject({ state: 'detected', openedBy: 'unknown' });
    await expect(service.get('INC-old', ['globex'])).rejects.toMatchObject({ code: 'INC_NOT_FOUND' });
  });
});
