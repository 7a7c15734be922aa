import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry, openStore, silentLogger, tlsSchema, type Store } from '../../core/index.js';
import { testAuth } from '../helpers/test-auth.js';
import type { ServerAuth } from '../../server/index.js';
import {
  createServer,
  loadTlsMaterial,
  makeSelfSignedCertificate,
  certificateFingerprint,
} from '../../server/index.js';
import { overviewPlugin } from '../../dashboards/index.js';
import { httpsGet } from '../helpers/https.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-https-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// The kernel always has accounts; these tests only call public routes.
let store: Store;
let auth: ServerAuth;
beforeAll(async () => {
  store = await openStore('sqlite::memory:');
  auth = (await testAuth(store)).auth;
});
afterAll(async () => store.close());

describe('HTTPS kernel', () => {
  it('serves a certificate made with openssl, with HSTS and a CSP without unsafe-inline', async () => {
    const cert = join(dir, 'c.pem');
    const key = join(dir, 'k.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    const opensslFp = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256', '-in', cert])
      .toString()
      .replace(/^.*Fingerprint=/i, '')
      .trim();
    const tls = loadTlsMaterial(tlsSchema.parse({ cert_file: 'c.pem', key_file: 'k.pem' }), {
      dataDir: dir,
      configDir: dir,
      hosts: [],
    });
    expect(tls.fingerprint).toBe(opensslFp);
    const app = await createServer({
      log: silentLogger(),
      metrics: createMetricsRegistry(),
      readiness: async () => ({ ok: true, reasons: [] }),
      auth,
      tls,
    });
    try {
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      expect(base).toMatch(/^https:\/\//);
      const r = await httpsGet(`${base}/healthz`, tls.cert);
      expect(r.status).toBe(200);
      expect(r.fingerprint).toBe(opensslFp);
      expect(r.headers['strict-transport-security']).toBe('max-age=15552000');
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    } finally {
      await app.close();
    }
  });

  it('plain HTTP (loopback) gets the security headers but no HSTS', async () => {
    const app = await createServer({
      log: silentLogger(),
      metrics: createMetricsRegistry(),
      readiness: async () => ({ ok: true, reasons: [] }),
      auth,
    });
    try {
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const res = await fetch(`${base}/healthz`);
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    } finally {
      await app.close();
    }
  });

  it('the overview page has no inline style: its stylesheet is served from the same origin', async () => {
    const app = await createServer({
      log: silentLogger(),
      metrics: createMetricsRegistry(),
      readiness: async () => ({ ok: true, reasons: [] }),
      auth,
      plugins: [
        overviewPlugin({
          store: undefined as never,
          services: [],
          timeIntervals: new Map() as never,
          clock: { now: () => Date.now() },
          listOpenAlerts: () => [],
        }),
      ],
    });
    try {
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const css = await fetch(`${base}/assets/overview.css`);
      expect(css.status).toBe(200);
      expect(css.headers.get('content-type')).toMatch(/^text\/css/);
      expect(await css.text()).toContain('.state.down');
    } finally {
      await app.close();
    }
  });

  it('a self-signed certificate covers the given hosts and its fingerprint is the one reported', () => {
    const pair = makeSelfSignedCertificate(['vigil.example', '127.0.0.1', '::1']);
    const out = execFileSync('openssl', ['x509', '-noout', '-text', '-fingerprint', '-sha256'], {
      input: pair.cert,
    }).toString();
    expect(out).toMatch(/DNS:vigil\.example/);
    expect(out).toMatch(/IP Address:127\.0\.0\.1/);
    expect(out).toMatch(/IP Address:0:0:0:0:0:0:0:1/);
    expect(out).toContain(`Fingerprint=${certificateFingerprint(pair.cert)}`);
  });
});
