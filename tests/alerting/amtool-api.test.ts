import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, silentLogger, systemClock, type Store } from '../../core/index.js';
import {
  AlertRouter,
  alertingHttp,
  alertmanagerConfigSchema,
  alertmanagerStatusHttp,
  type AlertingDb,
} from '../../alerting/index.js';

const run = promisify(execFile);
let app: FastifyInstance;
let store: Store;
let router: AlertRouter;
let base: string;
const dir = mkdtempSync(join(tmpdir(), 'vigil-amtool-api-'));

beforeAll(async () => {
  store = await openStore('sqlite::memory:');
  const config = alertmanagerConfigSchema.parse(
    parse(`
global: { resolve_timeout: 5m, slack_api_url: https://hooks.example/T/B/secret }
route: { receiver: ops, group_by: [alertname], group_wait: 0s, group_interval: 1h, repeat_interval: 4h }
receivers: [{ name: ops }, { name: other }]`),
  );
  router = await AlertRouter.create({ config, store, log: silentLogger(), clock: systemClock });
  await router.start();
  app = Fastify();
  await app.register(alertingHttp({ router, db: store.db as AlertingDb }));
  await app.register(alertmanagerStatusHttp({ router, config, startedAt: new Date(), version: '0.1.0' }));
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await router.stop(1000);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real amtool (Debian's, Alertmanager 0.25) against vigil. */
async function amtool(...args: string[]): Promise<string> {
  const { stdout } = await run('/usr/bin/amtool', [`--alertmanager.url=${base}`, ...args], {
    timeout: 30_000,
  });
  return stdout;
}
type JsonAlert = { labels: Record<string, string>; status: { state: string; silencedBy: string[] } };

describe('amtool against vigil (Alertmanager API v2)', () => {
  it('alert add, alert query, silence add/query/expire, config show, cluster show', async () => {
    await amtool('alert', 'add', 'SiteDown', 'job=web', '--annotation=summary=web down');
    // amtool sends Go's zero time for the unset end: the alert must be active, not resolved.
    const active = JSON.parse(await amtool('alert', 'query', '-o', 'json')) as JsonAlert[];
    expect(active.map((a) => a.labels)).toEqual([{ alertname: 'SiteDown', job: 'web' }]);
    expect(active[0]!.status.state).toBe('active');

    const id = (
      await amtool('silence', 'add', 'alertname=SiteDown', '-c', 'maintenance', '-a', 'ann', '-d', '1h')
    ).trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await amtool('silence', 'query', '-q')).trim()).toBe(id);
    expect(JSON.parse(await amtool('alert', 'query', '-o', 'json'))).toEqual([]); // silenced now
    const silenced = JSON.parse(await amtool('alert', 'query', '-s', '-o', 'json')) as JsonAlert[];
    expect(silenced[0]!.status).toMatchObject({ state: 'suppressed', silencedBy: [id] });

    const exported = join(dir, 'silences.json');
    writeFileSync(exported, await amtool('silence', 'query', '-o', 'json'));
    await amtool('silence', 'expire', id);
    expect((await amtool('silence', 'query', '-q')).trim()).toBe('');
    expect((await amtool('silence', 'query', '--expired', '-q')).trim()).toBe(id);

    // silence import posts the exported silences again (without their ids): a new active one.
    await amtool('silence', 'import', exported);
    const imported = JSON.parse(await amtool('silence', 'query', '-o', 'json')) as {
      id: string;
      comment: string;
    }[];
    expect(imported).toHaveLength(1);
    expect(imported[0]!.id).not.toBe(id);
    expect(imported[0]!.comment).toBe('maintenance');

    const shown = await amtool('config', 'show');
    expect(shown).toContain('receiver: ops');
    expect(shown).toContain('group_interval: 1h');
    expect(shown).toContain('slack_api_url: <secret>');
    expect(shown).not.toContain('hooks.example');
    expect(await amtool('cluster', 'show')).toMatch(/Status:\s+disabled/);
  });

  it('GET /api/v2/receivers and /api/v2/alerts/groups', async () => {
    await fetch(`${base}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ labels: { alertname: 'DiskFull', job: 'db' } }]),
    });
    expect(await (await fetch(`${base}/api/v2/receivers`)).json()).toEqual([
      { name: 'ops' },
      { name: 'other' },
    ]);
    await router.tick();
    const groups = (await (
      await fetch(`${base}/api/v2/alerts/groups?filter=alertname%3D%22DiskFull%22`)
    ).json()) as {
      labels: Record<string, string>;
      receiver: { name: string };
      alerts: JsonAlert[];
    }[];
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ labels: { alertname: 'DiskFull' }, receiver: { name: 'ops' } });
    expect(groups[0]!.alerts.map((a) => a.labels.job)).toEqual(['db']);
  });
});
