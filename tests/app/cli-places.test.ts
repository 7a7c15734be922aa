import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, silentLogger, systemClock } from '../../core/index.js';
import { AlertRouter, alertmanagerConfigSchema } from '../../alerting/index.js';
import { runCli } from '../helpers/cli.js';

// The operator's layout: a config that names a store relative to the data directory, the data
// directory next to it, and a shell somewhere else entirely.
const home = mkdtempSync(join(tmpdir(), 'vigil-places-'));
const configFile = join(home, 'vigil.yaml');
const dataDir = join(home, 'data');
const elsewhere = join(home, 'elsewhere');
mkdirSync(elsewhere);
writeFileSync(
  configFile,
  `server: { listen: "127.0.0.1:0" }\nstore: { url: "sqlite:state/vigil.db" }\n` +
    `alerting:\n  route: { receiver: r, group_wait: 0s }\n  receivers: [{ name: r }]\n`,
);
const noEnv = { VIGIL_CONFIG: '', VIGIL_DATA: '' };
let groupId = '';

beforeAll(async () => {
  // What `vigil start` leaves behind: the store where start puts it, with a paged group.
  const store = await openStore('sqlite:state/vigil.db', { baseDir: dataDir });
  const router = await AlertRouter.create({
    config: alertmanagerConfigSchema.parse(
      parse(
        // A receiver on a closed port: the page is logged with its failed attempt.
        `route: { receiver: r, group_wait: 0s }\nreceivers: [{ name: r, webhook_configs: [{ url: "http://127.0.0.1:9/" }] }]`,
      ),
    ),
    store,
    log: silentLogger(),
    clock: systemClock,
  });
  await router.start();
  await router.ingest([
    { labels: { alertname: 'Down' }, annotations: {}, startsAt: new Date().toISOString() },
  ]);
  groupId = [...router.dispatcher.groups.values()][0]!.id;
  await router.stop(1000);
  await store.close();
});

afterAll(() => {
  // Nothing may have been created where the commands ran.
  expect(readdirSync(elsewhere)).toEqual([]);
});

describe('every command finds config, data directory and store as vigil start does', () => {
  it('alerts ack from another directory with $VIGIL_CONFIG and $VIGIL_DATA', async () => {
    const r = await runCli(['alerts', 'ack', groupId, '--by', 'dana'], {
      cwd: elsewhere,
      env: { VIGIL_CONFIG: configFile, VIGIL_DATA: dataDir },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`acknowledged ${groupId} by dana`);
    expect(existsSync(join(elsewhere, 'vigil.db'))).toBe(false);
  });

  it('alerts log --config F --data D reads the same store (its store.url under the data directory)', async () => {
    const r = await runCli(['alerts', 'log', '--config', configFile, '--data', dataDir], {
      cwd: elsewhere,
      env: noEnv,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const entries = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { groupId?: string; group_id?: string; acks?: unknown[] });
    expect(JSON.stringify(entries)).toContain(groupId);
    expect(JSON.stringify(entries)).toContain('dana');
    expect(existsSync(join(elsewhere, 'state'))).toBe(false);
  });

  it('refuses to create a stray database where there is no store, and says what to do', async () => {
    const r = await runCli(['alerts', 'log'], { cwd: elsewhere, env: noEnv });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `no vigil store at ${join(elsewhere, 'data', 'vigil.db')}; run vigil start first or pass --data`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const sla = await runCli(['analyze', 'list', '--data', join(elsewhere, 'data')], {
      cwd: elsewhere,
      env: noEnv,
    });
    expect(sla.code).toBe(2);
    expect(sla.stderr).toContain('no vigil store at');
    const run = await runCli(['analyze', 'run'], { cwd: elsewhere, env: noEnv });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`no vigil store at ${join(elsewhere, 'data', 'vigil.db')}`);
  });

  it('a named config that does not exist is an error naming it, not a silent default', async () => {
    const r = await runCli(['alerts', 'log', '--data', dataDir], {
      cwd: elsewhere,
      env: { VIGIL_CONFIG: join(home, 'missing.yaml'), VIGIL_DATA: '' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing.yaml');
  });
});
