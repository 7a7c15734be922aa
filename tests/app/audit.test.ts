import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { userInfo } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli, waitForLog } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-audit-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'vigil.yaml');
const data = join(dir, 'data');
writeFileSync(file, `server: {listen: "127.0.0.1:0"}\nstore: {url: "sqlite:vigil.db"}\n`);
const storeArgs = ['--config', file, '--data', data];

interface Row {
  seq: number;
  actor_kind: string;
  actor_name: string;
  source: string;
  action: string;
  object: string;
  result: string;
}
const rows = (db = join(data, 'vigil.db')): Row[] => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Row[];
  } finally {
    d.close();
  }
};

/** Copies the store (with its WAL folded in) so each tampering starts from the real log. */
function copyStore(name: string): string {
  const target = join(dir, `${name}.db`);
  const src = new Database(join(data, 'vigil.db'));
  src.exec(`VACUUM INTO '${target}'`);
  src.close();
  return target;
}

function tamper(db: string, statement: string): void {
  const d = new Database(db);
  for (const t of d.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
    name: string;
  }[])
    d.exec(`DROP TRIGGER "${t.name}"`);
  d.exec(statement);
  d.close();
}

describe('the audit log of a real run', () => {
  it('records every request and CLI action, verifies, and exports a segment that verifies offline', async () => {
    const child = spawnCli(['start', ...storeArgs]);
    const started = await waitForLog(child, (l) => l.msg === 'vigil started');
    const base = String(started.address);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    expect(
      (await fetch(`${base}/nope?token=SECRET-123&x=1`, { headers: { cookie: 'sid=COOKIE-9' } })).status,
    ).toBe(401); // no credentials: refused before routing (unknown routes too), and still audited
    // CLI commands while the server runs: both write to one chain.
    expect(
      (await runCli(['alerts', 'log', '--config', file, '--store', `sqlite:${join(data, 'vigil.db')}`])).code,
    ).toBe(0);
    expect((await runCli(['config', 'check', '--config', file])).code).toBe(0);
    expect(
      (
        await runCli([
          'alerts',
          'ack',
          'no-such-group',
          '--by',
          'x',
          '--store',
          `sqlite:${join(data, 'vigil.db')}`,
        ])
      ).code,
    ).toBe(2);
    child.kill('SIGTERM');
    expect((await once(child, 'exit'))[0]).toBe(0);

    const log = rows();
    const actions = log.map((r) => r.action);
    expect(actions[0]).toBe('cli: start');
    expect(actions).toEqual(
      expect.arrayContaining([
        'GET /healthz',
        'GET /metrics',
        'GET (no route)',
        'cli: alerts log',
        'cli: alerts ack',
      ]),
    );
    expect(actions).not.toContain('cli: config check');
    const nope = log.find((r) => r.action === 'GET (no route)')!;
    expect(nope).toMatchObject({
      actor_kind: 'anonymous',
      source: '127.0.0.1',
      object: '/nope?token=<redacted>&x=1',
      result: '401',
    });
    expect(JSON.stringify(log)).not.toMatch(/SECRET-123|COOKIE-9/);
    const ack = log.find((r) => r.action === 'cli: alerts ack')!;
    expect(ack).toMatchObject({
      actor_kind: 'os_user',
      actor_name: userInfo().username,
      object: 'no-such-group',
      result: 'exit:2',
    });
    expect(log.find((r) => r.action === 'cli: alerts log')!.result).toBe('ok');

    const verify = await runCli(['audit', 'verify', ...storeArgs]);
    expect(verify.stdout).toMatch(/^audit log intact: \d+ entries/);
    expect(verify.code).toBe(0);

    const seg = join(dir, 'segment.jsonl');
    const key = join(dir, 'audit.pub');
    expect((await runCli(['audit', 'export', ...storeArgs, '--out', seg])).code).toBe(0);
    const pub = await runCli(['audit', 'pubkey', '--data', data]);
    expect(pub.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    writeFileSync(key, pub.stdout);
    const offline = await runCli(['audit', 'verify', '--file', seg, '--pubkey', key, '--json']);
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({ ok: true, firstSeq: 1 });

    // One flipped character in an exported entry: found, and named.
    const lines = readFileSync(seg, 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes('"GET /metrics"'));
    const seq = (JSON.parse(lines[i]!) as { seq: number }).seq;
    lines[i] = lines[i]!.replace('"GET /metrics"', '"GET /metricz"');
    writeFileSync(seg, lines.join('\n'));
    const bad = await runCli(['audit', 'verify', '--file', seg, '--pubkey', key]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      `audit log broken at entry ${seq}: entry ${seq}: its content does not match its hash`,
    );
  }, 300_000);

  it('a flipped byte, a deleted entry and a cut tail in the store make verify exit 1 naming the entry', async () => {
    const key = join(dir, 'audit.pub');
    // The tail cut reaches into what the last checkpoint (signed when the server stopped) covers;
    // the CLI entries written after it are chained but not yet signed.
    const d = new Database(join(data, 'vigil.db'), { readonly: true });
    const { n } = d.prepare('SELECT max(seq) AS n FROM audit_checkpoints').get() as { n: number };
    d.close();
    expect(rows().length).toBeGreaterThan(n);
    const cases: Array<[string, string, RegExp]> = [
      [
        'flip',
        `UPDATE audit_log SET result = '201' WHERE seq = 3`,
        /broken at entry 3: entry 3: its content does not match/,
      ],
      ['delete', 'DELETE FROM audit_log WHERE seq = 2', /broken at entry 2: entry 2 is missing/],
      [
        'tail',
        `DELETE FROM audit_log WHERE seq >= ${n - 1}`,
        new RegExp(
          `broken at entry ${n - 1}: the log ends at entry ${n - 2}, but the checkpoint .* covers entries up to ${n}`,
        ),
      ],
    ];
    for (const [name, statement, want] of cases) {
      const db = copyStore(name);
      tamper(db, statement);
      const r = await runCli(['audit', 'verify', '--store', `sqlite:${db}`, '--pubkey', key]);
      expect(r.stdout, name).toMatch(want);
      expect(r.code, name).toBe(1);
    }
    const unreadable = await runCli([
      'audit',
      'verify',
      '--file',
      join(dir, 'missing.jsonl'),
      '--pubkey',
      key,
    ]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/cannot read/);
  }, 240_000);

  it('a command whose audit entry cannot be written does not run; one that needs no store runs without one', async () => {
    const r = await runCli(['alerts', 'log', '--store', 'postgres://vigil@127.0.0.1:1/none']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not run: this command cannot be recorded in the audit log/);
    expect(r.stdout).toBe('');
    const empty = mkdtempSync(join(tmpdir(), 'vigil-nostore-'));
    try {
      const check = await runCli(['config', 'check', '--config', file], { env: { VIGIL_DATA: empty } });
      expect(check.stderr + check.stdout).toMatch(/configuration is valid/);
      expect(check.code).toBe(0);
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);
});
