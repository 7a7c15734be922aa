import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ConfigError, coreSections, loadConfig, type ConfigSection } from '../../core/index.js';
import {
  probesConfigSections,
  resolveProbes,
  type ProbesSettings,
  type ServicesConfig,
} from '../../probes/index.js';

// sla_policies belongs to the SLA domain; a stand-in with just the ids is enough for the cross-check.
const slaStandIn: ConfigSection = {
  key: 'sla_policies',
  optional: true,
  schema: z.array(z.looseObject({ id: z.string() })),
};
const sections = [...coreSections, slaStandIn, ...probesConfigSections];

function load(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-probes-cfg-'));
  const file = join(dir, 'vigil.yaml');
  writeFileSync(file, yaml);
  // secret() reads process.env itself.
  process.env.VIGIL_TEST_AGENT_TOKEN = 'tok-from-env-0123456789abcdef0123456789';
  return loadConfig(file, { sections, env: process.env }).config;
}

function issues(yaml: string): string[] {
  try {
    load(yaml);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.line}: ${i.message}`);
    throw err;
  }
  return [];
}

const BASE = `
customers: [{ id: acme, name: ACME B.V. }]
sla_policies: [{ id: standard }]
locations: [{ id: ams }, { id: fra, agent: true, token: { env: VIGIL_TEST_AGENT_TOKEN } }]
`;

describe('probes config', () => {
  it('parses services with defaults and resolves targets', () => {
    const cfg = load(`${BASE}
probes: { location: ams, loop_delay_threshold: 15ms }
services:
  - id: office-web
    customer: acme
    sla: standard
    probes:
      - { type: http, url: "https://office.example/", interval: 10s, locations: [ams, fra] }
      - { type: tls, host: office.example, min_days_valid: 21 }
      - { type: backup, path: "/backups/office/*.tar.gz", max_age: 26h, min_versions: 7 }
      - { type: http, id: login, url: "https://office.example/login", interval: 1m, timeout: 5s }
`);
    const settings = cfg.probes as ProbesSettings;
    expect(settings).toMatchObject({ location: 'ams', loop_delay_threshold: 15, max_concurrency: 64 });
    const resolved = resolveProbes(cfg.services as ServicesConfig, settings.location);
    expect(
      resolved.map((p) => [p.targetId, p.sla, p.intervalMs, p.timeoutMs, p.locations.join(',')]),
    ).toEqual([
      ['office-web/http', true, 10_000, 10_000, 'ams,fra'],
      ['office-web/tls', false, 30_000, 10_000, 'ams'],
      ['office-web/backup', false, 30_000, 10_000, 'ams'],
      ['office-web/login', true, 60_000, 5000, 'ams'],
    ]);
    expect(String((cfg.locations as { token?: unknown }[])[1]!.token)).toBe('<secret>');
  });

  it.each([
    [
      'an unknown customer',
      `services: [{ id: w, customer: nobody, probes: [{ type: tcp, host: h, port: 1 }] }]`,
      /customer "nobody" is not in customers/,
    ],
    [
      'an unknown SLA policy',
      `services: [{ id: w, customer: acme, sla: gold, probes: [{ type: tcp, host: h, port: 1 }] }]`,
      /SLA policy "gold" is not in sla_policies/,
    ],
    [
      'an unknown location',
      `services: [{ id: w, customer: acme, probes: [{ type: tcp, host: h, port: 1, locations: [nyc] }] }]`,
      /location "nyc" is not in locations/,
    ],
    [
      'a duplicate service',
      `services: [{ id: w, customer: acme, probes: [{ type: tcp, host: h, port: 1 }] }, { id: w, customer: acme, probes: [{ type: tcp, host: h, port: 2 }] }]`,
      /service id "w" is defined twice/,
    ],
    [
      'a duplicate probe id',
      `services: [{ id: w, customer: acme, probes: [{ type: tcp, host: h, port: 1 }, { type: tcp, host: h, port: 2 }] }]`,
      /probe id "tcp" is used twice/,
    ],
    [
      'an interval under 1s',
      `services: [{ id: w, customer: acme, probes: [{ type: tcp, host: h, port: 1, interval: 500ms }] }]`,
      /between 1s and 1h/,
    ],
    [
      'an interval over 1h',
      `services: [{ id: w, customer: acme, probes: [{ type: tcp, host: h, port: 1, interval: 2h }] }]`,
      /between 1s and 1h/,
    ],
    [
      'a timeout over the interval',
      `services: [{ id: w, customer: acme, probes: [{ type: tcp, host: h, port: 1, interval: 5s, timeout: 10s }] }]`,
      /timeout is longer than the interval/,
    ],
    [
      'an unknown probe key',
      `services: [{ id: w, customer: acme, probes: [{ type: http, url: "http://x/", colour: red }] }]`,
      /colour/,
    ],
    [
      'an unknown probe type',
      `services: [{ id: w, customer: acme, probes: [{ type: smtp, host: x }] }]`,
      /type|Invalid/,
    ],
    [
      'a backup probe without a source',
      `services: [{ id: w, customer: acme, probes: [{ type: backup, max_age: 1d }] }]`,
      /exactly one of path or manifest_url/,
    ],
    [
      'an agent without a token',
      `locations: [{ id: ams }, { id: fra, agent: true }]`,
      /agent location "fra" needs a token/,
    ],
  ])('reports %s with its line', (_name, yaml, message) => {
    const base = BASE.replace(/^locations:.*$/m, yaml.startsWith('locations') ? '' : '$&');
    const found = issues(`${base}\n${yaml}\n`);
    expect(
      found.some((i) => message.test(i)),
      found.join('\n'),
    ).toBe(true);
    expect(found.every((i) => /^\d+: /.test(i))).toBe(true);
  });
});
