import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import {
  createLogger,
  listIncidentMessages,
  queryIncidentRecords,
  silentLogger,
  type IncidentRecordsDb,
} from '../../core/index.js';
import { loadVigilConfig } from '../../app/load.js';
import { startRuntime, type Runtime } from '../../app/runtime.js';
import { attachment, startSmtp, unQp } from './helpers/smtp.js';

// `vigil start` as the CLI starts it: a scheduled analysis run reads a Zeek ssh.log with a
// password-guessing burst against ACME's address; the finding opens a security incident and its
// report reaches ACME's contact on a real SMTP server, in Dutch, with the PDF, nothing of Globex.
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function sshLog(dir: string): string {
  const t0 = Date.parse('2026-03-04T05:30:00Z') / 1000;
  const lines: string[] = [];
  for (let i = 0; i < 25; i++)
    lines.push(
      JSON.stringify({
        _path: 'ssh',
        ts: t0 + i,
        uid: `C${i}`,
        'id.orig_h': '198.51.100.7',
        'id.orig_p': 40000 + i,
        'id.resp_h': '203.0.113.10',
        'id.resp_p': 22,
        auth_success: false,
        auth_attempts: 1,
      }),
    );
  const file = join(dir, 'ssh.log');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('security incident end to end', () => {
  it('an SSH brute force against a customer address opens an incident and mails its contact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-inc-e2e-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const smtp = await startSmtp();
    cleanup.push(() => smtp.close());
    const log = sshLog(dir);
    const file = join(dir, 'vigil.yaml');
    writeFileSync(
      file,
      `server: {listen: "127.0.0.1:0"}
store: {url: "sqlite:vigil.db"}
timezone: UTC
customers:
  - id: acme
    name: ACME B.V.
    networks: [203.0.113.0/24]
    language: nl
    contacts: [{ name: ACME Security, email: security@acme.example }]
  - id: globex
    name: Globex Corporation
    networks: [192.0.2.0/24]
    language: en
    contacts: [{ name: Globex SOC, email: soc@globex.example }]
analyzers:
  schedule: "0 0,6,12,18 * * *"
  settle: 0s
  zeek: { paths: ["${log}"] }
incidents:
  report_delay: 4s
  email: { smarthost: "127.0.0.1:${smtp.port}", from: "vigil@hoster.example", require_tls: false }
`,
    );
    // The clock stands 8 s before the 06:00 run (time enough to start on a loaded machine), so
    // the scheduler (not the test) starts it.
    const offset = Date.parse('2026-03-04T05:59:52Z') - Date.now();
    const rt: Runtime = await startRuntime(loadVigilConfig(file), {
      dataDir: dir,
      log: process.env.E2E_LOG ? createLogger({ level: 'debug' }) : silentLogger(),
      clock: { now: () => Date.now() + offset },
    });
    cleanup.push(() => rt.stop(5000));
    for (let i = 0; i < 300 && smtp.mails.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(smtp.mails.map((m) => m.to)).toEqual([['security@acme.example']]);
    const raw = smtp.mails[0]!.raw;
    const body = unQp(raw);
    expect(body).toContain('Beveiligingsincident INC-');
    expect(body).toContain('Genomen maatregelen tot nu toe');
    expect(body).toContain('198.51.100.7');
    expect(body).toContain(`${log}:`);
    expect(body).not.toMatch(/globex|192\.0\.2\./i);
    const pdf = attachment(raw, `${/INC-\d{8}-[0-9a-f]{8}/.exec(body)![0]}.pdf`);
    expect(pdf?.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf!.toString('latin1')).toContain('report.json');

    const db = rt.store.db as Kysely<IncidentRecordsDb>;
    const [inc, ...more] = await queryIncidentRecords(db);
    expect(more).toEqual([]);
    expect(inc).toMatchObject({
      kind: 'security',
      customerId: 'acme',
      state: 'reported',
      detector: 'brute-force',
    });
    const msgs = await listIncidentMessages(db, { incidentId: inc!.id });
    expect(msgs.map((m) => [m.kind, m.recipient, m.result])).toEqual([
      ['security-report', 'ACME Security <security@acme.example>', 'delivered'],
    ]);
    expect(msgs[0]!.content_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(msgs[0]!.delivered_at)).toBeGreaterThanOrEqual(Date.parse(inc!.detectedAt));
  }, 120_000);
});
