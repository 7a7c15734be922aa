import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLogger, createMetricsRegistry, openStore, type Alert } from '../../core/index.js';
import { wireSla } from '../../app/wire/sla.js';
import { registerSlaCommands } from '../../app/commands/sla.js';
import { Command } from 'commander';
import { slaConfigSections, slaPoliciesSchema, slaServicesFrom } from '../../sla/index.js';
import type { LoadedConfig } from '../../app/wire/types.js';

describe('wiring', () => {
  it('wireSla gives the evaluator component and the HTTP routes', async () => {
    const store = await openStore('sqlite::memory:');
    const sent: Alert[] = [];
    const config = {
      __file: 'vigil.yaml',
      timezone: 'Europe/Amsterdam',
      sla_policies: slaPoliciesSchema.parse([
        { id: 'std', availability: '99.9%', latency: { average_ms: 50 } },
      ]),
      services: [{ id: 'web', customer: 'acme', sla: 'std', probes: [{ id: 'http', interval: 10_000 }] }],
    } as unknown as LoadedConfig;
    const w = await wireSla({
      config,
      store,
      log: createLogger({ level: 'silent' }),
      metrics: createMetricsRegistry(),
      clock: { now: () => Date.UTC(2026, 2, 1) },
      dataDir: '.',
      sinks: {
        alerts: async (a) => void sent.push(...a),
        probeResults: async () => undefined,
        findings: async () => undefined,
      },
    });
    expect(w.components.map((c) => c.name)).toEqual(['sla-evaluator']);
    const app = Fastify();
    await app.register(w.http!);
    const res = await app.inject({ method: 'GET', url: '/api/v1/planned-downtimes' });
    expect(res.json()).toEqual({ plannedDowntimes: [] });
    expect(w.firingAlerts()).toEqual([]);
    await app.close();
    await store.close();
  });

  it('registers sla compute, report and downtime announce', () => {
    const program = new Command('vigil');
    registerSlaCommands(program);
    const sla = program.commands.find((c) => c.name() === 'sla')!;
    expect(sla.commands.map((c) => c.name())).toEqual(['compute', 'report', 'downtime']);
  });

  it.each([
    [
      { time_intervals: [], sla_policies: [{ id: 'a', maintenance: ['nope'] }] },
      ['sla_policies.0.maintenance.0: time interval "nope" is not defined in time_intervals'],
    ],
    [
      {
        time_intervals: [{ name: 'x' }],
        sla_policies: [
          { id: 'a', maintenance: ['x'], service_hours: 'y' },
          { id: 'a', maintenance: [] },
        ],
      },
      [
        'sla_policies.1.id: duplicate SLA policy id "a"',
        'sla_policies.0.service_hours: time interval "y" is not defined in time_intervals',
      ],
    ],
  ])('config cross-checks %#', (config, expected) => {
    const issues: string[] = [];
    slaConfigSections[0]!.check!(config, (path, message) => issues.push(`${path.join('.')}: ${message}`));
    expect(issues).toEqual(expected);
  });

  it('reads services as the probes domain defines them: id defaults to type, tls/backup do not count', () => {
    const [svc] = slaServicesFrom({
      sla_policies: slaPoliciesSchema.parse([
        { id: 'std', availability: '99.9%', latency: { average_ms: 50 } },
      ]),
      services: [
        {
          id: 'web',
          customer: 'acme',
          sla: 'std',
          probes: [
            { type: 'http', interval: 10_000 },
            { type: 'tls' },
            { type: 'backup', sla: true, interval: 3_600_000 },
            { id: 'api', type: 'tcp', sla: false },
          ],
        },
        { id: 'nosla', customer: 'acme', probes: [{ type: 'http' }] },
      ],
    });
    expect(svc).toMatchObject({ id: 'web', targetIds: ['web/http', 'web/backup'], probeIntervalMs: 10_000 });
  });

  it('the policy schema is strict and parses the contract example', () => {
    const p = slaPoliciesSchema.parse([
      {
        id: 'standard',
        availability: '99.9%',
        latency: { average_ms: 50 },
        window: { rolling: '30d' },
        planned_notice: '12h',
        quorum: 2,
      },
    ])[0]!;
    expect(p.availability).toBeCloseTo(0.999, 12);
    expect(p).toMatchObject({
      window: { rolling: 30 * 86_400_000 },
      planned_notice: 43_200_000,
      quorum: 2,
      loop_delay_exclusion: true,
    });
    expect(
      slaPoliciesSchema.safeParse([{ id: 'x', availability: 1, latency: { average_ms: 50 }, colour: 'red' }])
        .success,
    ).toBe(false);
  });
});
