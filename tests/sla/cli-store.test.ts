import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { insertProbeResults, openStore, zonedParts, type ProbeResult } from '../../core/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'vigil-sla-cli-store-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const CONFIG = join(tmp, 'vigil.yaml');
const DB = join(tmp, 'vigil.db');
writeFileSync(
  CONFIG,
  `timezone: Europe/Amsterdam
store: { url: "sqlite:${DB}" }
time_intervals:
  - name: never
    time_intervals: [{ months: ["february"], days_of_month: ["30"] }]
customers: [{ id: acme, name: ACME B.V. }]
locations: [{ id: local }]
sla_policies:
  - { id: standard, availability: 99.9%, latency: { average_ms: 50 }, maintenance: [never] }
services:
  - id: office-web
    customer: acme
    sla: standard
    probes: [{ type: http, url: "http://127.0.0.1:9/", interval: 10s }]
`,
);

function vigil(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'app/cli.ts', ...args],
      { cwd: ROOT, encoding: 'utf8' },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('vigil sla downtime announce / report against the store', { timeout: 120_000 }, () => {
  it('announces, then reports the month with the downtime the results show', async () => {
    // The store `vigil start` creates: commands never create one themselves.
    await (await openStore(`sqlite:${DB}`)).close();
    const start = new Date(Date.now() + 24 * 3_600_000).toISOString();
    const end = new Date(Date.now() + 25 * 3_600_000).toISOString();
    const a = await vigil([
      'sla',
      'downtime',
      'announce',
      '--config',
      CONFIG,
      '--service',
      'office-web',
      '--start',
      start,
      '--end',
      end,
      '--reason',
      'upgrade',
    ]);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout)).toMatchObject({
      countsAs: 'planned',
      downtime: { serviceId: 'office-web', reason: 'upgrade' },
    });

    // 20 minutes of 10 s results ending a minute ago, down for 60 s in the middle.
    const now = Date.now();
    const first = Math.floor((now - 21 * 60_000) / 10_000) * 10_000;
    const downFrom = first + 10 * 60_000;
    const store = await openStore(`sqlite:${DB}`);
    const rows: ProbeResult[] = [];
    for (let t = first; t < first + 20 * 60_000; t += 10_000) {
      const ok = t < downFrom || t >= downFrom + 60_000;
      rows.push({
        targetId: 'office-web/http',
        location: 'local',
        startedAt: new Date(t).toISOString(),
        ok,
        totalMs: 12,
        loopDelayMs: 0,
        phases: { resolve: 0, connect: 1, tls: 0, processing: 11, transfer: 0 },
      });
    }
    await insertProbeResults(store.db, rows);
    await store.close();

    const p = zonedParts(downFrom, 'Europe/Amsterdam');
    const month = `${p.year}-${String(p.month).padStart(2, '0')}`;
    const r = await vigil([
      'sla',
      'report',
      '--config',
      CONFIG,
      '--service',
      'office-web',
      '--month',
      month,
      '--format',
      'json',
    ]);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as {
      downSeconds: number;
      downIntervals: [string, string][];
      availabilityMet: boolean;
    };
    expect(report.downIntervals).toEqual([
      [new Date(downFrom).toISOString(), new Date(downFrom + 60_000).toISOString()],
    ]);
    expect(report.availabilityMet).toBe(false);
    expect(r.code).toBe(1);

    const out = join(tmp, 'r.pdf');
    const pdf = await vigil([
      'sla',
      'report',
      '--config',
      CONFIG,
      '--service',
      'office-web',
      '--month',
      month,
      '--format',
      'pdf',
      '--out',
      out,
    ]);
    expect(pdf.code).toBe(1);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');

    // Someone who can write to the output folder plants a link to a file root owns: vigil
    // (root) must refuse, not follow it and overwrite the file.
    const victim = join(tmp, 'passwd');
    writeFileSync(victim, 'root:x:0:0::/root:/bin/sh\n');
    const link = join(tmp, 'report.csv');
    symlinkSync(victim, link);
    const viaLink = await vigil([
      'sla',
      'report',
      '--config',
      CONFIG,
      '--service',
      'office-web',
      '--month',
      month,
      '--format',
      'csv',
      '--out',
      link,
    ]);
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toContain(`refusing to write ${link}: it is a symbolic link`);
    expect(readFileSync(victim, 'utf8')).toBe('root:x:0:0::/root:/bin/sh\n');

    // 30 February is refused by the CLI as by the API, not stored as 2 March.
    const feb30 = await vigil([
      'sla',
      'downtime',
      'announce',
      '--config',
      CONFIG,
      '--service',
      'office-web',
      '--start',
      '2026-02-30T10:00:00Z',
      '--end',
      '2026-03-02T11:00:00Z',
      '--reason',
      'x',
    ]);
    expect(feb30.code).toBe(2);
    expect(feb30.stderr).toMatch(
      /^vigil sla downtime announce: --start: is not an ISO 8601 time with a zone/,
    );

    const bad = await vigil(['sla', 'report', '--config', CONFIG, '--service', 'nope', '--month', month]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--service "nope" is not a service with an SLA policy/);
  });
});
