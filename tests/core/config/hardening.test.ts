import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, coreSections, loadConfig, type ConfigSection } from '../../../core/index.js';
import { probesConfigSections } from '../../../probes/index.js';
import { alertingSections } from '../../../alerting/index.js';
import { runCli } from '../../helpers/cli.js';

/** The caps documented in docs/configuration.md (core/config/bounded-read.ts). */
const CONFIG_FILE_MAX_BYTES = 1024 * 1024;
const SECRET_FILE_MAX_BYTES = 64 * 1024;

const slaStandIn: ConfigSection = {
  key: 'sla_policies',
  optional: true,
  schema: z.array(z.looseObject({ id: z.string() })),
};
const sections = [...coreSections, slaStandIn, ...probesConfigSections, ...alertingSections];

function setup(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'vigil-harden-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

function problems(file: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    loadConfig(file, { sections, env });
  } catch (err) {
    if (err instanceof ConfigError)
      return err.issues.map((i) => `${i.file}:${i.line}:${i.col}: ${i.message}`);
    throw err;
  }
  return [];
}

const SERVICE = (probe: string) =>
  `customers: [{id: acme, name: ACME}]\nservices:\n  - id: web\n    customer: acme\n    probes:\n${probe}`;

describe('config hardening', () => {
  it('names the unset variable of an {env: X} inside a probe auth block, not "Invalid input"', () => {
    const d = setup({
      'v.yaml': SERVICE(
        '      - type: http\n        url: http://127.0.0.1:9/\n        auth:\n          basic: {username: mon, password: {env: OFFICE_PW}}\n',
      ),
    });
    expect(problems(join(d, 'v.yaml'))).toEqual([
      `${join(d, 'v.yaml')}:9:44: services[0].probes[0].auth.basic.password: environment variable OFFICE_PW is not set`,
    ]);
  });

  it.each([
    ['a password file of key: value lines', 'hunter2-root-password: yes\nbackup-hunter2: s3cr3t\n'],
    ['plain text lines', 'hunter2\nanother hunter2 line\n'],
    ['broken YAML', '"hunter2: [\n  - {'],
    ['a YAML list', '- hunter2\n- s3cr3t\n'],
  ])('refuses an include of %s in one message naming the file, never echoing it', (_name, content) => {
    const d = setup({ 'main.yaml': 'include: [secrets.txt]\ntimezone: UTC\n', 'secrets.txt': content });
    const out = problems(join(d, 'main.yaml'));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(
      new RegExp(
        `^${join(d, 'main.yaml')}:1:11: included file ${join(d, 'secrets.txt')} is not a vigil config file \\(.*\\); its content is not shown$`,
      ),
    );
    expect(out.join('\n')).not.toMatch(/hunter2|s3cr3t/);
  });

  it('refuses a non-regular file (a device) and an oversized file as include, each with a clear message', () => {
    const d = setup({
      'main.yaml': 'include: [/dev/null, big.yaml]\n',
      'big.yaml': `timezone: UTC\n#${'x'.repeat(CONFIG_FILE_MAX_BYTES)}\n`,
    });
    expect(problems(join(d, 'main.yaml'))).toEqual([
      `${join(d, 'main.yaml')}:1:11: config file /dev/null is a character device, not a regular file`,
      `${join(d, 'main.yaml')}:1:22: config file ${join(d, 'big.yaml')} is larger than the ${CONFIG_FILE_MAX_BYTES} bytes allowed`,
    ]);
  });

  it('refuses a FIFO as include instead of blocking on it (vigil config check)', async () => {
    const d = setup({ 'main.yaml': 'include: [pipe.yaml]\n' });
    execFileSync('mkfifo', [join(d, 'pipe.yaml')]);
    const { code, stdout } = await runCli(['config', 'check', '--config', join(d, 'main.yaml')], {
      timeoutMs: 120_000,
    });
    expect(stdout).toBe(
      `${join(d, 'main.yaml')}:1:11: config file ${join(d, 'pipe.yaml')} is a FIFO, not a regular file\n`,
    );
    expect(code).toBe(2);
  });

  it('refuses an oversized or non-regular secret file at the secret', () => {
    const d = setup({ 'big.key': 'k'.repeat(SECRET_FILE_MAX_BYTES + 1) });
    writeFileSync(
      join(d, 'v.yaml'),
      `alerting:\n  route: {receiver: r}\n  receivers:\n    - name: r\n      pagerduty_configs:\n        - routing_key: {file: ${join(d, 'big.key')}}\n        - routing_key: {file: /dev/null}\n`,
    );
    expect(problems(join(d, 'v.yaml'))).toEqual([
      `${join(d, 'v.yaml')}:6:24: alerting.receivers[0].pagerduty_configs[0].routing_key: secret file ${join(d, 'big.key')} is larger than the ${SECRET_FILE_MAX_BYTES} bytes allowed`,
      `${join(d, 'v.yaml')}:7:24: alerting.receivers[0].pagerduty_configs[1].routing_key: secret file /dev/null is a character device, not a regular file`,
    ]);
  });

  it('bounds durations where they are used, with the place', () => {
    const d = setup({
      'v.yaml': [
        SERVICE('      - {type: tcp, host: h, port: 1, timeout: 0s}'),
        'alerting:',
        '  route: {receiver: r, group_wait: 100000000y, repeat_interval: 2y}',
        '  receivers: [{name: r}]',
        '  vigil: {retry_initial: 0s, retry_max: 5ms}',
        '',
      ].join('\n'),
    });
    const f = join(d, 'v.yaml');
    expect(problems(f)).toEqual([
      `${f}:6:48: services[0].probes[0].timeout: "0s" is out of range: must be between 100ms and 10m`,
      `${f}:8:36: alerting.route.group_wait: "100000000y" is out of range: must be at most 1d`,
      `${f}:8:65: alerting.route.repeat_interval: "2y" is out of range: must be at most 365d`,
      `${f}:10:26: alerting.vigil.retry_initial: "0s" is out of range: must be between 10ms and 1h`,
      `${f}:10:41: alerting.vigil.retry_max: "5ms" is out of range: must be between 10ms and 1d`,
    ]);
  });

  it('requires 32 bytes of secret material for ack_secret and agent tokens, never printing them', () => {
    const d = setup({
      'v.yaml': [
        'locations: [{id: fra, agent: true, token: x}]',
        'alerting:',
        '  route: {receiver: r}',
        '  receivers: [{name: r}]',
        '  vigil: {ack_secret: {env: ACK}}',
        '',
      ].join('\n'),
    });
    const f = join(d, 'v.yaml');
    const out = problems(f, { ACK: 'short-secret' });
    expect(out).toEqual([
      `${f}:1:43: locations[0].token: is 1 byte long (inline); at least 32 bytes of random secret are needed (e.g. openssl rand -hex 32)`,
      `${f}:5:23: alerting.vigil.ack_secret: is 12 bytes long (env:ACK); at least 32 bytes of random secret are needed (e.g. openssl rand -hex 32)`,
    ]);
    expect(out.join('\n')).not.toContain('short-secret');
    expect(problems(f, { ACK: 'a'.repeat(32) }).length).toBe(1);
  });
});
