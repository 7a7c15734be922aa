import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Kysely } from 'kysely';
import {
  createRun,
  finishRun,
  getRun,
  listFindings,
  upsertFindings,
  type AnalysisDb,
} from '../../core/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  axeProblems,
  firstSignIn,
  SHOTS,
  STRONG,
  totpAt,
  uiFixture,
  type UiFixture,
} from './helpers/ui-fixture.js';

let f: UiFixture;
const seeded = { badRun: '', finding: '' };

/** Five zeek runs in the last 24 h (cadence met), the newest with bad records, one scan run; two findings. */
async function seedRuns(db: Kysely<AnalysisDb>) {
  const now = Date.now();
  for (let i = 0; i < 5; i++) {
    const at = new Date(now - (5 - i) * 4 * 3_600_000 + 60_000);
    const r = await createRun(db, { analyzer: 'zeek', scheduledFor: at, startedAt: at });
    await finishRun(db, r.id, {
      status: i === 4 ? 'partial' : 'ok',
      inputs: [
        {
          path: '/var/log/zeek/conn.log',
          sha256: 'ab'.repeat(32),
          fromOffset: 0,
          toOffset: 100,
          records: 10,
          badRecords: i === 4 ? 3 : 0,
        },
      ],
    });
    if (i === 4) seeded.badRun = r.id;
  }
  const s = await createRun(db, {
    analyzer: 'nightly-scan',
    scheduledFor: new Date(now - 3_600_000),
    startedAt: new Date(now - 3_600_000),
  });
  await finishRun(db, s.id, { status: 'ok', inputs: [] });
  const t = new Date(now - 60_000).toISOString();
  await upsertFindings(db, seeded.badRun, [
    {
      detector: 'port-scan',
      key: 'k1',
      severity: 'high',
      title: 'Port scan from 203.0.113.9',
      src: '203.0.113.9',
      firstSeen: t,
      lastSeen: t,
      count: 1,
      evidence: [],
    },
    {
      detector: 'dns-tunnel',
      key: 'k2',
      severity: 'medium',
      title: 'Long DNS names',
      firstSeen: t,
      lastSeen: t,
      count: 2,
      evidence: [],
    },
  ]);
  seeded.finding = (await listFindings(db, { detector: 'port-scan' }))[0]!.id;
}

beforeAll(async () => {
  f = await uiFixture();
  await seedRuns(f.rt.store.db as unknown as Kysely<AnalysisDb>);
  // One open alert at the real router, posted as Alertmanager clients do.
  const res = await fetch(`${f.base}/api/v2/alerts`, {
    method: 'POST',
    headers: { ...f.admin, 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        labels: { alertname: 'UiTestAlert', service: 'acme-web', severity: 'page' },
        annotations: { summary: 'down' },
      },
    ]),
  });
  expect(res.status).toBe(200);
}, 120_000);
afterAll(async () => f?.close());

const api = async (path: string) => {
  const r = await fetch(`${f.base}${path}`, { headers: f.admin });
  expect(r.status).toBe(200);
  return r.json() as Promise<unknown>;
};
const texts = (page: Page, sel: string) => page.locator(sel).allInnerTexts();

/** Every page loads with our CSP, without inline style or script, and axe finds nothing serious. */
async function checkPage(page: Page, name: string) {
  const res = await page.reload();
  expect(res?.headers()['content-security-policy']).toContain("default-src 'none'");
  expect(res?.headers()['content-security-policy']).not.toContain('unsafe-inline');
  const body = await res!.text();
  expect(body).not.toMatch(/<script|<style|\sstyle=/i);
  expect(await axeProblems(page)).toEqual([]);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

describe('web pages in Chromium, per role', () => {
  it('ops: first sign-in with enrolment and password change, then services and alerts; acknowledges and silences through the router', async () => {
    const ctx = await f.browser.newContext({ viewport: { width: 1200, height: 700 }, locale: 'en-GB' });
    const page = await ctx.newPage();
    const secret = await firstSignIn(page, f.base, 'olga', await addUser(f, 'olga', 'ops'), true);
    expect(await texts(page, 'header nav a')).toEqual([
      'Home',
      'Services',
      'Alerts',
      'Planned downtime',
      'Runs',
    ]);
    expect(await page.locator('.who').innerText()).toContain('olga');
    expect(await page.locator('.who').innerText()).toContain('Session ends at');
    await checkPage(page, 'home-ops');

    await page.click('header nav a[href="/ui/services"]');
    expect(await texts(page, 'tr[data-service="acme-web"] td')).toEqual(
      expect.arrayContaining(['acme-web', 'ACME B.V.']),
    );
    expect(await page.locator('tr[data-service]').count()).toBe(2);
    await checkPage(page, 'services');
    await page.fill('input[name=q]', 'beta');
    await page.click('form.filters button');
    expect(await page.locator('tr[data-service]').count()).toBe(1);
    expect(await page.locator('tr[data-service="beta-web"]').count()).toBe(1);

    await page.click('header nav a[href="/ui/alerts"]');
    await page.fill('input[name=q]', 'UiTestAlert');
    await page.click('form.filters button');
    await expect.poll(() => page.reload().then(() => page.locator('tr[data-group]').count())).toBe(1);
    await checkPage(page, 'alerts-ops');
    await page.click('tr[data-group] button');
    expect(new URL(page.url()).pathname).toBe('/ui/alerts');
    const groups = (await api('/api/v1/alert-groups')) as Array<{
      labels: Record<string, string>;
      acknowledgedBy: string | null;
    }>;
    expect(groups.filter((g) => g.labels.alertname === 'UiTestAlert').map((g) => g.acknowledgedBy)).toEqual([
      'olga',
    ]);
    await page.goto(`${f.base}/ui/alerts?q=UiTestAlert`);
    expect(await page.locator('tr[data-group] td').last().innerText()).toContain('olga');

    await page.fill('#new-silence input[name=matchers]', 'service=acme-web');
    await page.fill('#new-silence input[name=comment]', 'deploying <b>v2</b>');
    await page.click('#new-silence button');
    type Sil = {
      id: string;
      status: { state: string };
      createdBy: string;
      comment: string;
      matchers: unknown[];
    };
    const made = ((await api('/api/v2/silences')) as Sil[]).filter((s) => s.status.state === 'active');
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({
      createdBy: 'olga',
      comment: 'deploying <b>v2</b>',
      matchers: [{ name: 'service', value: 'acme-web', isRegex: false, isEqual: true }],
    });
    // Shown as text, never as markup.
    expect(await page.locator(`tr[data-silence="${made[0]!.id}"] td`).nth(4).innerText()).toBe(
      'deploying <b>v2</b>',
    );
    expect(await page.locator('tr[data-silence] b').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'alerts-silenced.png'), fullPage: true });
    await page.click(`tr[data-silence="${made[0]!.id}"] button`);
    const after = (await api('/api/v2/silences')) as Sil[];
    expect(after.find((s) => s.id === made[0]!.id)?.status.state).toBe('expired');
    expect(await page.locator('tr[data-silence]').count()).toBe(0);

    // Sign out, then in again with password and a TOTP code of the next time step.
    await page.click('.who button');
    expect(new URL(page.url()).pathname).toBe('/ui/signin');
    await page.goto(`${f.base}/ui/alerts`);
    expect(new URL(page.url()).pathname).toBe('/ui/signin');
    await page.fill('input[name=username]', 'olga');
    await page.fill('input[name=password]', STRONG);
    await page.fill('input[name=totp]', '000000');
    await page.click('main button[type=submit]');
    expect(await page.locator('.error').innerText()).toBe('Invalid credentials.');
    await checkPage(page, 'signin-error');
    await page.fill('input[name=username]', 'olga');
    await page.fill('input[name=password]', STRONG);
    await page.fill('input[name=totp]', await totpAt(secret, Date.now() + 30_000));
    await page.click('main button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/ui/');
    await ctx.close();
  }, 120_000);

  it('ops: announces planned downtime (notice met or not) and opens a service page with its month report', async () => {
    const ctx = await f.browser.newContext({ viewport: { width: 1200, height: 700 } });
    const page = await ctx.newPage();
    await firstSignIn(page, f.base, 'otto', await addUser(f, 'otto', 'ops'));
    await page.goto(`${f.base}/ui/downtime`);
    const H = 3_600_000;
    for (const [service, startIn, reason] of [
      ['acme-web', 48 * H, 'kernel update'],
      ['beta-web', 1 * H, 'urgent fix'],
    ] as const) {
      await page.selectOption('#announce select[name=service]', service);
      await page.fill('#announce input[name=start]', new Date(Date.now() + startIn).toISOString());
      await page.fill('#announce input[name=end]', new Date(Date.now() + startIn + H).toISOString());
      await page.fill('#announce input[name=reason]', reason);
      await page.click('#announce button');
      expect(new URL(page.url()).pathname).toBe('/ui/downtime');
    }
    const stored = (
      (await api('/api/v1/planned-downtimes')) as {
        plannedDowntimes: Array<{ id: string; serviceId: string }>;
      }
    ).plannedDowntimes;
    expect(stored.map((d) => d.serviceId).sort()).toEqual(['acme-web', 'beta-web']);
    const noticeOf = (svc: string) =>
      page
        .locator(`tr[data-downtime="${stored.find((d) => d.serviceId === svc)!.id}"] td`)
        .nth(4)
        .innerText();
    expect(await noticeOf('acme-web')).toBe('met: excluded');
    expect(await noticeOf('beta-web')).toBe('too late: counted as downtime');
    await checkPage(page, 'downtime-ops');
    // A refused announcement shows the API's reason.
    await page.fill('#announce input[name=start]', 'tomorrow');
    await page.fill('#announce input[name=end]', 'later');
    await page.fill('#announce input[name=reason]', 'x');
    await page.click('#announce button');
    expect(await page.locator('.error').innerText()).toContain('RFC 3339');

    await page.goto(`${f.base}/ui/services`);
    await page.click('tr[data-service="acme-web"] a');
    expect(new URL(page.url()).pathname).toBe('/ui/services/acme-web');
    const month = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Amsterdam',
      year: 'numeric',
      month: '2-digit',
    })
      .format(Date.now())
      .slice(0, 7);
    const report = (await api(`/api/v1/sla/reports/acme-web/${month}`)) as {
      availability: number | null;
      daily: unknown[];
    };
    const shown = await page.locator('#headline td').first().innerText();
    expect(shown).toBe(report.availability === null ? '–' : `${(report.availability * 100).toFixed(3)} %`);
    expect(await page.locator('#daily tbody tr').count()).toBe(report.daily.length);
    await checkPage(page, 'service');
    for (const [fmt, type] of [
      ['csv', 'text/csv'],
      ['html', 'text/html'],
      ['pdf', 'application/pdf'],
    ] as const) {
      const href = await page.locator(`a[href$="format=${fmt}"]`).getAttribute('href');
      const res = await page.request.get(`${f.base}${href}`);
      expect([fmt, res.status(), res.headers()['content-type']?.split(';')[0]]).toEqual([fmt, 200, type]);
    }
    await ctx.close();
  }, 120_000);

  it('security officer: runs with cadence and bad records, signs off a run, triages findings', async () => {
    const ctx = await f.browser.newContext({ viewport: { width: 1200, height: 700 } });
    const page = await ctx.newPage();
    await firstSignIn(page, f.base, 'sofia', await addUser(f, 'sofia', 'security_officer'));
    expect(await texts(page, 'header nav a')).toEqual([
      'Home',
      'Services',
      'Alerts',
      'Planned downtime',
      'Runs',
      'Findings',
      'Audit log',
    ]);
    await page.click('header nav a[href="/ui/runs"]');
    expect(await texts(page, '#cadence tbody tr td')).toEqual([
      'nightly-scan',
      '1',
      'not met',
      'zeek',
      '5',
      'met',
    ]);
    const bad = page.locator(`tr[data-run="${seeded.badRun}"] td`);
    expect(await bad.nth(5).innerText()).toBe('3');
    await checkPage(page, 'runs');
    await page.click(`tr[data-run="${seeded.badRun}"] a`);
    await page.fill('#review input[name=note]', 'bad records were a rotated file');
    await page.click('#review button');
    expect(new URL(page.url()).pathname).toBe(`/ui/runs/${seeded.badRun}`);
    const run = await getRun(f.rt.store.db as unknown as Kysely<AnalysisDb>, seeded.badRun);
    expect([run?.reviewedBy, run?.reviewNote]).toEqual(['sofia', 'bad records were a rotated file']);
    expect(await page.locator('#reviews li').count()).toBe(1);
    await checkPage(page, 'run');

    await page.click('header nav a[href="/ui/findings"]');
    expect(await page.locator('tr[data-finding]').count()).toBe(2);
    await checkPage(page, 'findings');
    const row = page.locator(`tr[data-finding="${seeded.finding}"]`);
    await row.locator('select').selectOption('false_positive');
    await row.locator('button').click();
    const [fnd] = (await listFindings(f.rt.store.db as unknown as Kysely<AnalysisDb>, {})).filter(
      (x) => x.id === seeded.finding,
    );
    expect(fnd?.status).toBe('false_positive');
    await page.goto(`${f.base}/ui/findings?status=false_positive`);
    expect(await page.locator('tr[data-finding]').count()).toBe(1);
    await ctx.close();
  }, 120_000);

  it('auditor: reads services and alerts but sees no acknowledge, silence or expire', async () => {
    const ctx = await f.browser.newContext({ viewport: { width: 1200, height: 700 }, locale: 'nl-NL' });
    const page = await ctx.newPage();
    await firstSignIn(page, f.base, 'aud', await addUser(f, 'aud', 'auditor'));
    // Accept-Language nl: Dutch pages.
    expect(await texts(page, 'header nav a')).toEqual([
      'Start',
      'Diensten',
      'Meldingen',
      'Gepland onderhoud',
      'Runs',
      'Bevindingen',
      'Auditlog',
    ]);
    await page.goto(`${f.base}/ui/alerts?q=UiTestAlert`);
    expect(await page.locator('tr[data-group]').count()).toBe(1);
    expect(await page.locator('main button, #new-silence').allInnerTexts()).toEqual(['Filter']);
    await checkPage(page, 'alerts-auditor');
    // Posting anyway is refused by the route (the page only hides what the role may not do).
    const id = await page.locator('tr[data-group]').getAttribute('data-group');
    const res = await page.request.post(`${f.base}/ui/alerts/${id}/ack`, { form: { _csrf: 'x' } });
    expect(res.status()).toBe(403);
    // The language switch sets a cookie that wins over Accept-Language.
    await page.click('header a.lang');
    expect(await texts(page, 'header nav a')).toEqual([
      'Home',
      'Services',
      'Alerts',
      'Planned downtime',
      'Runs',
      'Findings',
      'Audit log',
    ]);
    // The audit log: the sign-ins of this test are in it, and the chain verifies.
    await page.goto(`${f.base}/ui/audit`);
    await expect
      .poll(() => page.reload().then(() => page.locator('#audit tr[data-seq]').count()))
      .toBeGreaterThan(0);
    expect(await page.locator('#verify').innerText()).toMatch(/^Verified: \d+ entries/);
    expect(await page.locator('#audit').innerText()).toContain('aud');
    await checkPage(page, 'audit');
    await page.goto(`${f.base}/ui/runs`);
    expect(await page.locator('tr[data-run]').count()).toBe(6);
    await page.click(`tr[data-run="${seeded.badRun}"] a`);
    expect(await page.locator('#inputs tbody tr').count()).toBe(1);
    expect(await page.locator('#review').count()).toBe(0);
    await checkPage(page, 'run-auditor');
    await page.goto(`${f.base}/ui/findings`);
    expect(await page.locator('tr[data-finding]').count()).toBe(2);
    expect(await page.locator('tr[data-finding] select, tr[data-finding] button').count()).toBe(0);
    await checkPage(page, 'findings-auditor');
    await page.goto(`${f.base}/ui/downtime`);
    expect(await page.locator('#announce').count()).toBe(0);
    expect(await page.locator('tr[data-downtime]').count()).toBeGreaterThan(0);
    await checkPage(page, 'downtime-auditor');
    await ctx.close();
  }, 120_000);

  it('customer coordinator: only its own services, no alerts page', async () => {
    const ctx = await f.browser.newContext({ viewport: { width: 1200, height: 700 } });
    const page = await ctx.newPage();
    await firstSignIn(page, f.base, 'cora', await addUser(f, 'cora', 'customer_coordinator', 'acme'));
    expect(await texts(page, 'header nav a')).toEqual(['Home', 'Services', 'Planned downtime']);
    await page.goto(`${f.base}/ui/downtime`);
    expect(await page.locator('tr[data-downtime]').count()).toBe(1);
    expect(await page.locator('#announce').count()).toBe(0);
    expect(await page.content()).not.toMatch(/beta/i);
    await page.goto(`${f.base}/ui/services`);
    expect(await page.locator('tr[data-service]').count()).toBe(1);
    expect(await page.content()).not.toMatch(/beta/i);
    await checkPage(page, 'services-customer');
    const res = await page.goto(`${f.base}/ui/alerts`);
    expect(res?.status()).toBe(403);
    await ctx.close();
  }, 120_000);

  it('a form post without the session CSRF token is refused, and a wrong one too', async () => {
    const ctx = await f.browser.newContext();
    const page = await ctx.newPage();
    await firstSignIn(page, f.base, 'oscar', await addUser(f, 'oscar', 'ops'));
    const before = ((await api('/api/v2/silences')) as unknown[]).length;
    const forms: Array<Record<string, string>> = [
      { matchers: 'service=x', hours: '1', comment: 'c' },
      { matchers: 'service=x', hours: '1', comment: 'c', _csrf: 'wrong' },
    ];
    for (const form of forms) {
      const res = await page.request.post(`${f.base}/ui/silences`, { form });
      expect(res.status()).toBe(403);
    }
    expect(((await api('/api/v2/silences')) as unknown[]).length).toBe(before);
    await ctx.close();
  }, 120_000);
});
