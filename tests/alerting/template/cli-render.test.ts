import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = fileURLToPath(new URL('../helpers/alerts-cli.ts', import.meta.url));
const DEFAULTS = '/usr/share/prometheus/alertmanager/*.tmpl';
const dir = mkdtempSync(join(tmpdir(), 'vigil-tmpl-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const vigil = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'alerts', 'template', 'render', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const amtool = (...args: string[]) => {
  const r = spawnSync('/usr/bin/amtool', ['template', 'render', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('vigil alerts template render (as amtool template render)', () => {
  it("renders amtool's example data and the files of a glob exactly as amtool", () => {
    writeFileSync(
      join(dir, 'mine.tmpl'),
      '{{ define "mine.title" }}{{ .Receiver | toUpper }}: {{ template "__subject" . }}{{ end }}',
    );
    // Times of amtool's example data are "now", so the text leaves them out.
    const text =
      '{{ template "mine.title" . }}|{{ range .Alerts }}{{ .Labels.SortedPairs.Values | join "," }};{{ end }}|{{ .CommonAnnotations }}|{{ template "slack.default.titlelink" . }}';
    const globs = [`--template.glob=${DEFAULTS}`, `--template.glob=${join(dir, '*.tmpl')}`];
    const want = amtool(...globs, `--template.text=${text}`);
    const got = vigil(...globs, `--template.text=${text}`);
    expect(want.code).toBe(0);
    expect(got).toMatchObject({ code: 0, out: want.out });
    expect(got.out).toContain('RECEIVER: [ALERTSTATUS] grouplabelvalue1 grouplabelvalue2');
  });

  it('a template error exits 2 with the message on stderr', () => {
    const got = vigil('--template.glob=/nonexistent/*', '--template.text={{ .Nope }}');
    expect(got.code).toBe(2);
    expect(got.err).toContain("can't evaluate field Nope in type template.Data");
    expect(got.out).toBe('');
  });
});
