import { existsSync, mkdirSync } from 'node:fs';
import Fastify from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertProbeResults, openStore, type Alert, type ProbeResult, type Store } from '../../core/index.js';
import { overviewPlugin } from '../../dashboards/index.js';
import { slaPoliciesSchema, slaServicesFrom, upsertRollups } from '../../sla/index.js';

const CHROMIUM = '/usr/bin/chromium';
const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
let store: Store;
let app: ReturnType<typeof Fastify>;
let browser: Browser;
let base: string;

function results(
  target: string,
  from: number,
  to: number,
  ok: (t: number) => boolean,
  totalMs: number,
): ProbeResult[] {
  const out: ProbeResult[] = [];
  for (let t = from; t < to; t += 30_000) {
    for (const location of ['ams', 'fra', 'lon']) {
      out.push({
        targetId: target,
        location,
        startedAt: new Date(t).toISOString(),
        ok: ok(t),
        totalMs,
        loopDelayMs: 0,
        phases: { resolve: 0, connect: 0, tls: 0, processing: totalMs, transfer: 0 },
      });
    }
  }
  return out;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  store = await openStore('sqlite::memory:');
  // web: up all month, fast; api: down for the last 10 minutes and slow.
  const web = results('web/http', NOW - 6 * 3_600_000, NOW, () => true, 22);
  const api = results('api/http', NOW - 6 * 3_600_000, NOW, (t) => t < NOW - 600_000, 75);
  await insertProbeResults(store.db, [...web, ...api]);
  await upsertRollups(store.db, [...web, ...api]);
  const services = slaServicesFrom({
    sla_policies: slaPoliciesSchema.parse([
      { id: 'std', availability: '99.9%', latency: { average_ms: 50 } },
    ]),
    services: [
      { id: 'web', customer: 'acme', sla: 'std', probes: [{ id: 'http', sla: true, interval: 30_000 }] },
      { id: 'api', customer: 'globex', sla: 'std', probes: [{ id: 'http', sla: true, interval: 30_000 }] },
    ],
  });
  const open: Alert[] = [
    {
      labels: { alertname: 'SlaServiceDown', service: 'api', customer: 'globex', severity: 'page' },
      annotations: { summary: 'api is down' },
      startsAt: new Date(NOW - 600_000).toISOString(),
    },
  ];
  app = Fastify();
  await app.register(
    overviewPlugin({
      store,
      services,
      timeIntervals: [],
      clock: { now: () => NOW },
      listOpenAlerts: () => open,
    }),
  );
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await store?.close();
});

describe('overview page in a real browser', () => {
  it('shows each service state, month-to-date availability and latency against target, and open alerts', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 600 } });
    const res = await page.goto(`${base}/`);
    expect(res?.status()).toBe(200);
    const web = page.locator('tr[data-service="web"] td');
    const api = page.locator('tr[data-service="api"] td');
    expect(await web.allInnerTexts()).toEqual([
      'web',
      'acme',
      'up',
      '100.000 %',
      '99.900 %',
      '22.0 ms',
      '50 ms',
      expect.stringMatching(/%$/),
    ]);
    const apiCells = await api.allInnerTexts();
    expect(apiCells.slice(0, 3)).toEqual(['api', 'globex', 'down']);
    // 10 of the 360 minutes since the first rollup were down.
    expect(apiCells[3]).toBe(`${((350 / 360) * 100).toFixed(3)} %`);
    expect(await page.locator('tr[data-service="api"] td.bad').count()).toBe(2);
    expect(await page.locator('#alerts tbody tr td').first().innerText()).toBe('SlaServiceDown');
    mkdirSync('dist', { recursive: true });
    await page.screenshot({ path: 'dist/overview.png', fullPage: true });
    const json = await page.request.get(`${base}/api/v1/overview`);
    expect((await json.json()).services).toHaveLength(2);
  });
});
