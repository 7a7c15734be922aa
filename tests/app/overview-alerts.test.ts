import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { insertProbeResults, silentLogger, type ProbeResult } from '../../core/index.js';
import { loadVigilConfig } from '../../app/load.js';
import { startRuntime } from '../../app/runtime.js';
import { testAuth } from '../helpers/test-auth.js';
import { startReceiver } from '../alerting/helpers/receiver.js';

// `/` (the overview) and the alert router must agree: a service the overview shows "down" has
// its outage alert firing at the router, past `resolve_timeout`, and the overview lists exactly
// the alerts the router holds as firing. The runtime runs on a clock 20× faster than real time
// (samples are written as a remote agent would, every 20 ms real = 0.4 s of its time, well inside
// the 20 s staleness of a 10 s probe), so 3 minutes pass in 9 s; nothing is timed.
const SPEED = 20;
const T0 = Date.parse('2026-03-04T10:00:00Z');
const MIN = 60_000;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

type Overview = { services: { id: string; state: string }[]; alerts: { labels: Record<string, string> }[] };
type ApiAlert = { labels: Record<string, string>; endsAt: string };

it('the overview shows what the router holds: down with the outage alert firing, past resolve_timeout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-overview-alerts-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const recv = await startReceiver();
  cleanup.push(() => recv.close());
  const real0 = Date.now();
  const clock = { now: () => T0 + (Date.now() - real0) * SPEED };
  const file = join(dir, 'vigil.yaml');
  writeFileSync(
    file,
    `server: {listen: "127.0.0.1:0"}
store: {url: "sqlite:vigil.db"}
timezone: UTC
customers: [{ id: acme, name: ACME }]
locations: [{ id: remote }]
sla_policies: [{ id: std, availability: 99.9%, latency: { average_ms: 50 }, quorum: 1 }]
services:
  - id: web
    customer: acme
    sla: std
    probes: [{ type: http, url: "http://127.0.0.1:9/", interval: 10s, locations: [remote] }]
alerting:
  global: { resolve_timeout: 1m }
  route: { receiver: hook, group_by: [alertname], group_wait: 0s, group_interval: 1s, repeat_interval: 4h }
  receivers:
    - name: hook
      webhook_configs: [{ url: "${recv.url}/hook" }]
`,
  );
  const rt = await startRuntime(loadVigilConfig(file), { dataDir: dir, log: silentLogger(), clock });
  cleanup.push(() => rt.stop(5000));

  // The remote location reports the service down, sample after sample.
  let feeding = true;
  const feed = (async () => {
    while (feeding) {
      const at = clock.now();
      const r: ProbeResult = {
        targetId: 'web/http',
        location: 'remote',
        startedAt: new Date(at).toISOString(),
        ok: false,
        totalMs: 3,
        loopDelayMs: 0,
        phases: { resolve: 0, connect: 3, tls: 0, processing: 0, transfer: 0 },
        error: { kind: 'connect_refused', message: 'refused' },
      };
      await insertProbeResults(rt.store.db, [r]);
      await new Promise((res) => setTimeout(res, 20));
    }
  })();
  cleanup.push(async () => {
    feeding = false;
    await feed;
  });

  // Every route but the public ones needs a caller: a real API token on the runtime's store.
  const { headers } = await testAuth(rt.store, ['sla:read', 'alerting:read']);
  const overview = async () =>
    (await rt.server.inject({ url: '/api/v1/overview', headers })).json() as Overview;
  const routerFiring = async () => {
    const all = (await rt.server.inject({ url: '/api/v2/alerts', headers })).json() as ApiAlert[];
    return all.filter((a) => Date.parse(a.endsAt) > clock.now());
  };
  const names = (l: { labels: Record<string, string> }[]) => l.map((a) => a.labels.alertname).sort();

  let o: Overview | undefined;
  for (let i = 0; i < 300; i++) {
    o = await overview();
    if (o.services[0]?.state === 'down' && names(o.alerts).includes('SlaServiceDown')) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  expect(o?.services[0]?.state).toBe('down');
  expect(names(o!.alerts)).toContain('SlaServiceDown');

  // Three times resolve_timeout later the service is still down: still firing, at the router
  // and on the overview, and no "resolved" was sent.
  const until = clock.now() + 3 * MIN;
  while (clock.now() < until) await new Promise((res) => setTimeout(res, 100));
  o = await overview();
  const firing = await routerFiring();
  expect(o.services[0]!.state).toBe('down');
  expect(names(firing)).toContain('SlaServiceDown');
  expect(names(o.alerts)).toEqual(names(firing));
  const statuses = recv.got
    .map((g) => g.body as { status: string; groupLabels: { alertname: string } })
    .filter((b) => b.groupLabels.alertname === 'SlaServiceDown')
    .map((b) => b.status);
  expect(statuses).toEqual(['firing']);
}, 120_000);
