import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface SystemDep {
  pkg: string;
  files: string[];
  why: string;
}
interface Summary {
  passed: number;
  failed: number;
  skipped: number;
}
// The scripts are plain JS run by node (no build step), so they are loaded by URL and typed here.
const load = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(ROOT, path)).href)) as T;
const { missingDeps, SYSTEM_DEPS } = await load<{
  missingDeps(deps: SystemDep[]): SystemDep[];
  SYSTEM_DEPS: SystemDep[];
}>('scripts/system-deps.mjs');
const { summarize, summaryLine } = await load<{
  summarize(report: unknown): Summary;
  summaryLine(s: Summary): string;
}>('scripts/test.mjs');

/** A vitest JSON report file entry with the given assertion statuses. */
const file = (status: string, statuses: string[]) => ({
  status,
  assertionResults: statuses.map((s) => ({ status: s })),
});

describe('npm test summary (scripts/test.mjs)', () => {
  it.each([
    [
      'all passed',
      { numPassedTests: 3, numFailedTests: 0, numPendingTests: 0, testResults: [file('passed', ['passed'])] },
      '3 passed, 0 failed',
    ],
    [
      'failures and skips',
      {
        numPassedTests: 5,
        numFailedTests: 2,
        numPendingTests: 1,
        numTodoTests: 1,
        testResults: [file('failed', ['failed', 'failed', 'passed'])],
      },
      '5 passed, 2 failed, 2 skipped',
    ],
    [
      'a file that failed to load counts as one failure',
      {
        numPassedTests: 4,
        numFailedTests: 0,
        numPendingTests: 0,
        testResults: [file('failed', []), file('passed', ['passed'])],
      },
      '4 passed, 1 failed',
    ],
    ['an empty report', {}, '0 passed, 0 failed'],
  ])('%s', (_name, report, line) => {
    expect(summaryLine(summarize(report))).toBe(line);
  });
});

describe('system dependencies (scripts/system-deps.mjs)', () => {
  it('lists the packages named in the design, each with the files that prove it', () => {
    const pkgs = SYSTEM_DEPS.map((d) => d.pkg);
    for (const p of [
      'clamav-daemon',
      'clamdscan',
      'postgresql',
      'prometheus-alertmanager',
      'yara',
      'chromium',
    ]) {
      expect(pkgs).toContain(p);
    }
    for (const d of SYSTEM_DEPS) expect(d.files.length).toBeGreaterThan(0);
  });

  it('reports a package as missing when any of its files is', () => {
    const deps = [
      { pkg: 'present', files: [process.execPath], why: 'x' },
      { pkg: 'half', files: [process.execPath, '/nonexistent/vigil-test-bin'], why: 'x' },
    ];
    expect(missingDeps(deps).map((d) => d.pkg)).toEqual(['half']);
  });

  it('passes --check on this machine, where the packages are installed', () => {
    const res = spawnSync(process.execPath, ['scripts/system-deps.mjs', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(res.stderr).toContain('all present');
    expect(res.status).toBe(0);
  });
});
