import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli, waitForLog } from '../helpers/cli.js';

const lastLine = (s: string) => s.trimEnd().split('\n').at(-1)!;

describe('vigil user / token / rbac / keys', () => {
  it('first start prints the admin one-time password once; the CLI manages users and tokens in the same store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-accounts-'));
    const file = join(dir, 'vigil.yaml');
    writeFileSync(file, 'server: {listen: "127.0.0.1:0"}\ncustomers: [{id: acme, name: ACME}]\n');
    const data = join(dir, 'data');
    const at = ['--config', file, '--data', data];

    const start = async () => {
      const child = spawnCli(['start', ...at]);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const started = await waitForLog(child, (l) => l.msg === 'vigil started');
      return { child, base: String(started.address), stderr: () => stderr };
    };
    const first = await start();
    let base = first.base;
    try {
      expect(first.stderr()).toMatch(
        /created user "admin" with the one-time password below[\s\S]*\n[a-z2-9]{5}(-[a-z2-9]{5}){3}\n/,
      );
      expect(statSync(join(data, 'keys', 'secret.key')).mode & 0o777).toBe(0o600);
      expect((await fetch(`${base}/api/v1/overview`)).status).toBe(401);

      const token = await runCli([
        'token',
        'create',
        '--name',
        'dash',
        '--scope',
        'sla:read',
        '--expires',
        '30d',
        ...at,
      ]);
      expect(token.code).toBe(0);
      const t = lastLine(token.stdout);
      expect(t).toMatch(/^vgl_/);
      const ok = await fetch(`${base}/api/v1/overview`, { headers: { authorization: `Bearer ${t}` } });
      expect(ok.status).toBe(200);
      expect(
        (await fetch(`${base}/api/v2/alerts`, { headers: { authorization: `Bearer ${t}` } })).status,
      ).not.toBe(200);

      const add = await runCli([
        'user',
        'add',
        'carla',
        '--role',
        'customer_coordinator',
        '--customer',
        'acme',
        ...at,
      ]);
      expect(add.code).toBe(0);
      const pw = lastLine(add.stdout);
      const signIn = await fetch(`${base}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'carla', password: pw }),
      });
      expect(signIn.status).toBe(200);
      expect(((await signIn.json()) as { enrol: { uri: string } }).enrol.uri).toMatch(/^otpauth:\/\/totp\//);

      expect(
        (await runCli(['user', 'add', 'xavi', '--role', 'customer_coordinator', '--customer', 'nope', ...at]))
          .code,
      ).toBe(2);
      expect((await runCli(['user', 'add', 'yves', '--role', 'no_such_role', ...at])).stderr).toMatch(
        /unknown role "no_such_role"/,
      );

      const grant = await runCli([
        'user',
        'grant',
        'admin',
        '--role',
        'auditor',
        '--reason',
        'annual audit',
        '--until',
        '2099-01-31',
        ...at,
      ]);
      expect(grant.code).toBe(0);
      const mixed = await runCli([
        'user',
        'grant',
        'carla',
        '--role',
        'ops',
        '--reason',
        'r',
        '--until',
        '2099-01-01',
        ...at,
      ]);
      expect([mixed.code, mixed.stderr]).toEqual([2, expect.stringMatching(/cannot be mixed/)]);
      const list = await runCli(['user', 'list', ...at]);
      expect(list.stdout).toMatch(/^carla \(not enrolled\)/m);
      expect(list.stdout).toMatch(/customer_coordinator@acme +since \S+ +until \S+ +by os:\S+/);
      const review = JSON.parse((await runCli(['user', 'review', '--json', ...at])).stdout) as Array<{
        name: string;
        role: string;
        until: number | null;
        lastUsed: number | null;
      }>;
      expect(review.find((r) => r.name === 'admin' && r.role === 'auditor')?.until).toBe(
        Date.parse('2099-01-31T23:59:59.999Z'),
      );
      expect(review.find((r) => r.name === 'dash')?.lastUsed).not.toBeNull();

      const tokens = await runCli(['token', 'list', ...at]);
      expect(tokens.stdout).toContain('dash  sla:read');
      expect(tokens.stdout).not.toContain(t);
      expect((await runCli(['token', 'revoke', 'dash', ...at])).code).toBe(0);
      expect(
        (await fetch(`${base}/api/v1/overview`, { headers: { authorization: `Bearer ${t}` } })).status,
      ).toBe(401);

      const reset = await runCli(['user', 'reset', 'carla', ...at]);
      expect(lastLine(reset.stdout)).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
      expect(lastLine(reset.stdout)).not.toBe(pw);
      expect((await runCli(['user', 'disable', 'carla', ...at])).code).toBe(0);
      expect((await runCli(['keys', 'rotate', ...at])).stdout).toMatch(/secret\(s\) re-encrypted/);

      const matrix = JSON.parse((await runCli(['rbac', 'matrix', '--json', ...at])).stdout) as {
        routes: Array<{ url: string; method: string; allowed: Record<string, boolean> }>;
      };
      const overview = matrix.routes.find((r) => r.url === '/api/v1/overview')!;
      expect(overview.allowed).toMatchObject({
        anonymous: false,
        admin: true,
        auditor: true,
        customer_coordinator: true,
      });
      const post = matrix.routes.find((r) => r.url === '/api/v1/session' && r.method === 'POST')!;
      expect(post.allowed.anonymous).toBe(true);
    } finally {
      first.child.kill('SIGTERM');
      await once(first.child, 'exit');
    }

    // A second start prints no password.
    const second = await start();
    base = second.base;
    second.child.kill('SIGTERM');
    await once(second.child, 'exit');
    expect(second.stderr()).not.toMatch(/one-time password/);
  }, 240_000);
});
