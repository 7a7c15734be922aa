import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/index.js';
import { loadAlertingFile } from '../../alerting/index.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'vigil-amhttp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function amtoolAccepts(file: string): Promise<boolean> {
  try {
    await run('/usr/bin/amtool', ['check-config', file], { timeout: 30_000 });
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') throw new Error('/usr/bin/amtool is missing');
    return false;
  }
}

// The http_config line is line 6 of the file: every problem must be reported on it.
const file = (httpConfig: string): string => {
  const f = join(dir, `h${n++}.yml`);
  writeFileSync(
    f,
    `route: {receiver: a}\nreceivers:\n  - name: a\n    webhook_configs:\n      - url: "http://127.0.0.1:9/"\n        http_config: {${httpConfig}}\n`,
  );
  return f;
};

describe('http_config is checked as Alertmanager 0.25 checks it (amtool check-config)', () => {
  it.each([
    ['basic_auth: {username: u, password: p}', 'ok'],
    ['authorization: {type: Bearer, credentials: x}, tls_config: {ca_file: /x, min_version: TLS12}', 'ok'],
    ["oauth2: {client_id: a, client_secret_file: /b, token_url: 'http://x/', scopes: [a]}", 'ok'],
    [
      "proxy_url: 'http://p:1/', proxy_connect_header: {a: [b]}, follow_redirects: true, enable_http2: true",
      'ok',
    ],
    ['bogus: 1', 'http_config.bogus: unknown key "bogus"'],
    ['tls_config: {ca: inline-pem}', 'http_config.tls_config.ca: unknown key "ca"'],
    ['basic_auth: {username_file: /x}', 'http_config.basic_auth.username_file: unknown key "username_file"'],
    [
      'bearer_token: a, bearer_token_file: /b',
      'at most one of bearer_token & bearer_token_file must be configured',
    ],
    [
      'basic_auth: {username: u, password: p, password_file: /x}',
      'at most one of basic_auth password & password_file must be configured',
    ],
    [
      'basic_auth: {username: u}, bearer_token: x',
      'at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured',
    ],
    [
      'authorization: {credentials: a, credentials_file: /b}',
      'at most one of authorization credentials & credentials_file must be configured',
    ],
    [
      'authorization: {type: basic, credentials: a}',
      'authorization type cannot be set to "basic", use "basic_auth" instead',
    ],
    [
      'basic_auth: {username: u}, authorization: {credentials: a}',
      'at most one of basic_auth, oauth2 & authorization must be configured',
    ],
    [
      "oauth2: {client_id: a, token_url: 'http://x/'}",
      'either oauth2 client_secret or client_secret_file must be configured',
    ],
    [
      'proxy_connect_header: {a: [b]}',
      'if proxy_connect_header is configured proxy_url must also be configured',
    ],
  ])('%s', async (httpConfig, want) => {
    const f = file(httpConfig);
    expect(await amtoolAccepts(f)).toBe(want === 'ok');
    let problems: string[] = [];
    try {
      loadAlertingFile(f);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems = err.issues.map((i) => `${i.line}: ${i.message}`);
    }
    if (want === 'ok') expect(problems).toEqual([]);
    else {
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.every((p) => p.startsWith('6: '))).toBe(true);
      expect(problems.some((p) => p.includes(want))).toBe(true);
    }
  });
});
