import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSlaCompute } from '../../sla/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'vigil-sla-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function files(policyExtra: string, samples: { ts: number; ok: boolean }[]) {
  const policy = join(tmp, `p-${samples.length}-${policyExtra.length}.yaml`);
  writeFileSync(
    policy,
    `policy:\n  id: p\n  availability: 99%\n  latency: { average_ms: 50 }\n${policyExtra}probe_interval: 1m\n`,
  );
  const results = join(tmp, `r-${samples.length}-${policyExtra.length}.jsonl`);
  writeFileSync(results, samples.map((s) => JSON.stringify({ ts: s.ts, ok: s.ok, totalMs: 10 })).join('\n'));
  return { policy, results };
}

describe('runSlaCompute default windows', () => {
  it('calendar month: the month of the median result, even with a sample from the month before', async () => {
    const s = [{ ts: Date.UTC(2026, 1, 28, 22, 59), ok: true }];
    for (let t = Date.UTC(2026, 1, 28, 23); t < Date.UTC(2026, 2, 2); t += 60_000)
      s.push({ ts: t, ok: true });
    const r = await runSlaCompute(files('', s));
    expect(r.json.from).toBe('2026-02-28T23:00:00.000Z');
    expect(r.json.to).toBe('2026-03-31T22:00:00.000Z');
    expect(r.json.upSeconds).toBe((Date.UTC(2026, 2, 2) + 60_000 - Date.UTC(2026, 1, 28, 23)) / 1000);
  });

  it('rolling: the span ending one probe interval after the latest result', async () => {
    const s = [];
    for (let t = Date.UTC(2026, 2, 1); t < Date.UTC(2026, 2, 1, 2); t += 60_000)
      s.push({ ts: t, ok: t < Date.UTC(2026, 2, 1, 1, 30) });
    const r = await runSlaCompute(files('  window: { rolling: 1h }\n', s));
    expect(r.json.from).toBe('2026-03-01T01:00:00.000Z');
    expect(r.json.to).toBe('2026-03-01T02:00:00.000Z');
    expect(r.json.downSeconds).toBe(1800);
    expect(r.exitCode).toBe(1);
  });
});
