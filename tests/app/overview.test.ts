import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli, waitForLog } from '../helpers/cli.js';

describe('vigil start with the demo target', () => {
  it('probes the demo target, stores samples and rollups, and shows the service on the overview page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-overview-'));
    const file = join(dir, 'vigil.yaml');
    writeFileSync(
      file,
      [
        'server: {listen: "127.0.0.1:0"}',
        'demo: {listen: "127.0.0.1:0", delay_ms: 1}',
        'customers: [{id: demo, name: Demo B.V.}]',
        'sla_policies: [{id: standard, availability: 99.9%, latency: {average_ms: 50}, quorum: 1}]',
        'services:',
        '  - id: demo-web',
        '    customer: demo',
        '    sla: standard',
        '    probes:',
        // Port 0 is replaced below once the demo target listens; probe it through a file include instead.
        '      - {type: http, url: "http://127.0.0.1:PORT/", interval: 1s, timeout: 900ms}',
        '',
      ].join('\n'),
    );
    // The demo target's port must be known before the probe config: pick a free one first.
    const { createServer } = await import('node:net');
    const s = createServer().listen(0, '127.0.0.1');
    await once(s, 'listening');
    const port = (s.address() as { port: number }).port;
    s.close();
    const text = (await import('node:fs'))
      .readFileSync(file, 'utf8')
      .replace('PORT', String(port))
      .replace('"127.0.0.1:0", delay_ms', `"127.0.0.1:${port}", delay_ms`);
    writeFileSync(file, text);

    const child = spawnCli(['start', '--config', file, '--data', join(dir, 'data')]);
    try {
      const started = await waitForLog(child, (l) => l.msg === 'vigil started');
      const base = String(started.address);
      const db = join(dir, 'data', 'vigil.db');
      let rollups = 0;
      for (let i = 0; i < 100 && rollups === 0; i++) {
        await new Promise((r) => setTimeout(r, 200));
        const ro = new Database(db, { readonly: true });
        rollups = // The demo target's own rollups (vigil also probes its own backups, service vigil-backups).
          (
            ro
              .prepare(
                "select coalesce(sum(ok_count), 0) as n from probe_rollups where target_id = 'demo-web/http'",
              )
              .get() as { n: number }
          ).n;
        ro.close();
      }
      expect(rollups).toBeGreaterThan(0);
      const ro = new Database(db, { readonly: true });
      const raw = (
        ro
          .prepare("select count(*) as n from probe_results where target_id = 'demo-web/http' and ok = 1")
          .get() as { n: number }
      ).n;
      ro.close();
      expect(raw).toBeGreaterThanOrEqual(rollups);
      // The overview needs sla:read: anonymous is refused, a token with the scope is served.
      expect((await fetch(`${base}/`)).status).toBe(401);
      const created = await runCli([
        'token',
        'create',
        '--name',
        'viewer',
        '--scope',
        'sla:read',
        '--config',
        file,
        '--data',
        join(dir, 'data'),
      ]);
      expect(created.code).toBe(0);
      const token = created.stdout.trimEnd().split('\n').at(-1)!;
      const page = await fetch(`${base}/`, { headers: { authorization: `Bearer ${token}` } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const html = await page.text();
      expect(html).toContain('demo-web');
      expect(html).toMatch(/\bup\b/);
    } finally {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    }
  }, 60_000);
});
