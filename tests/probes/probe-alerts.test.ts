import { describe, expect, it } from 'vitest';
import { silentLogger, type Alert, type ProbeResult } from '../../core/index.js';
import { ProbeAlerts, resolveProbes, servicesSchema } from '../../probes/index.js';

const T0 = Date.parse('2026-03-04T10:00:00Z');
const probes = resolveProbes(
  servicesSchema.parse([
    {
      id: 'office',
      customer: 'acme',
      probes: [
        { type: 'http', url: 'https://office.example/' },
        { type: 'tls', id: 'cert', host: 'office.example', interval: '1h' },
        { type: 'backup', id: 'nightly', path: '/b/*.tar.gz', max_age: '26h', alert: false },
      ],
    },
  ]),
  'ams',
);

function result(targetId: string, at: number, ok: boolean): ProbeResult {
  return {
    targetId,
    location: 'ams',
    startedAt: new Date(at).toISOString(),
    ok,
    totalMs: 5,
    loopDelayMs: 0,
    phases: { resolve: 0, connect: 0, tls: 0, processing: 0, transfer: 0 },
    ...(ok ? {} : { error: { kind: 'tls' as const, message: 'leaf certificate expires in 3.0 days' } }),
  };
}

function setup(latest: ProbeResult[] = []) {
  let now = T0;
  const sent: Alert[] = [];
  const pa = new ProbeAlerts({
    probes,
    sink: async (a) => void sent.push(...a),
    clock: { now: () => now },
    log: silentLogger(),
    latest: async () => latest,
  });
  return { pa, sent, at: (t: number) => (now = t) };
}

describe('probe alerts', () => {
  it('defaults: tls and backup alert, http (counted by the SLA) does not; alert: false turns it off', () => {
    expect(probes.map((p) => [p.probeId, p.alert])).toEqual([
      ['http', false],
      ['cert', true],
      ['nightly', false],
    ]);
    const backup = probes[2]!.config;
    expect(backup.type === 'backup' && backup.min_versions).toBe(7);
  });

  it('fires on a failing sample, stays alive between hourly samples, resolves on the first good one', async () => {
    const { pa, sent, at } = setup();
    await pa.start();
    try {
      await pa.observe([result('office/http', T0, false), result('office/cert', T0, false)]);
      expect(sent.map((a) => a.labels)).toEqual([
        {
          alertname: 'VigilTlsCheckFailed',
          service: 'office',
          customer: 'acme',
          probe: 'cert',
          location: 'ams',
          severity: 'page',
        },
      ]);
      expect(sent[0]!.annotations.reason).toBe('tls: leaf certificate expires in 3.0 days');
      // A failing sample within the resend interval sends nothing; one after it re-sends with
      // endsAt ahead (between hourly samples the resend timer does the same).
      at(T0 + 30_000);
      await pa.observe([result('office/cert', T0 + 30_000, false)]);
      expect(sent).toHaveLength(1);
      at(T0 + 31 * 60_000);
      await pa.observe([result('office/cert', T0 + 31 * 60_000, false)]);
      expect(sent).toHaveLength(2);
      expect(Date.parse(sent[1]!.endsAt!)).toBeGreaterThan(T0 + 31 * 60_000);
      at(T0 + 3_600_000);
      await pa.observe([result('office/cert', T0 + 3_600_000, true)]);
      expect(sent).toHaveLength(3);
      expect(sent[2]!.endsAt).toBe(new Date(T0 + 3_600_000).toISOString());
    } finally {
      await pa.stop();
    }
  });

  it('after a restart, the stored latest failing sample fires again at once (no lapse until the next sample)', async () => {
    const { pa, sent } = setup([result('office/cert', T0 - 20 * 60_000, false)]);
    await pa.start();
    await pa.stop();
    expect(sent.map((a) => a.labels.alertname)).toEqual(['VigilTlsCheckFailed']);
    expect(Date.parse(sent[0]!.endsAt!)).toBeGreaterThan(T0);
  });
});
