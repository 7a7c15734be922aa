import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSecret, verify } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backupProbe,
  backupProbeSchema,
  judgeBackups,
  multiStepProbe,
  multiStepProbeSchema,
  type ProbeTarget,
} from '../../probes/index.js';
import { httpServer, type Running } from './helpers/servers.js';

const target = (type: ProbeTarget['type']): ProbeTarget => ({
  id: `svc/${type}`,
  serviceId: 'svc',
  type,
  location: 'local',
  intervalMs: 60_000,
  timeoutMs: 5000,
});

describe('multi-step login through TOTP 2FA against a local app', () => {
  const secret = generateSecret();
  let app: Running;
  const sessions = new Set<string>();
  beforeAll(async () => {
    app = await httpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        void (async () => {
          const cookies = Object.fromEntries(
            (req.headers.cookie ?? '')
              .split(/;\s*/)
              .filter(Boolean)
              .map((c) => c.split('=') as [string, string]),
          );
          if (req.url === '/login' && req.method === 'POST') {
            const form = new URLSearchParams(body);
            if (form.get('user') !== 'probe' || form.get('password') !== 'pw')
              return res.writeHead(401).end('bad password');
            res.writeHead(200, {
              'set-cookie': 'pre=half; Path=/; HttpOnly',
              'content-type': 'application/json',
              'x-request-id': 'r-42',
            });
            return res.end(JSON.stringify({ challenge: 'c-123', next: '/2fa' }));
          }
          if (req.url === '/2fa' && req.method === 'POST') {
            const form = new URLSearchParams(body);
            const ok =
              cookies.pre === 'half' &&
              form.get('challenge') === 'c-123' &&
              (await verify({ secret, token: form.get('code') ?? '' })).valid;
            if (!ok) return res.writeHead(403).end('2fa failed');
            const sid = `s${sessions.size + 1}`;
            sessions.add(sid);
            return res
              .writeHead(303, {
                location: '/account',
                'set-cookie': [`sid=${sid}; Path=/`, 'pre=; Max-Age=0'],
              })
              .end();
          }
          if (req.url === '/account') {
            if (!sessions.has(cookies.sid ?? '')) return res.writeHead(302, { location: '/login' }).end();
            return res.writeHead(200).end(`<h1>Welcome probe</h1> request ${req.headers['x-trace'] ?? ''}`);
          }
          res.writeHead(404).end();
        })();
      });
    });
  });
  afterAll(() => app.close());

  const config = (totpSecret: string) =>
    multiStepProbeSchema.parse({
      type: 'multi_step',
      totp: { secret: totpSecret },
      variables: { user: 'probe' },
      steps: [
        {
          name: 'password',
          url: `${app.url}/login`,
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'user={{user}}&password=pw',
          capture: [
            { name: 'challenge', json: '$.challenge' },
            { name: 'rid', header: 'x-request-id' },
          ],
        },
        {
          name: 'totp',
          url: `${app.url}/2fa`,
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'challenge={{challenge}}&code={{totp}}',
          capture: [{ name: 'who', regex: 'Welcome (\\w+)' }],
        },
        {
          name: 'account',
          url: `${app.url}/account`,
          headers: { 'x-trace': '{{rid}}-{{who}}' },
          expect: { body_contains: ['request r-42-probe'] },
        },
      ],
    });

  it('logs in with password and TOTP, carrying cookies and captured values', async () => {
    const r = await multiStepProbe(config(secret)).run(target('multi_step'), AbortSignal.timeout(5000));
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.status).toBe(200);
    expect(r.phases.connect).toBeGreaterThan(0);
    const sum = Object.values(r.phases).reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - r.totalMs)).toBeLessThan(0.01);
  });

  it('fails at the TOTP step with a wrong seed and names the step', async () => {
    const r = await multiStepProbe(config(generateSecret())).run(
      target('multi_step'),
      AbortSignal.timeout(5000),
    );
    expect(r.ok).toBe(false);
    expect(r.error?.kind).toBe('http_status');
    expect(r.error?.message).toMatch(/^step 2 \(totp\): .* answered 403/);
  });
});

describe('backup probe on temp dirs', () => {
  const HOUR = 3_600_000;
  function backups(spec: { ageH: number; size: number }[]): string {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-backup-'));
    spec.forEach((b, i) => {
      const f = join(dir, `office-${i}.tar.gz`);
      writeFileSync(f, Buffer.alloc(b.size, 1));
      const t = new Date(Date.now() - b.ageH * HOUR);
      utimesSync(f, t, t);
    });
    writeFileSync(join(dir, 'notes.txt'), 'not a backup');
    return dir;
  }
  const nightly = (n: number, size = 1000) =>
    Array.from({ length: n }, (_, i) => ({ ageH: 2 + 24 * i, size }));
  const run = (dir: string, extra: Record<string, unknown> = {}) =>
    backupProbe(
      backupProbeSchema.parse({
        type: 'backup',
        path: join(dir, '*.tar.gz'),
        max_age: '26h',
        min_versions: 7,
        ...extra,
      }),
    ).run(target('backup'), AbortSignal.timeout(5000));

  it('passes seven fresh nightly versions', async () => {
    const r = await run(backups(nightly(7)));
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
  });

  it.each([
    [
      'too old',
      nightly(7).map((b) => ({ ...b, ageH: b.ageH + 48 })),
      /newest backup .*office-0\.tar\.gz is 50\.0 h old/,
    ],
    [
      'too few versions',
      nightly(3),
      /only 3 daily versions .* at least 7 required; newest is .*office-0\.tar\.gz/,
    ],
    [
      'a truncated newest backup',
      [{ ageH: 2, size: 10 }, ...nightly(7).slice(1)],
      /backup .*office-0\.tar\.gz is 10 bytes, under 50 % of the median 1000/,
    ],
    [
      'an empty backup',
      [{ ageH: 2, size: 0 }, ...nightly(7).slice(1)],
      /office-0\.tar\.gz is 0 bytes, less than the minimum of 1/,
    ],
  ])('fails on %s and names the file', async (_name, spec, message) => {
    const r = await run(backups(spec));
    expect(r.ok).toBe(false);
    expect(r.error?.kind).toBe('assertion');
    expect(r.error?.message).toMatch(message);
  });

  it('fails when nothing matches', async () => {
    const r = await run(mkdtempSync(join(tmpdir(), 'vigil-backup-empty-')));
    expect(r.error?.message).toMatch(/no backup found at .*\*\.tar\.gz/);
  });

  it('reads an HTTP manifest', async () => {
    const now = Date.now();
    const files = Array.from({ length: 7 }, (_, i) => ({
      name: `db-${i}.dump`,
      size: 5000,
      modified: new Date(now - (1 + 24 * i) * HOUR).toISOString(),
    }));
    const server = await httpServer((_q, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ files })),
    );
    try {
      const cfg = backupProbeSchema.parse({
        type: 'backup',
        manifest_url: `${server.url}/manifest.json`,
        max_age: '26h',
        min_versions: 7,
      });
      expect((await backupProbe(cfg).run(target('backup'), AbortSignal.timeout(5000))).ok).toBe(true);
      const stale = backupProbeSchema.parse({
        type: 'backup',
        manifest_url: `${server.url}/manifest.json`,
        max_age: '30m',
        min_versions: 7,
      });
      const r = await backupProbe(stale).run(target('backup'), AbortSignal.timeout(5000));
      expect(r.error?.message).toMatch(/newest backup db-0\.dump is 1\.0 h old/);
    } finally {
      await server.close();
    }
  });

  it('counts versions per day, not per file', () => {
    const cfg = backupProbeSchema.parse({ type: 'backup', path: '/x/*', max_age: '26h', min_versions: 2 });
    const now = Date.parse('2026-03-10T12:00:00Z');
    const sameDay = [
      { name: 'a', size: 10, modifiedMs: Date.parse('2026-03-10T01:00:00Z') },
      { name: 'b', size: 10, modifiedMs: Date.parse('2026-03-10T02:00:00Z') },
    ];
    expect(judgeBackups(sameDay, cfg, now, '/x/*')).toEqual([expect.stringMatching(/only 1 daily versions/)]);
    expect(
      judgeBackups(
        [...sameDay, { name: 'c', size: 10, modifiedMs: Date.parse('2026-03-09T02:00:00Z') }],
        cfg,
        now,
        '/x/*',
      ),
    ).toEqual([]);
  });
});
