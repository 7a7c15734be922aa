#!/usr/bin/env node
// @ts-check
/**
 * `npm test`: every test, on a fresh Debian bookworm machine too.
 *
 *   npm test                      all tests
 *   npm test -- tests/core -t wal extra arguments go to `vitest run`
 *
 * 1. installs the Debian packages the tests need when missing (scripts/system-deps.mjs);
 * 2. runs `vitest run` with the extra arguments;
 * 3. reads vitest's JSON report (vitest.config.ts writes dist/test-results.json) and prints as
 *    the LAST line `N passed, N failed` (plus `, N skipped` when any were skipped).
 * Exits non-zero when a test failed or vitest itself failed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureSystemDeps } from './system-deps.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const REPORT = join(ROOT, 'dist/test-results.json');

/**
 * Counts from vitest's JSON report (the Jest-compatible shape). A test file that fails before
 * any test runs (a syntax error, a throwing import) has no failed test, so it counts as one.
 * @param {any} report
 */
export function summarize(report) {
  const passed = Number(report.numPassedTests ?? 0);
  let failed = Number(report.numFailedTests ?? 0);
  const skipped = Number(report.numPendingTests ?? 0) + Number(report.numTodoTests ?? 0);
  for (const file of report.testResults ?? []) {
    const failedInFile = (file.assertionResults ?? []).filter(
      (/** @type {any} */ a) => a.status === 'failed',
    );
    if (file.status === 'failed' && failedInFile.length === 0) failed += 1;
  }
  return { passed, failed, skipped };
}

/** @param {{passed: number, failed: number, skipped: number}} s */
export function summaryLine(s) {
  return `${s.passed} passed, ${s.failed} failed${s.skipped > 0 ? `, ${s.skipped} skipped` : ''}`;
}

/** @param {string[]} args @returns {Promise<number>} */
function runVitest(args) {
  const require = createRequire(import.meta.url);
  const bin = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'run', ...args], { cwd: ROOT, stdio: 'inherit' });
    const forward = (/** @type {NodeJS.Signals} */ sig) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (err) => {
      console.error(`cannot start vitest: ${err.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function main() {
  const deps = ensureSystemDeps();
  if (deps !== 0) {
    console.log('0 passed, 1 failed');
    return deps;
  }
  // A stale report must never be read as this run's.
  rmSync(REPORT, { force: true });
  const code = await runVitest(process.argv.slice(2));
  if (!existsSync(REPORT)) {
    console.error(`vitest exited ${code} without writing ${REPORT}`);
    console.log('0 passed, 1 failed');
    return code === 0 ? 1 : code;
  }
  const summary = summarize(JSON.parse(readFileSync(REPORT, 'utf8')));
  if (code !== 0 && summary.failed === 0) {
    // E.g. an unhandled error or a failed global setup: no test failed, the run did.
    console.error(
      `vitest exited ${code} without a failed test (no test files, an unhandled error or a failed ` +
        'setup: see above): counted as 1 failure',
    );
    summary.failed = 1;
  }
  console.log(summaryLine(summary));
  return summary.failed > 0 ? code || 1 : code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.stack : String(err));
      console.log('0 passed, 1 failed');
      process.exit(1);
    },
  );
}
