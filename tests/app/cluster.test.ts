import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli, waitForLog } from '../helpers/cli.js';
import { getPgCluster } from '../helpers/pg-database.js';
import { createDatabase } from '../helpers/postgres.js';
import type { ClusterStatus } from '../../app/commands/cluster.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-cluster-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('two vigil instances on one PostgreSQL', () => {
  it('elect one leader, report it in cluster status and metrics, and hand over on a clean stop', async () => {
    const url = await createDatabase(await getPgCluster());
    const file = join(dir, 'vigil.yaml');
    writeFileSync(file, `server: {listen: "127.0.0.1:0"}\nstore: {url: "${url}"}\n`);
    const start = async (name: string) => {
      const child = spawnCli(['start', '--config', file, '--data', join(dir, name)]);
      children.push(child);
      const base = String((await waitForLog(child, (l) => l.msg === 'vigil started', 90_000)).address);
      return { child, base, pid: child.pid! };
    };
    // One after the other: the first start creates the administrator.
    const a = await start('a');
    const b = await start('b');
    for (const x of [a, b]) expect((await fetch(`${x.base}/readyz`)).status).toBe(200);
    const status = async (): Promise<ClusterStatus> => {
      const r = await runCli(['cluster', 'status', '--json', '--store', url, '--data', join(dir, 'a')]);
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as ClusterStatus;
    };
    const s1 = await status();
    expect(s1.engine).toBe('postgres');
    expect(s1.instances).toHaveLength(2);
    expect(s1.instances.filter((i) => i.leader)).toHaveLength(1);
    expect(new Set(s1.instances.map((i) => i.configHash)).size).toBe(1);
    expect(s1.epoch).toBe(1);
    const [leader, follower] = s1.leader!.includes(`:${a.pid}:`) ? [a, b] : [b, a];
    const gauge = async (base: string) =>
      /^vigil_cluster_leader (\d)$/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1];
    expect(await gauge(leader.base)).toBe('1');
    expect(await gauge(follower.base)).toBe('0');

    leader.child.kill('SIGTERM');
    expect((await once(leader.child, 'exit'))[0]).toBe(0);
    // The stopped leader released its lease: the follower takes it at its next round (epoch 2).
    let s2 = await status();
    while (!s2.leader?.includes(`:${follower.pid}:`)) {
      await new Promise((r) => setTimeout(r, 500));
      s2 = await status();
    }
    expect(s2.epoch).toBe(2);
    expect(await gauge(follower.base)).toBe('1');
    follower.child.kill('SIGTERM');
    expect((await once(follower.child, 'exit'))[0]).toBe(0);
  }, 300_000);
});
