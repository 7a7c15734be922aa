import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.js';
import { once } from 'node:events';

describe('vigil config check', () => {
  it('prints an unknown key, a wrong type, a bad duration and an undefined reference with line and column, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-check-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      [
        'customers:',
        '  - id: acme',
        '    name: ACME B.V.',
        'services:',
        '  - id: office-web',
        '    customer: acme',
        '    sla: gold',
        '    probes:',
        '      - type: http',
        '        url: "http://127.0.0.1:9/"',
        '        interval: 10 seconds',
        '        timeout: 5s',
        '        colour: blue',
        'server:',
        '  listen: 8080',
        '',
      ].join('\n'),
    );
    const { code, stdout, stderr } = await runCli(['config', 'check', '--config', file]);
    expect(code).toBe(2);
    expect(stdout.trim().split('\n')).toEqual([
      `${file}:7:10: services[0].sla: SLA policy "gold" is not in sla_policies`,
      `${file}:11:19: services[0].probes[0].interval: "10 seconds" is not a duration (use e.g. 500ms, 10s, 5m, 1h30m, 7d)`,
      `${file}:13:9: services[0].probes[0].colour: unknown key "colour"`,
      `${file}:15:11: server.listen: Invalid input: expected string, received number`,
    ]);
    expect(stderr).toBe(`${file}: 4 problems found\n`);
  });

  it.each(['configs/demo.yaml', 'configs/vigil.example.yaml'])('accepts %s (exit 0)', async (cfg) => {
    const { code, stdout, stderr } = await runCli(['config', 'check', '--config', cfg], {
      env: {
        VIGIL_EXAMPLE_TOKEN: 'example-agent-token-0123456789abcdef',
        SMTP_PASSWORD: 'x',
        PAGERDUTY_ROUTING_KEY: 'x',
        OPSGENIE_API_KEY: 'x',
        SLACK_WEBHOOK_URL: 'https://hooks.slack.example/T0/B0/x',
        // the example's probe and acknowledgement-link secrets (configs/vigil.example.yaml header)
        OFFICE_MONITOR_PASSWORD: 'x',
        OFFICE_TOTP_SECRET: 'JBSWY3DPEHPK3PXP',
        VIGIL_ACK_SECRET: 'example-ack-secret-0123456789abcdef',
      },
    });
    expect(stderr).toBe('');
    expect(stdout).toBe(`${cfg}: configuration is valid\n`);
    expect(code).toBe(0);
  });

  // The alerting cross-checks used to re-parse the already-parsed section: a duration (now ms) or
  // a secret (now a Secret) made that fail, and `if (!parsed.success) return` skipped every check.
  const ALERTING_WITH_DURATION_AND_SECRET = [
    'alerting:',
    '  global:',
    '    resolve_timeout: 5m',
    '  route:',
    '    receiver: ops',
    '    group_wait: 30s',
    '    routes:',
    '      - receiver: nobody',
    "        match_re: { service: '(a)\\1' }",
    '  receivers:',
    '    - name: ops',
    '      pagerduty_configs: [{ routing_key: { env: PD_KEY } }]',
    '    - name: ops',
    '',
  ].join('\n');
  const WANT = (file: string) => [
    `${file}:8:19: alerting.route.routes[0].receiver: undefined receiver "nobody" used in route`,
    `${file}:9:30: alerting.route.routes[0].match_re.service: invalid regular expression "(a)\\1" for label service: error parsing regexp: invalid escape sequence: \`\\1\``,
    `${file}:13:13: alerting.receivers[1].name: notification config name "ops" is not unique`,
  ];

  it('runs every Alertmanager cross-check when the alerting section holds durations and secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-check-'));
    const file = join(dir, 'am.yaml');
    writeFileSync(file, ALERTING_WITH_DURATION_AND_SECRET);
    const { code, stdout } = await runCli(['config', 'check', '--config', file], { env: { PD_KEY: 'k' } });
    expect(stdout.trim().split('\n')).toEqual(WANT(file));
    expect(code).toBe(2);
  });

  it('vigil start refuses the same config with every place, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-check-'));
    const file = join(dir, 'am.yaml');
    writeFileSync(file, `server: {listen: "127.0.0.1:0"}\n${ALERTING_WITH_DURATION_AND_SECRET}`);
    const child = spawnCli(['start', '--config', file, '--data', join(dir, 'data')], {
      env: { PD_KEY: 'k' },
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    for (const line of WANT(file)) {
      const [, l, c, msg] = /^.*:(\d+):(\d+): (.*)$/.exec(line)!;
      expect(err).toContain(`am.yaml:${Number(l) + 1}:${c}: ${msg}`);
    }
  });
});
