import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { listFindings, listRuns, openStore, type AnalysisDb } from '../../core/index.js';
import { analyzersSchema } from '../../analyzers/config.js';
import { runAnalysis } from '../../analyzers/run/runner.js';
import { CORPUS } from './corpus.js';

const CHILD = fileURLToPath(new URL('./helpers/run-child.ts', import.meta.url));
const day1 = fg.sync(`${CORPUS}zeek-tsv/rita-missing-host/2024-04-19/*.log.gz`).sort();
const all = fg.sync(`${CORPUS}zeek-tsv/rita-missing-host/*/*.log.gz`).sort();

/** Runs the child until it has read half its inputs, then kills it with SIGKILL. */
function runAndKillHalfWay(
  url: string,
  inputs: string[],
): Promise<{ killedAfter: number; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, ...inputs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killedAfter = 0;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = [...out.matchAll(/read (\d+)\/(\d+)/g)].pop();
      if (m && killedAfter === 0 && Number(m[1]) >= Number(m[2]) / 2) {
        killedAfter = Number(m[1]);
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (_code, signal) =>
      killedAfter > 0
        ? resolve({ killedAfter, signal })
        : reject(new Error(`child ended before half way: ${out}${err}`)),
    );
  });
}

const snapshot = async (db: Kysely<AnalysisDb>) =>
  (await listFindings(db))
    .map((f) => `${f.detector}|${f.key}|${f.count}|${f.firstSeen}|${f.lastSeen}`)
    .sort();

describe('a run killed half way (SIGKILL)', () => {
  it('is re-read by the next run: each finding exactly once, with the counts of an uninterrupted history', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
    const config = analyzersSchema.parse({});
    // history A: day 1, then all three days killed half way, then all three days again
    const a = await openStore(`sqlite:${join(dir, 'a.db')}`);
    await runAnalysis({ db: a.db as Kysely<AnalysisDb>, config, inputs: day1 });
    await a.close();
    const kill = await runAndKillHalfWay(`sqlite:${join(dir, 'a.db')}`, all);
    expect(kill.signal).toBe('SIGKILL');
    expect(kill.killedAfter).toBeLessThan(all.length);
    const a2 = await openStore(`sqlite:${join(dir, 'a.db')}`);
    const dbA = a2.db as Kysely<AnalysisDb>;
    await runAnalysis({ db: dbA, config, inputs: all });
    // history B: the same runs without the crash
    const b = await openStore(`sqlite:${join(dir, 'b.db')}`);
    const dbB = b.db as Kysely<AnalysisDb>;
    await runAnalysis({ db: dbB, config, inputs: day1 });
    await runAnalysis({ db: dbB, config, inputs: all });
    const [sa, sb] = [await snapshot(dbA), await snapshot(dbB)];
    expect(sa.length).toBeGreaterThan(50);
    expect(sa).toEqual(sb);
    const runs = await listRuns(dbA, { analyzer: 'ids' });
    expect(runs.map((r) => r.status)).toEqual(['ok', 'failed', 'ok']);
    // the third run read only what the first had not: days 2 and 3 plus nothing of day 1
    expect(runs[0]!.inputs.every((i) => !i.path.includes('2024-04-19'))).toBe(true);
    await a2.close();
    await b.close();
  }, 180_000);
});
