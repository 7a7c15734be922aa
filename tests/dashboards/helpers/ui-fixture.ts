import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { silentLogger, systemClock } from '../../../core/index.js';
import { openAuth } from '../../../app/auth.js';
import { loadVigilConfig } from '../../../app/load.js';
import { startRuntime, type Runtime } from '../../../app/runtime.js';
import type { AuthService } from '../../../server/index.js';

export const CHROMIUM = '/usr/bin/chromium';
export const STRONG = 'correct horse battery staple 42';
/** The HMAC key of ACME's signed status link. */
export const STATUS_SECRET = 'status-link-secret-for-acme-0123456789';
export const SHOTS = join(import.meta.dirname, '..', 'screenshots');

const CONFIG = `
server: {listen: "127.0.0.1:0"}
timezone: Europe/Amsterdam
customers:
  - {id: acme, name: ACME B.V., status_page: {access: signed_link, link_secret: "${STATUS_SECRET}"}}
  - {id: beta, name: Beta Bank N.V.}
  - {id: gamma, name: Gamma GmbH, status_page: {access: public}}
sla_policies: [{id: standard, availability: 99.9%, latency: {average_ms: 50}, quorum: 1}]
services:
  - {id: acme-web, customer: acme, sla: standard, probes: [{type: http, url: "http://127.0.0.1:9/", interval: 1h}]}
  - {id: beta-web, customer: beta, sla: standard, probes: [{type: http, url: "http://127.0.0.1:9/", interval: 1h}]}
alerting:
  route: {receiver: nobody, group_by: [alertname, service], group_wait: 0s, group_interval: 1s, repeat_interval: 4h}
  receivers: [{name: nobody}]
`;

/** A fully wired vigil (as `vigil start`), its accounts, a bearer token with every permission, and Chromium. */
export interface UiFixture {
  rt: Runtime;
  auth: AuthService;
  base: string;
  admin: { authorization: string };
  browser: Browser;
  close(): Promise<void>;
}

export async function uiFixture(): Promise<UiFixture> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  mkdirSync(SHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ui-'));
  const file = join(dir, 'vigil.yaml');
  writeFileSync(file, CONFIG);
  const config = loadVigilConfig(file);
  const rt = await startRuntime(config, { dataDir: join(dir, 'data'), log: silentLogger() });
  const auth = openAuth(config, rt.store, join(dir, 'data'), systemClock).service;
  const token = await auth.tokens.create({ name: 'ui-test', scopes: ['*'], createdBy: 'test' }, Date.now());
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    rt,
    auth,
    base: rt.address,
    admin: { authorization: `Bearer ${token}` },
    browser,
    async close() {
      await browser.close();
      await rt.stop(5000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a user holding `role` (for `customerId` when the role is customer-scoped); returns the one-time password. */
export async function addUser(
  f: UiFixture,
  name: string,
  role: string,
  customerId?: string,
): Promise<string> {
  const now = Date.now();
  const { password } = await f.auth.accounts.add(
    name,
    { role, customerId, reason: 'ui test', until: now + 86_400_000, grantedBy: 'test' },
    now,
  );
  return password;
}

/** A TOTP code for `secret` at `ms` (RFC 6238). */
export const totpAt = (secret: string, ms: number) => generate({ secret, epoch: Math.floor(ms / 1000) });

/**
 * First sign-in through the pages: one-time password, enrolment (secret read off the page, code
 * from it), recovery codes, forced password change. Returns the TOTP secret.
 */
export async function firstSignIn(page: Page, base: string, name: string, oneTime: string, shots = false) {
  await page.goto(`${base}/ui/signin`);
  if (shots) await page.screenshot({ path: join(SHOTS, 'signin.png'), fullPage: true });
  await page.fill('input[name=username]', name);
  await page.fill('input[name=password]', oneTime);
  await page.click('button[type=submit]');
  await expect.poll(() => page.locator('#totp-secret').count()).toBe(1);
  expect(await page.locator('.qr svg').count()).toBe(1);
  if (shots) await page.screenshot({ path: join(SHOTS, 'enrol.png'), fullPage: true });
  const secret = (await page.locator('#totp-secret').innerText()).trim();
  await page.fill('input[name=code]', await totpAt(secret, Date.now()));
  await page.click('main button[type=submit]');
  expect(await page.locator('#recovery-codes li').count()).toBeGreaterThan(0);
  if (shots) await page.screenshot({ path: join(SHOTS, 'recovery-codes.png'), fullPage: true });
  await page.click('main a');
  expect(new URL(page.url()).pathname).toBe('/ui/password');
  if (shots) await page.screenshot({ path: join(SHOTS, 'password.png'), fullPage: true });
  await page.fill('input[name=newPassword]', STRONG);
  await page.click('main button[type=submit]');
  expect(new URL(page.url()).pathname).toBe('/ui/');
  return secret;
}

const require = createRequire(import.meta.url);
const AXE = (require('axe-core') as { source: string }).source;

/** axe-core's serious and critical violations on the page now (none expected). */
export async function axeProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const r = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run: () => Promise<unknown> } }).axe.run(),
  )) as { violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown }> }> };
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}
