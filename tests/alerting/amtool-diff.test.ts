import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAlertingFile, routeTest } from '../../alerting/index.js';
import { genConfig, genLabels, rng } from './helpers/gen-configs.js';

const run = promisify(execFile);
const AMTOOL = '/usr/bin/amtool';
const CONFIGS = 40;
const LABELSETS = 8;

async function amtool(file: string, labels: Record<string, string>): Promise<string> {
  const args = [
    'config',
    'routes',
    'test',
    `--config.file=${file}`,
    ...Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`),
  ];
  const { stdout } = await run(AMTOOL, args, { timeout: 20_000 });
  return stdout.trim().split('\n').at(-1) ?? '';
}

async function pool<T>(items: T[], size: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

describe('route-test agrees with amtool config routes test', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-amdiff-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`${CONFIGS} generated configs x ${LABELSETS} label sets (seed 20261121)`, async () => {
    if (!existsSync(AMTOOL)) throw new Error(`${AMTOOL} is missing: apt-get install prometheus-alertmanager`);
    const r = rng(20261121);
    const cases: { file: string; labels: Record<string, string> }[] = [];
    for (let c = 0; c < CONFIGS; c++) {
      const file = join(dir, `c${c}.yml`);
      writeFileSync(file, stringify(genConfig(r)));
      for (let l = 0; l < LABELSETS; l++) cases.push({ file, labels: genLabels(r) });
    }
    const mismatches: string[] = [];
    const answers = new Set<string>();
    await pool(cases, 4, async ({ file, labels }) => {
      const want = await amtool(file, labels);
      const got = routeTest(loadAlertingFile(file).config, labels).join(',');
      answers.add(want);
      if (got !== want) mismatches.push(`${file} ${JSON.stringify(labels)}: amtool=${want} vigil=${got}`);
    });
    expect(mismatches).toEqual([]);
    expect(cases.length).toBe(CONFIGS * LABELSETS);
    // The generator must exercise continue (several receivers) and many distinct outcomes.
    expect([...answers].some((a) => a.includes(','))).toBe(true);
    expect(answers.size).toBeGreaterThan(10);
  }, 300_000);

  it.each([
    ['lookahead is not RE2', 'matchers: [\'env=~"(?=prod)"\']'],
    ['backreference is not RE2', 'match_re: { env: "(a)\\\\1" }'],
    ['unescaped quote', 'matchers: [\'env="a"b"\']'],
  ])('both reject: %s', async (_name, matcherYaml) => {
    const file = join(dir, `bad-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(
      file,
      `route:\n  receiver: a\n  routes:\n    - receiver: a\n      ${matcherYaml}\nreceivers: [{name: a}]\n`,
    );
    await expect(amtool(file, { env: 'prod' })).rejects.toThrow();
    expect(() => loadAlertingFile(file)).toThrow();
  });
});
