import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { spawnCli, waitForLog } from '../helpers/cli.js';

describe('vigil start on SIGHUP', () => {
  it('refuses an invalid config (logging every problem) and keeps serving; applies a valid one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-reload-'));
    const file = join(dir, 'vigil.yaml');
    writeFileSync(file, 'server: {listen: "127.0.0.1:0"}\ncustomers: [{id: a, name: A}]\n');
    const child = spawnCli(['start', '--config', file, '--data', join(dir, 'data')]);
    try {
      const started = await waitForLog(child, (l) => l.msg === 'vigil started');
      const base = String(started.address);

      writeFileSync(
        file,
        'server: {listen: "127.0.0.1:0"}\ncustomers: [{id: a, name: A, colour: red}]\ntimezone: Nowhere/Land\n',
      );
      const refused = waitForLog(child, (l) => String(l.msg).startsWith('reload refused'));
      child.kill('SIGHUP');
      const log = await refused;
      expect(log.problems).toEqual([
        `${file}:2:30: customers[0].colour: unknown key "colour"`,
        `${file}:3:11: timezone: is not a known IANA time zone (e.g. Europe/Amsterdam, UTC)`,
      ]);
      // The running instance is untouched: same address, still healthy.
      expect((await fetch(`${base}/healthz`)).status).toBe(200);

      writeFileSync(
        file,
        'server: {listen: "127.0.0.1:0"}\ncustomers: [{id: a, name: A}, {id: b, name: B}]\n',
      );
      const restarted = waitForLog(child, (l) => l.msg === 'vigil started');
      const reloaded = waitForLog(child, (l) => l.msg === 'config reloaded');
      child.kill('SIGHUP');
      const again = await restarted;
      await reloaded;
      expect((await fetch(`${String(again.address)}/readyz`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    }
  }, 60_000);
});
