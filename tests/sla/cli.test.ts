import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = 'app/cli.ts';
const POLICY = 'tests/sla/fixtures/policy.yaml';
const tmp = mkdtempSync(join(tmpdir(), 'vigil-sla-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Every 10 s from two locations over March 10–11 2026 (UTC), down where `down` says. */
function writeResults(name: string, down: (t: number) => boolean): string {
  const lines: string[] = [];
  for (let t = Date.UTC(2026, 2, 10); t < Date.UTC(2026, 2, 12); t += 10_000) {
    for (const location of ['ams', 'fra'])
      lines.push(JSON.stringify({ ts: new Date(t).toISOString(), ok: !down(t), totalMs: 20, location }));
  }
  const file = join(tmp, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const FROM = '2026-03-10T00:00:00Z';
const TO = '2026-03-12T00:00:00Z';
const inRange = (t: number, from: string, to: string) => t >= Date.parse(from) && t < Date.parse(to);

describe('vigil sla compute', { timeout: 90_000 }, () => {
  it('counts the 11 h 59 min downtime as unplanned, excludes the 12 h one, exit 1 when the objective is missed', async () => {
    const file = writeResults(
      'planned.jsonl',
      (t) =>
        inRange(t, '2026-03-10T20:00:00Z', '2026-03-10T20:10:00Z') ||
        inRange(t, '2026-03-11T20:00:00Z', '2026-03-11T20:10:00Z'),
    );
    const r = await run([
      'sla',
      'compute',
      '--results',
      file,
      '--policy',
      POLICY,
      '--from',
      FROM,
      '--to',
      TO,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j.excludedSeconds).toBe(600);
    expect(j.downSeconds).toBe(600);
    expect(j.downIntervals).toEqual([['2026-03-11T20:00:00.000Z', '2026-03-11T20:10:00.000Z']]);
    expect(j.eligibleSeconds).toBe(2 * 86400 - 600);
    expect((j.unplannedAnnouncements as { note: string }[])[0]!.note).toMatch(
      /11\.98 h .* counted as unplanned/,
    );
    for (const k of [
      'upSeconds',
      'unknownSeconds',
      'availability',
      'coverage',
      'serviceHoursAvailability',
      'avgResponseMs',
      'p50Ms',
      'p95Ms',
      'p99Ms',
      'latencySamples',
      'availabilityMet',
      'latencyMet',
      'budgetRemainingSeconds',
    ]) {
      expect(j).toHaveProperty(k);
    }
    expect(j.availabilityMet).toBe(false);
    expect(r.code).toBe(1);
  });

  it('exit 0 when met', async () => {
    const file = writeResults('ok.jsonl', () => false);
    const r = await run([
      'sla',
      'compute',
      '--results',
      file,
      '--policy',
      POLICY,
      '--from',
      FROM,
      '--to',
      TO,
      '--json',
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({
      availability: 1,
      availabilityMet: true,
      latencyMet: true,
      avgResponseMs: 20,
    });
    expect(r.code).toBe(0);
  });

  it.each([
    ['not JSON', '{"ts":"2026-03-10T00:00:00Z","ok":true,"totalMs":1}\n{oops\n', 2, /bad\.jsonl:2: not JSON/],
    ['bad ts', '\n{"ts":"yesterday","ok":true,"totalMs":1}\n', 2, /bad\.jsonl:2: "ts" must be/],
    [
      'bad ok',
      '{"ts":1773100800000,"ok":"yes","totalMs":1}\n',
      1,
      /bad\.jsonl:1: "ok" must be true or false/,
    ],
  ])('bad results line (%s) exits 2 naming file:line', async (_n, text, _line, re) => {
    const file = join(tmp, 'bad.jsonl');
    writeFileSync(file, text);
    const r = await run([
      'sla',
      'compute',
      '--results',
      file,
      '--policy',
      POLICY,
      '--from',
      FROM,
      '--to',
      TO,
      '--json',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(r.stdout).toBe('');
  });

  it('a policy naming an undefined interval exits 2 naming the file and field', async () => {
    const policy = join(tmp, 'bad-policy.yaml');
    writeFileSync(
      policy,
      'time_intervals: []\npolicy:\n  id: p\n  availability: 99.9%\n  latency: { average_ms: 50 }\n  maintenance: [nope]\nprobe_interval: 10s\n',
    );
    const file = writeResults('ok2.jsonl', () => false);
    const r = await run([
      'sla',
      'compute',
      '--results',
      file,
      '--policy',
      policy,
      '--from',
      FROM,
      '--to',
      TO,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-policy\.yaml:\d+: .*maintenance.*"nope" is not defined/);
  });

  it('a policy with a bad field exits 2 with its line', async () => {
    const policy = join(tmp, 'bad-field.yaml');
    writeFileSync(
      policy,
      'policy:\n  id: p\n  availability: 120%\n  latency: { average_ms: 50 }\nprobe_interval: 10s\n',
    );
    const r = await run([
      'sla',
      'compute',
      '--results',
      writeResults('ok3.jsonl', () => false),
      '--policy',
      policy,
      '--from',
      FROM,
      '--to',
      TO,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-field\.yaml:3: policy\.availability: "120%" is not a percentage/);
  });
});
