import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/index.js';
import { loadVigilConfig } from '../../app/load.js';
import { startRuntime, type Runtime } from '../../app/runtime.js';
import { startReceiver, type Received } from '../alerting/helpers/receiver.js';
import { DAY_MS, makeCa, makeLeaf } from '../probes/helpers/certs.js';

// `vigil start`'s runtime, as the CLI starts it, with a real webhook receiver: findings of a
// scheduled analysis run, an expiring certificate and a stale backup each reach it.
const EVE = new URL(
  '../../../shared/corpus/suricata-eve/generated-suricata-7.0.10/alert-testmyids-async.eve.json',
  import.meta.url,
).pathname;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rt-alerts-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function receiver() {
  const recv = await startReceiver();
  cleanup.push(() => recv.close());
  return recv;
}

const alerting = (url: string) => `
alerting:
  route: { receiver: hook, group_by: [alertname], group_wait: 0s, group_interval: 1s, repeat_interval: 1h }
  receivers:
    - name: hook
      webhook_configs: [{ url: "${url}/hook" }]
`;

async function start(dir: string, yaml: string, clock?: { now(): number }): Promise<Runtime> {
  const file = join(dir, 'vigil.yaml');
  writeFileSync(file, `server: {listen: "127.0.0.1:0"}\nstore: {url: "sqlite:vigil.db"}\n${yaml}`);
  const rt = await startRuntime(loadVigilConfig(file), {
    dataDir: dir,
    log: silentLogger(),
    ...(clock ? { clock } : {}),
  });
  cleanup.push(() => rt.stop(5000));
  return rt;
}

type Body = {
  status: string;
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
};

/** Waits until a notification matching `pred` arrived; returns its body. */
async function waitForBody(got: Received[], pred: (b: Body) => boolean, what: string): Promise<Body> {
  for (let i = 0; i < 600; i++) {
    const hit = got.map((g) => g.body as Body).find(pred);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no notification: ${what}; got ${JSON.stringify(got.map((g) => g.body))}`);
}

const named = (name: string, status: string) => (b: Body) =>
  b.status === status && b.alerts.some((a) => a.labels.alertname === name);

describe('vigil start pages on', () => {
  it('a finding of a scheduled analysis run, with severity, customer and detector', async () => {
    const dir = tempDir();
    const recv = await receiver();
    // The clock stands 1.5 s before the 06:00 run, so the scheduler (not the test) starts it.
    const offset = Date.parse('2026-03-04T05:59:58.500Z') - Date.now();
    await start(
      dir,
      `timezone: UTC
customers: [{ id: acme, name: ACME, networks: [10.16.1.0/24] }]
analyzers:
  schedule: "0 0,6,12,18 * * *"
  suricata: { eve: ["${EVE}"] }
${alerting(recv.url)}`,
      { now: () => Date.now() + offset },
    );
    const body = await waitForBody(recv.got, named('VigilFinding', 'firing'), 'VigilFinding');
    expect(body.alerts).toHaveLength(1);
    const a = body.alerts[0]!;
    expect(a.labels).toEqual({
      alertname: 'VigilFinding',
      severity: 'medium',
      customer: 'acme',
      detector: 'signature-alerts',
      finding: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(a.annotations.summary).toBe('IDS alert: GPL ATTACK_RESPONSE id check returned root');
    expect(a.annotations.evidence).toBe(`${EVE}:1`);
  }, 90_000);

  it('an expiring certificate and a stale, thinned-out backup; each resolves once fixed', async () => {
    const dir = tempDir();
    const recv = await receiver();
    const ca = makeCa();
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, ca.cert);
    const expiring = makeLeaf(ca, { hosts: ['127.0.0.1'], to: new Date(Date.now() + 5 * DAY_MS) });
    const tls: TlsServer = createTlsServer({ cert: expiring.cert, key: expiring.key }, (s) => s.end());
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise<void>((r) => tls.close(() => r())));
    const backups = join(dir, 'backups');
    mkdirSync(backups);
    const version = (daysAgo: number) => {
      const f = join(backups, `office-${daysAgo}.tar.gz`);
      writeFileSync(f, 'x'.repeat(4096));
      const t = new Date(Date.now() - daysAgo * DAY_MS);
      utimesSync(f, t, t);
    };
    for (const d of [3, 4, 5]) version(d);
    await start(
      dir,
      `customers: [{ id: acme, name: ACME }]
probes: { threads: 0 }
services:
  - id: office
    customer: acme
    probes:
      - { type: tls, id: cert, interval: 1s, host: 127.0.0.1, port: ${(tls.address() as AddressInfo).port}, ca_file: "${caFile}", min_days_valid: 21 }
      - { type: backup, id: nightly, interval: 1s, path: "${backups}/*.tar.gz", max_age: 26h }
${alerting(recv.url)}`,
    );
    const cert = await waitForBody(recv.got, named('VigilTlsCheckFailed', 'firing'), 'TLS firing');
    expect(cert.alerts[0]!.labels).toEqual({
      alertname: 'VigilTlsCheckFailed',
      service: 'office',
      customer: 'acme',
      probe: 'cert',
      location: 'local',
      severity: 'page',
    });
    expect(cert.alerts[0]!.annotations.reason).toMatch(/expires on .* in [45]\.\d days \(minimum 21\)/);
    const backup = await waitForBody(recv.got, named('VigilBackupCheckFailed', 'firing'), 'backup firing');
    expect(backup.alerts[0]!.labels).toMatchObject({ service: 'office', customer: 'acme', probe: 'nightly' });
    // Older than max_age, and fewer than the contract's 7 daily versions (the default).
    expect(backup.alerts[0]!.annotations.reason).toMatch(/newest backup .* h old/);
    expect(backup.alerts[0]!.annotations.reason).toMatch(/only 3 daily versions .* at least 7 required/);

    // Fixed: a certificate valid for a year, and a week of nightly backups up to last night.
    const renewed = makeLeaf(ca, { hosts: ['127.0.0.1'], to: new Date(Date.now() + 365 * DAY_MS) });
    tls.setSecureContext({ cert: renewed.cert, key: renewed.key });
    for (const d of [0, 1, 2, 6]) version(d);
    await waitForBody(recv.got, named('VigilTlsCheckFailed', 'resolved'), 'TLS resolved');
    await waitForBody(recv.got, named('VigilBackupCheckFailed', 'resolved'), 'backup resolved');
    const pages = recv.got.map((g) => g.body as Body).filter((b) => b.status === 'firing');
    // One page each while failing (a sample every second re-sends, it does not re-page).
    expect(pages.map((b) => b.alerts[0]!.labels.alertname).sort()).toEqual([
      'VigilBackupCheckFailed',
      'VigilTlsCheckFailed',
    ]);
  }, 90_000);
});
