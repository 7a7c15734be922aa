import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, type ConfigSection } from '../../core/index.js';
import { allSections } from '../../app/domains.js';
import { issueLines, loadVigilConfig } from '../../app/load.js';
import { configKeyPaths, missingKeyPaths, schemaKeyPaths, sectionStarts } from './schema-keys.js';

const EXAMPLE = fileURLToPath(new URL('../../configs/vigil.example.yaml', import.meta.url));
const text = readFileSync(EXAMPLE, 'utf8');
const topKeys = ['include', ...allSections.map((s) => s.key)];

/** The secrets the example reads with `{ env: NAME }` (also set by tests/app/config-check.test.ts). */
export const EXAMPLE_ENV: Record<string, string> = {
  VIGIL_EXAMPLE_TOKEN: 'example-agent-token-0123456789abcdef',
  SMTP_PASSWORD: 'x',
  PAGERDUTY_ROUTING_KEY: 'x',
  OPSGENIE_API_KEY: 'x',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.example/T0/B0/x',
  OFFICE_MONITOR_PASSWORD: 'x',
  OFFICE_TOTP_SECRET: 'JBSWY3DPEHPK3PXP',
  VIGIL_ACK_SECRET: 'example-ack-secret-0123456789abcdef',
};

describe('configs/vigil.example.yaml', () => {
  beforeEach(() => {
    // secret() reads process.env itself (not the loader's env), so both are set.
    for (const [k, v] of Object.entries(EXAMPLE_ENV)) vi.stubEnv(k, v);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is YAML without errors or warnings', () => {
    const doc = parseDocument(text, { uniqueKeys: true });
    expect([...doc.errors, ...doc.warnings].map((e) => e.message)).toEqual([]);
  });

  it('is accepted by loadVigilConfig', () => {
    let loaded: Record<string, unknown> | undefined;
    try {
      loaded = loadVigilConfig(EXAMPLE, { ...process.env, ...EXAMPLE_ENV });
    } catch (err) {
      if (err instanceof ConfigError) expect.fail(`example rejected:\n${issueLines(err).join('\n')}`);
      throw err;
    }
    // The contract it models (DESIGN.md §1 and §6).
    expect(loaded).toMatchObject({
      timezone: 'Europe/Amsterdam',
      customers: [{ id: 'acme', name: 'ACME B.V.' }],
      locations: [{ id: 'ams', agent: false }, { id: 'fra', agent: true }],
      sla_policies: [
        {
          id: 'standard',
          availability: expect.closeTo(0.999, 12),
          latency: { average_ms: 50 },
          window: 'calendar_month',
          maintenance: ['saturday-maintenance'],
          service_hours: 'service-hours',
          planned_notice: 12 * 3_600_000,
          quorum: 2,
        },
      ],
      analyzers: { schedule: '0 */4 * * *', timezone: 'Europe/Amsterdam' },
      scanners: { schedule: '30 */4 * * *' },
    });
    const services = loaded!.services as { id: string; probes: { type: string }[] }[];
    expect(services[0]!.id).toBe('office-web');
    expect(services[0]!.probes.map((p) => p.type)).toEqual(expect.arrayContaining(['http', 'tls', 'backup']));
  });

  it('has every top-level key, in the order of allSections (core first, then each domain)', () => {
    const starts = sectionStarts(text.split('\n'), topKeys);
    expect(topKeys.filter((k) => !starts.has(k))).toEqual([]);
    const order = [...starts.entries()].sort((a, b) => a[1] - b[1]).map(([k]) => k);
    expect(order).toEqual(topKeys);
  });

  it('documents both object forms of a secret, active and commented', () => {
    expect(text).toMatch(/^\s+\w+: \{ env: [A-Z_]+ \}/m);
    expect(text).toMatch(/^\s+# \w+: \{ file: \/\S+ \}/m);
  });

  it('documents every key of every schema, in its section', () => {
    const paths = configKeyPaths(allSections);
    const missing = missingKeyPaths(text, paths, topKeys);
    expect(missing, `keys missing from configs/vigil.example.yaml:\n  ${missing.join('\n  ')}\n`).toEqual([]);
  });
});

describe('the schema walker behind the key check', () => {
  const texts = configKeyPaths(allSections).map((p) => p.text);

  it.each([
    'include',
    'store.url',
    'time_intervals[].time_intervals[].times[].start_time',
    'locations[].token',
    'services[].probes[type=http].expect.body_contains',
    'services[].probes[type=http].auth.basic.password',
    'services[].probes[type=dns].expect_min_answers',
    'services[].probes[type=multi_step].steps[].capture[].regex',
    'sla_policies[].window.rolling',
    'alerting.route.escalation[].after',
    'alerting.route.routes[].matchers',
    'alerting.route.routes[].escalation[].receiver',
    'alerting.receivers[].pagerduty_configs[].routing_key',
    'alerting.receivers[].telegram_configs',
    'alerting.vigil.retry_max',
    'analyzers.detectors.signature-alerts.suppress_sids',
    'analyzers.tail.min_severity',
    'scanners.clamav.start_timeout',
  ])('lists %s', (path) => {
    expect(texts).toContain(path);
  });

  it('treats a secret as one value, not as its {env}/{file} forms', () => {
    // The script probe's own `file` (the script) and `env` (its __ENV) are keys, not secret forms.
    const own = ['services[].probes[type=script].file', 'services[].probes[type=script].env'];
    expect(texts.filter((t) => /\.(env|file)$/.test(t) && !own.includes(t))).toEqual([]);
  });

  it('reports a key added to a schema but not to the example', () => {
    const extended: ConfigSection[] = allSections.map((s) =>
      s.key === 'scanners'
        ? { ...s, schema: (s.schema as z.ZodObject).extend({ not_in_the_example: z.boolean().optional() }) }
        : s,
    );
    expect(missingKeyPaths(text, configKeyPaths(extended), topKeys)).toEqual(['scanners.not_in_the_example']);
  });

  it('reports a key that occurs only outside its section', () => {
    // `body_contains` exists (under services), but not under a schema that puts it in `probes`.
    const fake = z.strictObject({ nested: z.strictObject({ body_contains: z.string() }) });
    const paths = schemaKeyPaths(fake, [{ key: 'probes' }]);
    expect(missingKeyPaths(text, paths, topKeys)).toEqual(['probes.nested', 'probes.nested.body_contains']);
  });
});
