import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, spawnCli, waitForLog } from '../helpers/cli.js';

// `vigil start` on configs/vigil.example.yaml as a new user runs it: a fresh data directory, the
// secrets it names set in the environment. Only the listen port is changed (to a free one).
// ClamAV: the managed clamd loads freshclam's database from /var/lib/clamav when there is one;
// on a machine without it (no internet for freshclam) it starts on vigil's built-in EICAR test
// signature alone and raises VigilClamavSignaturesStale (docs/scanning.md): it must come up either way.
/** The secrets the example reads (its header); keys need 32 bytes. */
const EXAMPLE_ENV: Record<string, string> = {
  VIGIL_EXAMPLE_TOKEN: 'example-agent-token-0123456789abcdef',
  SMTP_PASSWORD: 'x',
  PAGERDUTY_ROUTING_KEY: 'x',
  OPSGENIE_API_KEY: 'x',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.example/T0/B0/x',
  OFFICE_MONITOR_PASSWORD: 'x',
  OFFICE_TOTP_SECRET: 'JBSWY3DPEHPK3PXP',
  VIGIL_ACK_SECRET: 'example-ack-secret-0123456789abcdef',
};

describe('configs/vigil.example.yaml starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-example-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('comes up on a fresh data directory and answers /readyz with 200', async () => {
    const text = readFileSync(join(ROOT, 'configs', 'vigil.example.yaml'), 'utf8');
    const listen = /^ {2}listen: "127\.0\.0\.1:8080"/m;
    expect(text).toMatch(listen);
    const file = join(dir, 'vigil.yaml');
    writeFileSync(file, text.replace(listen, '  listen: "127.0.0.1:0"'));
    const child = spawnCli(['start', '--config', file, '--data', join(dir, 'data')], { env: EXAMPLE_ENV });
    try {
      // A liveness bound, not a speed claim: clamd may load freshclam's full database first.
      const started = await waitForLog(child, (l) => l.msg === 'vigil started', 240_000);
      const ready = await fetch(`${String(started.address)}/readyz`);
      expect(await ready.json()).toEqual({ ok: true, reasons: [] });
      expect(ready.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  }, 300_000);
});
