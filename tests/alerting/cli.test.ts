import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { openStore, silentLogger, systemClock } from '../../core/index.js';
import { AlertRouter, alertmanagerConfigSchema, type AlertingDb } from '../../alerting/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('./helpers/alerts-cli.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vigil-alerts-cli-'));

function vigil(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'alerts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const VIGIL_CFG = join(dir, 'vigil.yaml');
writeFileSync(
  VIGIL_CFG,
  `timezone: Europe/Amsterdam
time_intervals:
  - name: saturday-maintenance
    time_intervals: [{ weekdays: [saturday], times: [{ start_time: "09:00", end_time: "17:00" }] }]
alerting:
  route:
    receiver: ops-mail
    routes:
      - matchers: [severity="page"]
        receiver: ops-pager
        mute_time_intervals: [saturday-maintenance]
        continue: true
      - matchers: ['service=~"office-.*"']
        receiver: office-team
  receivers: [{ name: ops-mail }, { name: ops-pager }, { name: office-team }]
`,
);

describe('vigil alerts route-test (amtool-compatible)', () => {
  it.each([
    [['severity=page', 'service=office-web'], 'ops-pager,office-team'],
    [['service="office-web"'], 'office-team'],
    [['service=backup'], 'ops-mail'],
  ])('%j → %s on the last line', (labels, want) => {
    const r = vigil('route-test', '--config', VIGIL_CFG, ...labels);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n').at(-1)).toBe(want);
  });

  it('--verify-receivers: exit 0 when equal, 1 when not', () => {
    expect(vigil('route-test', '--config', VIGIL_CFG, '--verify-receivers', 'ops-mail', 'a=b').code).toBe(0);
    const r = vigil('route-test', '--config', VIGIL_CFG, '--verify-receivers', 'office-team', 'a=b');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/did not match/);
  });

  it('bad input exits 2 naming file:line:col', () => {
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, 'route:\n  receiver: nope\nreceivers: [{ name: a }]\n');
    const r = vigil('route-test', '--config', bad, 'a=b');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`${bad}:2:13: .*undefined receiver "nope"`));
    expect(vigil('route-test', '--config', VIGIL_CFG, 'a=~b').code).toBe(2);
  });
});

describe('vigil alerts ack / log', () => {
  it('acknowledges a group from another process; the router applies it', async () => {
    const url = `sqlite:${join(dir, 'ack.db')}`;
    const store = await openStore(url);
    const config = alertmanagerConfigSchema.parse(
      parse(`route: { receiver: r, group_wait: 0s }\nreceivers: [{ name: r }]`),
    );
    const router = await AlertRouter.create({
      config,
      store,
      log: silentLogger(),
      clock: systemClock,
      ackPollMs: 50,
    });
    await router.start();
    try {
      await router.ingest([
        { labels: { alertname: 'Down' }, annotations: {}, startsAt: new Date().toISOString() },
      ]);
      const group = [...router.dispatcher.groups.values()][0]!;
      expect(group.pagedAt).toBeDefined();
      const r = vigil('ack', group.id, '--by', 'dana', '--store', url);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`acknowledged ${group.id} by dana`);
      await router.tick();
      expect(group.ackedBy).toBe('dana');
      const rows = await (store.db as AlertingDb).selectFrom('alerting_acks').selectAll().execute();
      expect(rows.map((x) => [x.acked_by, x.via])).toEqual([['dana', 'cli']]);
      expect(vigil('ack', 'no-such-id', '--by', 'dana', '--store', url).code).toBe(2);
    } finally {
      await router.stop(1000);
      await store.close();
    }
  });
});
