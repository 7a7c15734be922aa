import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertProbeResults, type ProbeResult } from '../../core/index.js';
import { statusLinkSig } from '../../dashboards/ui/status-access.js';
import { monthBack } from '../../dashboards/ui/status-data.js';
import { monthRange, slaServicesFrom, upsertRollups } from '../../sla/index.js';
import {
  addUser,
  axeProblems,
  SHOTS,
  STATUS_SECRET,
  uiFixture,
  type UiFixture,
} from './helpers/ui-fixture.js';

let f: UiFixture;
const H = 3_600_000;
const sig = statusLinkSig(STATUS_SECRET, 'acme');
const BETA = /beta/i;

/** Probe results every minute from `from` to `to`, down in [downFrom, downTo). */
function samples(target: string, from: number, to: number, down: [number, number]): ProbeResult[] {
  const out: ProbeResult[] = [];
  for (let t = from; t < to; t += 60_000)
    out.push({
      targetId: target,
      location: 'local',
      startedAt: new Date(t).toISOString(),
      ok: !(t >= down[0] && t < down[1]),
      totalMs: 20,
      loopDelayMs: 0,
      phases: { resolve: 0, connect: 0, tls: 0, processing: 20, transfer: 0 },
    });
  return out;
}

beforeAll(async () => {
  f = await uiFixture();
  const now = Date.now();
  const services = slaServicesFrom(f.rt.config);
  for (const id of ['acme-web', 'beta-web']) {
    const target = services.find((s) => s.id === id)!.targetIds[0]!;
    // Last month (a figure that no longer moves with the clock) and the last hours.
    const [from] = monthRange(monthBack(now, 'Europe/Amsterdam', 1), 'Europe/Amsterdam');
    const r = [
      ...samples(target, from + 24 * H, from + 30 * H, [from + 27 * H, from + 27.5 * H]),
      ...samples(target, now - 6 * H, now - 60_000, [now - 3 * H, now - 2.5 * H]),
    ];
    await insertProbeResults(f.rt.store.db, r);
    await upsertRollups(f.rt.store.db, r);
  }
  // One announcement in time (ahead), one too late (it counts), for each customer.
  for (const [service, startIn, reason] of [
    ['acme-web', 48 * H, 'acme kernel update'],
    ['acme-web', 1 * H, 'acme urgent fix'],
    ['beta-web', 48 * H, 'beta database move'],
  ] as const) {
    const res = await fetch(`${f.base}/api/v1/planned-downtimes`, {
      method: 'POST',
      headers: { ...f.admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        service,
        start: new Date(now + startIn).toISOString(),
        end: new Date(now + startIn + H).toISOString(),
        reason,
      }),
    });
    expect(res.status).toBe(201);
  }
}, 120_000);
afterAll(async () => f?.close());

describe('customer status pages', () => {
  it('shows the signed-link holder its services, 13 months as the SLA report counts them, and its maintenance', async () => {
    const page = await (await f.browser.newContext({ viewport: { width: 1300, height: 700 } })).newPage();
    const res = await page.goto(`${f.base}/status/acme?sig=${sig}`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(await page.locator('#status-now tr[data-service]').count()).toBe(1);
    const month = monthBack(Date.now(), 'Europe/Amsterdam', 1);
    const report = (await (
      await fetch(`${f.base}/api/v1/sla/reports/acme-web/${month}`, { headers: f.admin })
    ).json()) as { availability: number };
    expect(report.availability).toBeLessThan(1);
    expect(await page.locator(`#months td[data-month="${month}"]`).innerText()).toBe(
      `${(report.availability * 100).toFixed(3)} %`,
    );
    expect(await page.locator('#months tr[data-service] td').count()).toBe(13);
    const notices = await page.locator('#maintenance tbody tr td:nth-child(5)').allInnerTexts();
    expect(notices.sort()).toEqual(['met: excluded · ahead', 'too late: counted as downtime · ahead']);
    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'status.png'), fullPage: true });
    await page.context().close();
  }, 120_000);

  it("crawling A's page, feed and badge (and every link on them) with A's link finds nothing of B", async () => {
    const seen = new Set<string>();
    const queue = [`/status/acme?sig=${sig}`];
    while (queue.length) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await fetch(`${f.base}${path}`);
      expect([path, res.status]).toEqual([path, 200]);
      const body = await res.text();
      expect(body, path).not.toMatch(BETA);
      for (const m of body.matchAll(/href="(\/status\/[^"]+)"/g)) queue.push(m[1]!.replace(/&amp;/g, '&'));
    }
    expect([...seen].some((p) => p.includes('feed.atom'))).toBe(true);
    expect([...seen].some((p) => p.includes('badge.svg'))).toBe(true);
  }, 120_000);

  it('refuses without access exactly as for an unknown customer; public pages are open; ETag answers 304', async () => {
    const notFound = await (await fetch(`${f.base}/status/nope`)).text();
    for (const path of [
      '/status/acme',
      '/status/acme?sig=wrong',
      `/status/beta?sig=${sig}`,
      '/status/beta/feed.atom',
      '/status/acme/badge.svg',
    ]) {
      const res = await fetch(`${f.base}${path}`);
      expect([path, res.status, await res.text()]).toEqual([path, 404, notFound]);
    }
    const open = await fetch(`${f.base}/status/gamma`);
    expect(open.status).toBe(200);
    const etag = open.headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    const again = await fetch(`${f.base}/status/gamma`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const badge = await fetch(`${f.base}/status/acme/badge.svg?sig=${sig}`);
    expect(badge.headers.get('content-type')).toBe('image/svg+xml');
    expect(await badge.text()).toContain('availability');
    const feed = await fetch(`${f.base}/status/acme/feed.atom?sig=${sig}`);
    expect(await feed.text()).toContain('acme kernel update');
  }, 120_000);

  it("a coordinator sees its own customer's page signed in, not another's", async () => {
    await addUser(f, 'bea', 'customer_coordinator', 'beta');
    const user = await f.auth.accounts.find('bea');
    const s = await f.auth.sessions.create(user!.id, 'full', undefined, Date.now());
    const cookie = { cookie: `vigil_session=${s.id}` };
    const own = await fetch(`${f.base}/status/beta`, { headers: cookie });
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('beta database move');
    const other = await fetch(`${f.base}/status/acme`, { headers: cookie });
    expect(other.status).toBe(404);
  }, 120_000);
});
