import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore, queryProbeResults } from '../../core/index.js';
import { spawnCli, waitForLog } from '../helpers/cli.js';

/** A config with many fast probes against a local server, so vigil writes all the time. */
function busyConfig(dir: string, port: number): string {
  const probes = Array.from(
    { length: 40 },
    (_, i) =>
      `      - {type: http, id: p${i}, url: "http://127.0.0.1:${port}/${i}", interval: 1s, timeout: 900ms}`,
  );
  const file = join(dir, 'vigil.yaml');
  writeFileSync(
    file,
    [
      'server: {listen: "127.0.0.1:0"}',
      'store: {url: "sqlite:vigil.db"}',
      'customers: [{id: c, name: C}]',
      'services:',
      '  - id: busy',
      '    customer: c',
      '    probes:',
      ...probes,
      '',
    ].join('\n'),
  );
  return file;
}

describe('vigil start killed with SIGKILL during writes', () => {
  it('leaves a store that opens, passes the integrity check, migrates cleanly and keeps what was committed', async () => {
    const target = createServer((_req, res) => res.end('ok'));
    target.listen(0, '127.0.0.1');
    await once(target, 'listening');
    const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
    const file = busyConfig(dir, (target.address() as AddressInfo).port);
    const data = join(dir, 'data');
    try {
      for (let round = 0; round < 2; round++) {
        const child = spawnCli(['start', '--config', file, '--data', data]);
        await waitForLog(child, (l) => l.msg === 'vigil started');
        // Let it write for a few probe rounds, then kill it without warning.
        const db = join(data, 'vigil.db');
        let rows = 0;
        for (let i = 0; i < 100 && rows < 120 * (round + 1); i++) {
          await new Promise((r) => setTimeout(r, 100));
          const ro = new Database(db, { readonly: true, fileMustExist: true });
          // This test's own targets only (vigil also probes its own backups, service vigil-backups).
          rows = (
            ro.prepare("select count(*) as n from probe_results where target_id like 'busy/%'").get() as {
              n: number;
            }
          ).n;
          ro.close();
        }
        expect(rows).toBeGreaterThanOrEqual(120 * (round + 1));
        child.kill('SIGKILL');
        await once(child, 'exit');

        const check = new Database(db);
        expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
        check.close();
        const store = await openStore(`sqlite:${db}`);
        const results = await queryProbeResults(store.db, {
          targetIds: Array.from({ length: 40 }, (_, i) => `busy/p${i}`),
          fromMs: 0,
          toMs: Date.now() + 1000,
        });
        // Everything that was committed before the kill is still there and whole.
        expect(results.length).toBeGreaterThanOrEqual(rows);
        expect(results.every((r) => r.ok && r.status === 200 && r.totalMs > 0)).toBe(true);
        await store.close();
      }
    } finally {
      target.close();
    }
  }, 60_000);
});
