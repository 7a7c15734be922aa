import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/index.js';
import { checkAgentServerUrl } from '../../probes/index.js';
import { issueLines, loadVigilConfig } from '../../app/load.js';
import { runCli, spawnCli, waitForLog } from '../helpers/cli.js';
import { httpsGet } from '../helpers/https.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-https-app-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeCert(name: string): { cert: string; key: string; fingerprint: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
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
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const fp = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256', '-in', cert]).toString();
  return { cert, key, fingerprint: fp.replace(/^.*Fingerprint=/i, '').trim() };
}

function configFile(name: string, server: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `server: ${server}\nstore: {url: "sqlite:vigil.db"}\n`);
  return file;
}

describe('vigil start over HTTPS', () => {
  it('makes a self-signed certificate on first start, prints its fingerprint, and serves it with HSTS', async () => {
    const file = configFile('self', '{listen: "127.0.0.1:0", tls: {self_signed: true}}');
    const data = join(dir, 'self-data');
    const child = spawnCli(['start', '--config', file, '--data', data]);
    try {
      // Both listeners from the start: the two lines may arrive in one chunk.
      const [printed, started] = await Promise.all([
        waitForLog(child, (l) => typeof l.fingerprint === 'string'),
        waitForLog(child, (l) => l.msg === 'vigil started'),
      ]);
      expect(printed).toMatchObject({ selfSigned: true, created: true });
      const base = String(started.address);
      expect(base).toMatch(/^https:\/\/127\.0\.0\.1:/);
      const r = await httpsGet(`${base}/healthz`, readFileSync(join(data, 'tls', 'self-signed.crt'), 'utf8'));
      expect(r.status).toBe(200);
      expect(r.fingerprint).toBe(printed.fingerprint);
      expect(String(r.headers['strict-transport-security'])).toMatch(/^max-age=\d+/);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }, 120_000);

  it('serves the certificate from files and picks up a renewed one on SIGHUP', async () => {
    const a = makeCert('a');
    const b = makeCert('b');
    const cert = join(dir, 'live.crt');
    const key = join(dir, 'live.key');
    writeFileSync(cert, readFileSync(a.cert));
    writeFileSync(key, readFileSync(a.key));
    const file = configFile(
      'files',
      '{listen: "127.0.0.1:0", tls: {cert_file: live.crt, key_file: live.key}}',
    );
    const child = spawnCli(['start', '--config', file, '--data', join(dir, 'files-data')]);
    try {
      const first = await waitForLog(child, (l) => l.msg === 'vigil started');
      const r1 = await httpsGet(`${String(first.address)}/healthz`, readFileSync(a.cert, 'utf8'));
      expect(r1.fingerprint).toBe(a.fingerprint);
      writeFileSync(cert, readFileSync(b.cert));
      writeFileSync(key, readFileSync(b.key));
      const again = waitForLog(child, (l) => l.msg === 'vigil started');
      child.kill('SIGHUP');
      const second = await again;
      const r2 = await httpsGet(`${String(second.address)}/healthz`, readFileSync(b.cert, 'utf8'));
      expect(r2.status).toBe(200);
      expect(r2.fingerprint).toBe(b.fingerprint);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }, 120_000);
});

describe('plain HTTP only where the network cannot reach it', () => {
  const problems = (server: string): string[] => {
    try {
      loadVigilConfig(configFile('check', server));
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return issueLines(err);
      throw err;
    }
  };

  it('refuses a non-loopback listen address without TLS, naming the keys', async () => {
    expect(problems('{listen: "0.0.0.0:8080"}')).toEqual([
      expect.stringMatching(
        /check\.yaml:1:\d+: .*server\.listen 0\.0\.0\.0:8080 is reachable from the network but server\.tls is not set.*server\.insecure_http: true/,
      ),
    ]);
    expect(problems('{listen: "[::]:8080"}')).toHaveLength(1);
    expect(problems('{listen: "192.0.2.4:8080"}')).toHaveLength(1);
    expect(problems('{listen: "0.0.0.0:8080", insecure_http: true}')).toEqual([]);
    expect(problems('{listen: "0.0.0.0:8080", tls: {self_signed: true}}')).toEqual([]);
    expect(problems('{listen: "127.0.0.1:8080"}')).toEqual([]);
    expect(problems('{listen: "[::1]:8080"}')).toEqual([]);
    expect(problems('{listen: "localhost:8080"}')).toEqual([]);
    expect(problems('{listen: "127.0.0.1:8080", tls: {cert_file: x.pem}}')).toEqual([
      expect.stringMatching(/needs cert_file and key_file, or self_signed: true/),
    ]);
    const cli = await runCli(['config', 'check', '--config', configFile('cli', '{listen: "0.0.0.0:8080"}')]);
    expect(cli.code).toBe(2);
    expect(cli.stdout).toMatch(/server\.insecure_http/);
  }, 60_000);

  it('an agent refuses an http:// server that is not loopback', async () => {
    expect(() => checkAgentServerUrl('http://192.0.2.10:8080')).toThrow(/not loopback/);
    expect(() => checkAgentServerUrl('http://vigil.example')).toThrow(/not loopback/);
    expect(() => checkAgentServerUrl('ftp://vigil.example')).toThrow(/https/);
    for (const ok of [
      'https://vigil.example',
      'http://127.0.0.1:8080',
      'http://[::1]:8080',
      'http://localhost:1',
    ])
      expect(checkAgentServerUrl(ok).href).toBeTruthy();
    const token = join(dir, 'token');
    writeFileSync(token, 'abc\n');
    const cli = await runCli([
      'agent',
      '--location',
      'fra',
      '--server',
      'http://192.0.2.10:8080',
      '--token',
      token,
      '--data',
      dir,
    ]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/plain HTTP on a host that is not loopback/);
  }, 60_000);
});
