import vm from 'node:vm';
import { generate, generateSecret } from 'otplib';
import { describe, expect, it } from 'vitest';
import { compileScript, totpCode } from '../../probes/index.js';
import { K6CookieJar } from '../../probes/script/k6-cookies.js';
import { failedThresholds, type CheckSample } from '../../probes/script/k6-thresholds.js';
import type { HttpSample } from '../../probes/script/k6-http.js';

describe('compileScript: the subset check names file positions', () => {
  it.each([
    [
      "import ws from 'k6/ws';",
      1,
      1,
      'import of "k6/ws" is outside vigil\'s k6 subset (a k6 module vigil does not run)',
    ],
    [
      "import { x } from './lib.js';",
      1,
      1,
      'vigil runs one self-contained script file; local modules are not loaded',
    ],
    [
      "import { uuidv4 } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';",
      1,
      1,
      'remote modules are not loaded',
    ],
    [
      "import { file } from 'k6/http';",
      1,
      10,
      "k6/http file is outside vigil's k6 subset; k6/http provides get, head, post",
    ],
    ["import k6 from 'k6';", 1, 8, 'k6 has no default export in vigil; import { check, group, sleep, fail }'],
    [
      "import http from 'k6/http';\n\nhttp.asyncRequest('GET', 'x');",
      3,
      1,
      "k6/http asyncRequest is outside vigil's k6 subset",
    ],
    ["import * as enc from 'k6/encoding';\nenc.b32encode('x');", 2, 1, 'k6/encoding b32encode is outside'],
    ["const fs = require('fs');", 1, 12, 'require() is not available in a k6 script; use import'],
    ["export default async function () { await import('k6/ws'); }", 1, 42, 'dynamic import() is outside'],
    [
      "export default function () {\n  const r = {};\n  r.html('p');\n}",
      3,
      5,
      "res.html() is outside vigil's k6 subset (no HTML parsing)",
    ],
    ["export * from 'k6';", 1, 1, 're-exports from other modules are outside'],
    ['export default function () {\n  const x = ;\n}', 2, 13, 'syntax error: Unexpected token'],
  ])('%s → %i:%i %s', (source, line, col, message) => {
    const out = compileScript(source);
    expect(out.code).toBeUndefined();
    expect(out.issues).toContainEqual({ line, col, message: expect.stringContaining(message) as string });
  });

  it('reports every problem of a script at once, in line order', () => {
    const out = compileScript(
      "import ws from 'k6/ws';\nimport { Trend } from 'k6/metrics';\nimport { check, retry } from 'k6';\n",
    );
    expect(out.issues.map((i) => i.line)).toEqual([1, 2, 3]);
  });

  it('rewrites imports and exports while keeping every line where it was', () => {
    const source = [
      "import http from 'k6/http';",
      "import { check as c } from 'k6';",
      'export const options = { vus: 1 };',
      'export function setup() { return 1; }',
      'export default function main() {',
      "  throw new Error('here');",
      '}',
      'function helper() {}',
      'export { helper as util };',
    ].join('\n');
    const out = compileScript(source);
    expect(out.issues).toEqual([]);
    const exports: Record<string, unknown> = {};
    const mods: Record<string, unknown> = { 'k6/http': { default: { tag: 'http' } }, k6: { check: 'c' } };
    const fn = vm.runInNewContext(out.code!, {}, { filename: 'x.js' }) as (
      m: (s: string) => unknown,
      e: Record<string, unknown>,
    ) => Promise<void>;
    return fn((s) => mods[s], exports).then(() => {
      expect(Object.keys(exports).sort()).toEqual(['default', 'options', 'setup', 'util']);
      expect(exports.options).toEqual({ vus: 1 });
      let stack = '';
      try {
        (exports.default as () => void)();
      } catch (e) {
        stack = (e as Error).stack ?? '';
      }
      expect(stack).toContain('x.js:6:');
      expect(out.code!.split('\n')).toHaveLength(source.split('\n').length + 2);
    });
  });

  it('an anonymous default export keeps its columns (export default ↔ __k6_default =)', () => {
    const out = compileScript('export default () => 1;');
    expect(out.code).toContain('__k6_default = () => 1;');
  });
});

describe('k6 cookie jar (RFC 6265 subset)', () => {
  const at = (u: string) => new URL(u);
  it('honours domain, path, secure and Max-Age', () => {
    const jar = new K6CookieJar();
    const now = 1_000_000;
    jar.storeResponse(
      at('http://app.example/login/form'),
      ['a=1', 'b=2; Path=/; Domain=.example', 'c=3; Path=/admin', 'd=4; Secure; Path=/', 'e=5; Max-Age=0'],
      now,
    );
    // a: host-only, default path /login; b: any *.example; c: /admin only; d: https only; e: expired.
    expect(jar.cookiesForURL(at('http://app.example/login/x'), now)).toEqual({ a: ['1'], b: ['2'] });
    expect(jar.cookiesForURL(at('http://api.example/'), now)).toEqual({ b: ['2'] });
    expect(jar.cookiesForURL(at('https://app.example/admin/users'), now)).toEqual({
      c: ['3'],
      b: ['2'],
      d: ['4'],
    });
    expect(jar.cookiesForURL(at('http://app.example/administrator'), now)).toEqual({ b: ['2'] });
    expect(jar.cookiesForURL(at('http://app.example/'), now + 10)).toEqual({ b: ['2'] });
  });

  it('ignores a Set-Cookie for a domain the response did not come from', () => {
    const jar = new K6CookieJar();
    const shown = jar.storeResponse(at('http://app.example/'), ['x=1; Domain=other.test']);
    expect(shown.x?.[0]?.domain).toBe('other.test');
    expect(jar.cookiesForURL(at('http://other.test/'))).toEqual({});
  });

  it('set, delete and clear as jar.set / jar.delete / jar.clear', () => {
    const jar = new K6CookieJar();
    jar.set(at('http://a.test/x'), 'k', 'v', { path: '/x' });
    jar.set(at('http://a.test/'), 'j', 'w', {});
    expect(jar.cookiesForURL(at('http://a.test/x/y'))).toEqual({ k: ['v'], j: ['w'] });
    jar.delete(at('http://a.test/x'), 'k');
    expect(jar.cookiesForURL(at('http://a.test/x/y'))).toEqual({ j: ['w'] });
    jar.clear(at('http://a.test/'));
    expect(jar.cookiesForURL(at('http://a.test/'))).toEqual({});
  });
});

describe('thresholds (k6 syntax) over one run', () => {
  const sample = (duration: number, status: number, tags: Record<string, string> = {}): HttpSample => ({
    method: 'GET',
    url: 'http://x/',
    name: tags.name ?? 'http://x/',
    group: '',
    status,
    expected: status >= 200 && status < 400,
    phases: { resolve: 0, connect: 0, tls: 0, processing: duration, transfer: 0 },
    timings: {
      blocked: 0,
      connecting: 0,
      tls_handshaking: 0,
      sending: 0,
      waiting: duration,
      receiving: 0,
      duration,
    },
    tags,
  });
  const check = (ok: boolean): CheckSample => ({
    name: 'c',
    group: '',
    ok,
    line: '1',
    tags: {},
    afterHttp: 0,
  });
  const http = [sample(10, 200), sample(20, 200, { name: 'slow' }), sample(30, 500), sample(40, 200)];

  it.each([
    [{ checks: ['rate==1'] }, [check(true), check(false)], ['checks: rate==1 (0.5)']],
    [{ checks: ['rate>0.4'] }, [check(true), check(false)], []],
    [{ http_req_failed: ['rate<0.1'] }, [], ['http_req_failed: rate<0.1 (0.25)']],
    [{ http_req_duration: ['p(50)<26', 'max<=40', 'avg<25'] }, [], ['http_req_duration: avg<25 (25)']],
    [{ 'http_req_duration{name:slow}': ['max<20'] }, [], ['http_req_duration{name:slow}: max<20 (20)']],
    [{ 'http_req_waiting{status:500}': [{ threshold: 'med<31', abortOnFail: true }] }, [], []],
    [{ http_reqs: ['count==4'] }, [], []],
  ])('%j', (spec, checks, failed) => {
    expect(failedThresholds(spec, http, checks, 1000)).toEqual(failed);
  });

  it('a custom metric is outside the subset', () => {
    expect(() => failedThresholds({ my_trend: ['avg<1'] }, http, [], 1000)).toThrow(
      /threshold on "my_trend" is outside vigil's k6 subset/,
    );
  });
});

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 appendix B SHA-1 vectors (8 digits)', () => {
    // The RFC's secret is ASCII "12345678901234567890", base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(totpCode(secret, 8, 30, 0, 59_000)).toBe('94287082');
    expect(totpCode(secret, 8, 30, 0, 1_111_111_109_000)).toBe('07081804');
    expect(totpCode(secret, 8, 30, 0, 20_000_000_000_000)).toBe('65353130');
  });

  it('agrees with otplib for a fresh secret, and bias moves to the next window', async () => {
    const now = Date.now();
    const secret = generateSecret();
    expect(totpCode(secret, 6, 30, 0, now)).toBe(await generate({ secret, epoch: Math.floor(now / 1000) }));
    expect(totpCode(secret, 6, 30, 30, now)).toBe(totpCode(secret, 6, 30, 0, now + 30_000));
  });
});
