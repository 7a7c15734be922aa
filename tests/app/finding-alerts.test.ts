import { describe, expect, it } from 'vitest';
import { silentLogger, type Alert, type Finding } from '../../core/index.js';
import { FINDING_ALERT_HOLD_MS, findingAlert, findingAlertSink } from '../../app/finding-alerts.js';

const finding = (over: Partial<Finding> = {}): Finding => ({
  id: 'f-1',
  runId: 'r-1',
  detector: 'signature-alerts',
  key: '1:2100498|82.165.177.154|10.16.1.11|2016-07-13',
  severity: 'high',
  title: 'IDS alert: x',
  customerId: 'acme',
  firstSeen: '2026-03-04T06:00:01.000Z',
  lastSeen: '2026-03-04T06:00:01.000Z',
  count: 1,
  evidence: [{ file: '/var/log/suricata/eve.json', line: 12 }],
  status: 'new',
  ...over,
});

describe('findings as alerts', () => {
  it('the same finding read again (new id, run, count) is the same alert; another key is another', () => {
    const a = findingAlert(finding());
    const again = findingAlert(
      finding({ id: 'f-2', runId: 'r-2', count: 3, lastSeen: '2026-03-04T12:00:00Z' }),
    );
    expect(again.labels).toEqual(a.labels);
    expect(a.labels).toMatchObject({
      alertname: 'VigilFinding',
      severity: 'high',
      customer: 'acme',
      detector: 'signature-alerts',
    });
    expect(findingAlert(finding({ key: 'other' })).labels.finding).not.toBe(a.labels.finding);
    expect(findingAlert(finding({ customerId: undefined })).labels.customer).toBeUndefined();
  });

  it('the sink pages once per finding, holds it, resolves it after the hold, and skips false positives', async () => {
    let now = Date.parse('2026-03-04T06:00:02Z');
    const sent: Alert[] = [];
    const { sink, firing } = findingAlertSink({
      alerts: async (a) => void sent.push(...a),
      clock: { now: () => now },
      log: silentLogger(),
    });
    await sink([finding(), finding({ key: 'fp', status: 'false_positive' })]);
    await sink([finding({ id: 'f-2', count: 2 })]);
    expect(sent).toHaveLength(1);
    expect(Date.parse(sent[0]!.endsAt!)).toBeGreaterThan(now);
    now += FINDING_ALERT_HOLD_MS + 1;
    await firing.tick();
    expect(sent.at(-1)!.labels).toEqual(sent[0]!.labels);
    expect(Date.parse(sent.at(-1)!.endsAt!)).toBeLessThan(now);
    expect(firing.firing()).toEqual([]);
  });
});
