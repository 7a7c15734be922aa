import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = join(ROOT, 'tests/fixtures/lint');

// The real config, so the test also proves the rules are wired into eslint.config.js.
const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: join(ROOT, 'eslint.config.js') });

/**
 * Lints the fixture `tests/fixtures/lint/<path>` as if it were the file `<path>` of the repo (its
 * layer is the first folder of that path). Returns `line:col rule: message` for every problem.
 */
async function lintAs(path: string): Promise<string[]> {
  const code = readFileSync(join(FIXTURES, path), 'utf8');
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return (result?.messages ?? []).map((m) => `${m.line}:${m.column} ${m.ruleId ?? '(fatal)'}: ${m.message}`);
}

const domainMsg = (from: string, to: string): string =>
  `vigil/layers: ${from}/ must not import ${to}/: a domain never imports another domain; ` +
  'pass core types and wire them in app/ (DESIGN.md §2)';
const notAllowedMsg = (from: string, to: string, allowed: string): string =>
  `vigil/layers: ${from}/ must not import ${to}/: ${from}/ may import ${allowed} (DESIGN.md §2)`;
const deepMsg = (from: string, to: string, index: string, spec: string): string =>
  `vigil/layers: ${from}/ must import ${to}/ through its index: import ${index}, not ${spec}`;

const ONLY_CORE = 'only core/ (and node built-ins and packages)';

const violations: [string, string[]][] = [
  ['probes/imports-sla.ts', [`1:28 ${domainMsg('probes', 'sla')}`]],
  ['alerting/imports-analyzers-deep.ts', [`1:30 ${domainMsg('alerting', 'analyzers')}`]],
  ['probes/imports-app.ts', [`1:22 ${notAllowedMsg('probes', 'app', ONLY_CORE)}`]],
  ['core/imports-probes.ts', [`1:27 ${notAllowedMsg('core', 'probes', 'only node built-ins and packages')}`]],
  ['core/store/imports-app.ts', [`1:22 ${notAllowedMsg('core', 'app', 'only node built-ins and packages')}`]],
  ['server/imports-alerting.ts', [`1:32 ${notAllowedMsg('server', 'alerting', ONLY_CORE)}`]],
  [
    'dashboards/imports-app.ts',
    [
      `1:26 ${notAllowedMsg('dashboards', 'app', 'only core/, probes/, sla/, analyzers/, alerting/, incidents/, evidence/ (and node built-ins and packages)')}`,
    ],
  ],
  ['app/deep-core.ts', [`1:27 ${deepMsg('app', 'core', '../core/index.js', '../core/store/store.js')}`]],
  [
    'app/commands/deep-probes.ts',
    [`1:27 ${deepMsg('app', 'probes', '../../probes/index.js', '../../probes/http.js')}`],
  ],
  [
    'sla/deep-core-subindex.ts',
    [`1:26 ${deepMsg('sla', 'core', '../core/index.js', '../core/config/index.js')}`],
  ],
  [
    'dashboards/deep-sla.ts',
    [`1:32 ${deepMsg('dashboards', 'sla', '../sla/index.js', '../sla/report/types.js')}`],
  ],
  ['server/dynamic-deep.ts', [`2:17 ${deepMsg('server', 'core', '../core/index.js', '../core/errors.js')}`]],
  [
    'evidence/export-all-deep.ts',
    [`1:15 ${deepMsg('evidence', 'core', '../core/index.js', '../core/types.js')}`],
  ],
  ['alerting/directory-import.ts', [`1:28 ${deepMsg('alerting', 'core', '../core/index.js', '../core')}`]],
  [
    'sla/two-violations.ts',
    [
      `1:34 ${domainMsg('sla', 'probes')}`,
      `2:27 ${deepMsg('sla', 'core', '../core/index.js', '../core/store/index.js')}`,
    ],
  ],
  ['incidents/imports-alerting.ts', [`1:26 ${domainMsg('incidents', 'alerting')}`]],
  ['core/bare-builtin.ts', ["1:26 vigil/node-protocol: import 'node:fs', not 'fs'"]],
];

const allowed: string[] = [
  'probes/ok-core-index.ts',
  'core/store/ok-own-folder.ts',
  'app/ok-everything.ts',
  'dashboards/ok-domains.ts',
  'incidents/ok-core-index.ts',
  'server/ok-core.ts',
  'tests/probes/ok-deep.ts',
  'bench/probes/ok-deep.ts',
  'scripts/ok-tooling.ts',
];

describe('vigil/layers', () => {
  it.each(violations)('reports %s', async (path, expected) => {
    expect(await lintAs(path)).toEqual(expected);
  });

  it.each(allowed)('allows %s', async (path) => {
    expect(await lintAs(path)).toEqual([]);
  });

  it('has a table row for every fixture', async () => {
    const files = await fg('**/*.ts', { cwd: FIXTURES });
    const covered = [...violations.map(([p]) => p), ...allowed];
    expect(files.sort()).toEqual([...covered].sort());
  });

  it('fixes a bare built-in import to the node: form', async () => {
    const fixer = new ESLint({ cwd: ROOT, overrideConfigFile: join(ROOT, 'eslint.config.js'), fix: true });
    const code = readFileSync(join(FIXTURES, 'core/bare-builtin.ts'), 'utf8');
    const [result] = await fixer.lintText(code, { filePath: join(ROOT, 'core/bare-builtin.ts') });
    expect(result?.output?.split('\n')[0]).toBe("import { readFile } from 'node:fs';");
  });

  it('leaves the fixtures out of the repository lint (they break the rules on purpose)', async () => {
    const file = join(FIXTURES, 'probes/imports-sla.ts');
    expect(await eslint.isPathIgnored(file)).toBe(true);
    expect(relative(ROOT, file)).toBe('tests/fixtures/lint/probes/imports-sla.ts');
  });
});
