import { describe, expect, it } from 'vitest';
import { OpenAlerts } from '../../app/open-alerts.js';

const alert = (labels: Record<string, string>, startsAt: string, endsAt?: string) => ({
  labels,
  annotations: {},
  startsAt,
  ...(endsAt ? { endsAt } : {}),
});

describe('OpenAlerts', () => {
  it('keeps an alert open until one with the same labels ends, whatever the label order', () => {
    let now = Date.parse('2026-11-21T12:00:00Z');
    const open = new OpenAlerts(() => now);
    open.observe([
      alert({ alertname: 'Down', service: 'web' }, '2026-11-21T11:59:00Z'),
      alert({ alertname: 'Slow', service: 'web' }, '2026-11-21T11:58:00Z'),
    ]);
    expect(open.list().map((a) => a.labels.alertname)).toEqual(['Slow', 'Down']);
    open.observe([
      alert({ service: 'web', alertname: 'Down' }, '2026-11-21T11:59:00Z', '2026-11-21T11:59:30Z'),
    ]);
    expect(open.list().map((a) => a.labels.alertname)).toEqual(['Slow']);
    // An announced end in the future keeps it open until then.
    open.observe([
      alert({ alertname: 'Slow', service: 'web' }, '2026-11-21T11:58:00Z', '2026-11-21T12:05:00Z'),
    ]);
    expect(open.list()).toHaveLength(1);
    now = Date.parse('2026-11-21T12:05:00Z');
    expect(open.list()).toEqual([]);
  });
});
