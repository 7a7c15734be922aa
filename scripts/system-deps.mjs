#!/usr/bin/env node
// @ts-check
/**
 * The Debian (bookworm) packages the tests need, and a check that installs the missing ones.
 *
 *   node scripts/system-deps.mjs           install what is missing (as root), else say what to run
 *   node scripts/system-deps.mjs --check   only report; exit 2 when something is missing
 *
 * Exit codes: 0 everything present (or installed now), 2 missing and not installed.
 * `scripts/test.mjs` (npm test) runs this first. A test that needs a package names it when it is
 * missing; add the package here so a fresh machine gets it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * Each package with the files that prove it is installed, and the system services its install
 * starts (the tests start their own daemons, on their own ports, so these are stopped again).
 * @type {{ pkg: string, files: string[], why: string, services?: string[] }[]}
 */
export const SYSTEM_DEPS = [
  { pkg: 'postgresql', files: ['/usr/lib/postgresql/15/bin/initdb', '/usr/lib/postgresql/15/bin/pg_ctl'], why: 'store tests on PostgreSQL 15 (private cluster per run)', services: ['postgresql'] },
  { pkg: 'clamav-daemon', files: ['/usr/sbin/clamd'], why: 'virus scanner tests (real clamd, custom signatures)', services: ['clamav-daemon', 'clamav-freshclam'] },
  { pkg: 'clamdscan', files: ['/usr/bin/clamdscan'], why: 'clamd client, benchmark peer' },
  { pkg: 'clamav', files: ['/usr/bin/sigtool', '/usr/bin/clamscan'], why: 'sigtool builds test signatures; clamscan is a benchmark peer' },
  { pkg: 'prometheus-alertmanager', files: ['/usr/bin/prometheus-alertmanager', '/usr/bin/amtool'], why: 'routing compatibility tests against Alertmanager/amtool', services: ['prometheus-alertmanager'] },
  { pkg: 'prometheus-blackbox-exporter', files: ['/usr/bin/prometheus-blackbox-exporter'], why: 'probe comparison tests and benchmarks', services: ['prometheus-blackbox-exporter'] },
  { pkg: 'yara', files: ['/usr/bin/yara'], why: 'YARA comparison tests and benchmarks' },
  { pkg: 'poppler-utils', files: ['/usr/bin/pdftotext'], why: 'incident report PDFs read back with pdftotext' },
  { pkg: 'chromium', files: ['/usr/bin/chromium'], why: 'browser tests of the web pages (playwright-core, no downloaded browser)' },
  { pkg: 'openssl', files: ['/usr/bin/openssl'], why: 'test certificates' },
  { pkg: 'zip', files: ['/usr/bin/zip'], why: 'archive fixtures for the scanners' },
  { pkg: 'unzip', files: ['/usr/bin/unzip'], why: 'evidence bundle tests' },
]; // prettier-ignore

/** The packages with at least one of their files missing. */
export function missingDeps(deps = SYSTEM_DEPS) {
  return deps.filter((d) => d.files.some((f) => !existsSync(f)));
}

/** @param {string} cmd @param {string[]} args @param {Record<string, string>} [env] */
function run(cmd, args, env) {
  console.error(`$ ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...env },
  });
  if (res.error) throw new Error(`${cmd}: ${res.error.message}`);
  return res.status ?? 1;
}

/** Stops (and disables) the services a fresh install started: they hold ports and memory. */
function stopServices(/** @type {string[]} */ services) {
  const systemd = existsSync('/run/systemd/system');
  for (const svc of services) {
    const [cmd, args] = systemd ? ['systemctl', ['disable', '--now', svc]] : ['service', [svc, 'stop']];
    const res = spawnSync(cmd, args, { stdio: 'ignore' });
    // Not fatal: in a container without an init system the service never started.
    if (res.status === 0) console.error(`stopped ${svc} (the tests start their own)`);
  }
}

/**
 * Makes sure every system package the tests need is present. As root it installs what is missing
 * (apt-get update once, then install, showing apt's progress); otherwise it prints exactly what to
 * install. Returns the exit code: 0 ready, 2 missing.
 */
export function ensureSystemDeps({ check = false, deps = SYSTEM_DEPS } = {}) {
  const missing = missingDeps(deps);
  if (missing.length === 0) return 0;
  const pkgs = missing.map((d) => d.pkg);
  console.error('The tests need these Debian packages, which are missing:');
  for (const d of missing)
    console.error(
      `  ${d.pkg.padEnd(30)} ${d.why} (${d.files.filter((f) => !existsSync(f)).join(', ')} missing)`,
    );
  const install = `apt-get install -y --no-install-recommends ${pkgs.join(' ')}`;
  const isRoot = process.getuid?.() === 0;
  if (check || !isRoot || !existsSync('/usr/bin/apt-get')) {
    console.error(
      `Install them with:\n  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive ${install}`,
    );
    return 2;
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update'], env) !== 0) {
    console.error('apt-get update failed; fix the package sources and re-run');
    return 2;
  }
  const status = run(
    'apt-get',
    ['install', '-y', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=600', ...pkgs],
    env,
  );
  stopServices(missing.flatMap((d) => d.services ?? []));
  const still = missingDeps(missing);
  if (status !== 0 || still.length > 0) {
    const files = still.flatMap((d) => d.files.filter((f) => !existsSync(f)));
    console.error(`apt-get install exited ${status}; still missing: ${files.join(', ') || 'nothing'}`);
    return 2;
  }
  console.error(`installed: ${pkgs.join(' ')}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = ensureSystemDeps({ check: process.argv.includes('--check') });
  if (code === 0) console.error('system packages for the tests: all present');
  process.exit(code);
}
