import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, coreSections, loadConfig, type ConfigSection } from '../../core/index.js';
import { probesConfigSections } from '../../probes/index.js';
import { regexCapture, regexFinds } from '../../probes/regex.js';

const slaStandIn: ConfigSection = {
  key: 'sla_policies',
  optional: true,
  schema: z.array(z.looseObject({ id: z.string() })),
};

describe('probe regexes are RE2', () => {
  it('a crafted response cannot hang the probe: body, header and capture patterns that backtrack for 2^64 steps complete', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'helpers', 'redos-child.ts')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // Not a speed limit: a backtracking engine needs longer than the age of the universe here,
    // RE2 microseconds; the kill only turns a hang into a failure instead of a stuck suite.
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const code = await new Promise<number | null>((r) => child.on('close', r));
    clearTimeout(killer);
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ok: boolean; error?: { kind: string; message: string } });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      ok: false,
      error: { kind: 'assertion', message: expect.stringContaining('does not match /(a+)+$/') },
    });
    expect(lines[1]).toMatchObject({
      ok: false,
      error: { kind: 'assertion', message: expect.stringContaining('expected to match /^(a|aa)+$/') },
    });
    expect(lines[2]).toMatchObject({
      ok: false,
      error: { kind: 'assertion', message: expect.stringContaining('capture v: nothing found') },
    });
  }, 180_000);

  it('matches unanchored and captures group 1 (else the whole match), as RegExp did', () => {
    expect(regexFinds('b+', 'abbbc')).toBe(true);
    expect(regexFinds('(?i)OK', 'status: ok')).toBe(true);
    expect(regexFinds('^ok$', 'not ok')).toBe(false);
    expect(regexCapture('token=(\\w+)', 'x token=abc123; y')).toBe('abc123');
    expect(regexCapture('\\d+', 'id 42')).toBe('42');
    expect(regexCapture('(x)?y', 'y')).toBe('y');
    expect(regexCapture('z', 'y')).toBeUndefined();
  });

  it('vigil config check refuses a pattern RE2 rejects, at its place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-probe-re-'));
    const file = join(dir, 'vigil.yaml');
    writeFileSync(
      file,
      [
        'customers: [{id: acme, name: ACME}]',
        'services:',
        '  - id: web',
        '    customer: acme',
        '    probes:',
        '      - type: http',
        '        url: http://127.0.0.1:9/',
        '        expect:',
        "          body_regex: ['(?=lookahead)']",
        "          headers: [{name: x, matches: '(a)\\1'}]",
        '      - type: multi_step',
        '        id: login',
        '        steps:',
        '          - url: http://127.0.0.1:9/',
        "            capture: [{name: t, regex: '[unclosed'}]",
        '',
      ].join('\n'),
    );
    let issues: string[] = [];
    try {
      loadConfig(file, { sections: [...coreSections, slaStandIn, ...probesConfigSections], env: {} });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      issues = e.issues.map((i) => `${i.line}:${i.col}: ${i.message}`);
    }
    expect(issues).toEqual([
      '9:24: services[0].probes[0].expect.body_regex[0]: "(?=lookahead)" is not an RE2 regular expression (error parsing regexp: invalid or unsupported Perl syntax: `(?=`); lookahead and backreferences are not RE2',
      '10:40: services[0].probes[0].expect.headers[0].matches: "(a)\\1" is not an RE2 regular expression (error parsing regexp: invalid escape sequence: `\\1`); lookahead and backreferences are not RE2',
      '15:40: services[0].probes[1].steps[0].capture[0].regex: "[unclosed" is not an RE2 regular expression (error parsing regexp: missing closing ]: `[unclosed`); lookahead and backreferences are not RE2',
    ]);
  });
});
