import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

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
        VIGIL_EXAMPLE_TOKEN: 'x',
        SMTP_PASSWORD: 'x',
        PAGERDUTY_ROUTING_KEY: 'x',
        OPSGENIE_API_KEY: 'x',
        SLACK_WEBHOOK_URL: 'https://hooks.slack.example/T0/B0/x',
        // the example's probe and acknowledgement-link secrets (configs/vigil.example.yaml header)
        OFFICE_MONITOR_PASSWORD: 'x',
        OFFICE_TOTP_SECRET: 'JBSWY3DPEHPK3PXP',
        VIGIL_ACK_SECRET: 'x',
      },
    });
    expect(stderr).toBe('');
    expect(stdout).toBe(`${cfg}: configuration is valid\n`);
    expect(code).toBe(0);
  });
});
