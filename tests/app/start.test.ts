import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { spawnCli, waitForLog } from '../helpers/cli.js';

function config(extra = ''): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-start-'));
  const file = join(dir, 'vigil.yaml');
  writeFileSync(file, `server: {listen: "127.0.0.1:0"}\nstore: {url: "sqlite:vigil.db"}\n${extra}`);
  return { dir, file };
}

describe('vigil start', () => {
  it('serves /healthz, /readyz and /metrics, and exits 0 on SIGINT and SIGTERM (only a stop within the deadline exits 0)', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const { dir, file } = config();
      const child = spawnCli(['start', '--config', file, '--data', join(dir, 'data')]);
      const started = await waitForLog(child, (l) => l.msg === 'vigil started');
      const base = String(started.address);
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe('ok\n');
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ok: true, reasons: [] });
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await metrics.text();
      expect(text).toMatch(/^# HELP vigil_http_requests_total /m);
      expect(text).toMatch(/^vigil_http_requests_total\{route="\/healthz",method="GET",status="200"\} 1$/m);
      expect(existsSync(join(dir, 'data', 'vigil.db'))).toBe(true);
      child.kill(signal);
      const [code] = (await once(child, 'exit')) as [number | null];
      // 0 only when every component stopped within the stop deadline: past it vigil exits 1.
      // (No wall-clock threshold here: on a loaded machine that measures the machine.)
      expect(code).toBe(0);
    }
  });

  it('refuses to start on a bad config, naming every problem, with exit 2', async () => {
    const { dir, file } = config('timezone: Mars/Olympus\nbogus: 1\n');
    const child = spawnCli(['start', '--config', file, '--data', join(dir, 'data')]);
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(err).toContain('vigil.yaml:3:11: timezone: is not a known IANA time zone');
    expect(err).toContain('vigil.yaml:4:1: bogus: unknown key "bogus"');
  });
});
