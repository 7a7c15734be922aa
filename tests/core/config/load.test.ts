import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  Secret,
  coreSections,
  definedIds,
  duration,
  loadConfig,
  secret,
  type ConfigSection,
} from '../../../core/index.js';

/** A small domain section as a domain would contribute one, with a reference check. */
const services: ConfigSection = {
  key: 'services',
  optional: true,
  schema: z.array(
    z.strictObject({
      id: z.string(),
      customer: z.string(),
      interval: duration(),
      port: z.number().optional(),
    }),
  ),
  check(config, report) {
    const customers = definedIds(config, 'customers');
    (Array.isArray(config.services) ? config.services : []).forEach((s: { customer?: unknown }, i) => {
      if (typeof s?.customer === 'string' && !customers.has(s.customer)) {
        report(['services', i, 'customer'], `customer "${s.customer}" is not defined in customers`);
      }
    });
  },
};
const keyed: ConfigSection = { key: 'keys', optional: true, schema: z.strictObject({ api: secret() }) };
const sections = [...coreSections, services, keyed];

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'vigil-cfg-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

function problems(file: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    loadConfig(file, { sections, env });
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.line}:${i.col}: ${i.message}`);
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('reports an unknown key, a wrong type, a bad duration and an undefined reference at once, each at its place', () => {
    const d = dir({
      'v.yaml': [
        'timezone: Europe/Amsterdam',
        'customers:',
        '  - id: acme',
        '    name: ACME B.V.',
        'services:',
        '  - id: web',
        '    customer: globex',
        '    interval: 10x',
        '    port: "eighty"',
        '    colour: blue',
        '',
      ].join('\n'),
    });
    expect(problems(join(d, 'v.yaml'))).toEqual([
      '7:15: services[0].customer: customer "globex" is not defined in customers',
      '8:15: services[0].interval: "10x" is not a duration (use e.g. 500ms, 10s, 5m, 1h30m, 7d)',
      '9:11: services[0].port: Invalid input: expected number, received string',
      '10:5: services[0].colour: unknown key "colour"',
    ]);
  });

  it('accepts a valid file and applies defaults', () => {
    const d = dir({
      'v.yaml':
        'customers: [{id: acme, name: ACME}]\nservices: [{id: web, customer: acme, interval: 1m30s}]\n',
    });
    const { config } = loadConfig(join(d, 'v.yaml'), { sections, env: {} });
    expect(config.timezone).toBe('Europe/Amsterdam');
    expect((config.services as Array<{ interval: number }>)[0]!.interval).toBe(90_000);
    expect(Object.isFrozen(config.services)).toBe(true);
  });

  it('merges lists from included files and points at the included file for its problems', () => {
    const d = dir({
      'main.yaml':
        'include: [more.yaml]\ncustomers: [{id: acme, name: ACME}]\nservices:\n  - {id: a, customer: acme, interval: 10s}\n',
      'more.yaml':
        'services:\n  - {id: b, customer: acme, interval: 10s}\n  - {id: c, customer: nobody, interval: 10s}\n',
    });
    let caught: ConfigError | undefined;
    try {
      loadConfig(join(d, 'main.yaml'), { sections, env: {} });
    } catch (err) {
      caught = err as ConfigError;
    }
    expect(caught?.issues).toEqual([
      {
        file: join(d, 'more.yaml'),
        line: 3,
        col: 23,
        message: 'services[2].customer: customer "nobody" is not defined in customers',
      },
    ]);
  });

  it('refuses a non-list key set in two files, and include cycles', () => {
    const d = dir({
      'a.yaml': 'include: b.yaml\ntimezone: UTC\n',
      'b.yaml': 'include: a.yaml\ntimezone: UTC\n',
    });
    const out = problems(join(d, 'a.yaml'));
    expect(out.some((p) => /timezone is already set in .*a\.yaml:2/.test(p))).toBe(true);
    expect(out.some((p) => p.includes('include cycle'))).toBe(true);
  });

  it.each([
    [
      'plain variable keeps its YAML type',
      'services:\n  - id: w\n    customer: c\n    interval: 1s\n    port: ${PORT}',
      { PORT: '8080' },
      8080,
    ],
    [
      'quoted variable stays a string',
      'services:\n  - id: w\n    customer: c\n    interval: "${IV}"\n    port: 1',
      { IV: '5s' },
      1,
    ],
  ])('expands ${ENV}: %s', (_name, yaml, env, port) => {
    const d = dir({ 'v.yaml': `customers: [{id: c, name: C}]\n${yaml}\n` });
    const { config } = loadConfig(join(d, 'v.yaml'), { sections, env });
    expect((config.services as Array<{ port: number }>)[0]!.port).toBe(port);
  });

  it('treats $$ as a literal $ and reports an unset variable with its place', () => {
    const d = dir({ 'v.yaml': 'customers:\n  - id: c\n    name: "cost $$5 ${WHO}"\n' });
    expect(problems(join(d, 'v.yaml'))).toEqual([
      '3:11: environment variable WHO is not set (write $$ for a literal $)',
    ]);
    const { config } = loadConfig(join(d, 'v.yaml'), { sections, env: { WHO: 'x' } });
    expect((config.customers as Array<{ name: string }>)[0]!.name).toBe('cost $5 x');
  });

  it('reads secrets from env and files and never prints them', () => {
    const d = dir({ tok: 'hunter2\n', 'v.yaml': 'keys: {api: {file: tok}}\n' });
    writeFileSync(join(d, 'v.yaml'), `keys: {api: {file: ${join(d, 'tok')}}}\n`);
    const { config } = loadConfig(join(d, 'v.yaml'), { sections, env: {} });
    const s = (config.keys as { api: Secret }).api;
    expect(s.reveal()).toBe('hunter2');
    expect(JSON.stringify(config)).not.toContain('hunter2');
    expect(inspect(config, { depth: 10 })).not.toContain('hunter2');
    expect(`${s}`).toBe('<secret>');
  });

  it('reports a missing secret variable and YAML syntax errors with positions', () => {
    const d = dir({ 'v.yaml': 'keys: {api: {env: NOPE}}\n', 'bad.yaml': 'customers:\n  - id: [a\n' });
    expect(problems(join(d, 'v.yaml'))).toEqual(['1:13: keys.api: environment variable NOPE is not set']);
    const bad = problems(join(d, 'bad.yaml'));
    expect(bad.length).toBeGreaterThan(0);
    expect(bad[0]).toMatch(/^\d+:\d+: /);
  });

  it('reports duplicate ids and a bad CIDR', () => {
    const d = dir({
      'v.yaml': 'customers:\n  - {id: a, name: A}\n  - {id: a, name: B, networks: [10.0.0.0/33]}\n',
    });
    expect(problems(join(d, 'v.yaml'))).toEqual([
      '3:10: customers[1].id: duplicate id "a"',
      '3:33: customers[1].networks[0]: is not a CIDR network (e.g. 203.0.113.0/24 or 2001:db8::/32)',
    ]);
  });

  it('names a file it cannot read', () => {
    expect(problems('/nonexistent/vigil.yaml')).toEqual([
      '1:1: cannot read config file /nonexistent/vigil.yaml: ENOENT',
    ]);
  });
});

describe('loadConfig extras', () => {
  it('includes every file a glob matches, in name order, and reports a glob that matches nothing', async () => {
    const { mkdirSync } = await import('node:fs');
    const d = dir({ 'main.yaml': 'include: ["more/*.yaml", "none/*.yaml"]\n' });
    mkdirSync(join(d, 'more'));
    writeFileSync(join(d, 'more', 'b.yaml'), 'customers: [{id: b, name: B}]\n');
    writeFileSync(join(d, 'more', 'a.yaml'), 'customers: [{id: a, name: A}]\n');
    expect(problems(join(d, 'main.yaml'))).toEqual(['1:26: include: "none/*.yaml" matches no file']);
    writeFileSync(join(d, 'main.yaml'), 'include: ["more/*.yaml"]\n');
    const { config, files } = loadConfig(join(d, 'main.yaml'), { sections, env: {} });
    expect((config.customers as Array<{ id: string }>).map((c) => c.id)).toEqual(['a', 'b']);
    expect(files).toHaveLength(3);
  });

  it('reads {env: NAME} secrets from the environment given to the loader', () => {
    const d = dir({ 'v.yaml': 'keys: {api: {env: ONLY_IN_GIVEN_ENV}}\n' });
    const { config } = loadConfig(join(d, 'v.yaml'), { sections, env: { ONLY_IN_GIVEN_ENV: 's3cret' } });
    expect((config.keys as { api: Secret }).api.reveal()).toBe('s3cret');
  });
});
