import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Templates } from '../../../alerting/template/index.js';
import { rng } from '../helpers/gen-configs.js';
import { genData, genTemplate } from '../helpers/gen-templates.js';

const run = promisify(execFile);
const AMTOOL = '/usr/bin/amtool';
// Debian's amtool does not embed Alertmanager's default templates; it ships them here (the
// same bytes as the vendored alerting/template/vendor files, SHA-256 checked in
// default-templates.test.ts), so amtool is given them as a glob.
const DEFAULTS = '/usr/share/prometheus/alertmanager/*.tmpl';
const TEMPLATES = 240;
const DATA_FILES = 6;
const SEED = 20261206;

type Outcome = { ok: true; out: string } | { ok: false; err: string };

async function amtool(text: string, dataFile: string, type = 'text'): Promise<Outcome> {
  try {
    const { stdout } = await run(
      AMTOOL,
      [
        'template',
        'render',
        `--template.type=${type}`,
        `--template.glob=${DEFAULTS}`,
        `--template.data=${dataFile}`,
        `--template.text=${text}`,
      ],
      // The same local zone as vigil's (set below), for `.Local` and parsed offsets.
      { timeout: 30_000, env: { ...process.env, TZ: 'UTC' } },
    );
    return { ok: true, out: stdout };
  } catch (err) {
    const e = err as { stderr?: string; code?: number };
    if (typeof e.code !== 'number') throw err; // amtool did not run at all
    return { ok: false, err: String(e.stderr ?? '').trim() };
  }
}

function vigil(t: Templates, text: string, data: object, html = false): Outcome {
  try {
    return { ok: true, out: html ? t.executeHtml(text, data) : t.executeText(text, data) };
  } catch (err) {
    return { ok: false, err: (err as Error).message };
  }
}

async function pool<T>(items: T[], size: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

describe('templates render as amtool template render (Alertmanager 0.25)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tmpldiff-'));
  // One zone for both sides: local times of year 1 are "local mean time", which Go's and ICU's
  // time zone databases give differently (Amsterdam +00:19:32 or +00:17:30).
  const savedTz = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'UTC';
  });
  afterAll(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${TEMPLATES} generated templates over ${DATA_FILES} generated data sets (seed ${SEED})`, async () => {
    if (!existsSync(AMTOOL)) throw new Error(`${AMTOOL} is missing: apt-get install prometheus-alertmanager`);
    const version = execFileSync(AMTOOL, ['--version'], { encoding: 'utf8' }).split('\n')[0]!;
    expect(version).toMatch(/amtool, version 0\.25\./);
    const data = Array.from({ length: DATA_FILES }, (_, i) => {
      const d = genData(SEED + i);
      const file = join(dir, `data${i}.json`);
      writeFileSync(file, JSON.stringify(d));
      return { d, file };
    });
    const r = rng(SEED);
    const cases = Array.from({ length: TEMPLATES }, (_, i) => ({
      i,
      text: genTemplate(r),
      data: data[i % DATA_FILES]!,
    }));
    const t = Templates.fromGlobs([]);
    const mismatches: string[] = [];
    let rendered = 0;
    let failedBoth = 0;
    await pool(cases, 2, async ({ i, text, data: { d, file } }) => {
      const want = await amtool(text, file);
      const got = vigil(t, text, d);
      if (want.ok && got.ok && want.out === got.out) rendered++;
      else if (!want.ok && !got.ok) failedBoth++;
      else
        mismatches.push(
          [
            `#${i} template ${JSON.stringify(text)} with ${file}`,
            `  amtool: ${JSON.stringify(want.ok ? want.out : `ERROR ${want.err}`)}`,
            `  vigil:  ${JSON.stringify(got.ok ? got.out : `ERROR ${got.err}`)}`,
          ].join('\n'),
        );
    });
    if (mismatches.length > 0) console.error(`${mismatches.length} mismatches:\n${mismatches.join('\n')}`);
    expect(mismatches).toEqual([]);
    // Most generated templates must render (an error on both sides proves little).
    expect(rendered).toBeGreaterThanOrEqual(200);
    expect(rendered + failedBoth).toBe(TEMPLATES);
  }, 600_000);

  it('HTML templates (email.default.html and attribute/URL contexts) as amtool --template.type=html', async () => {
    const t = Templates.fromGlobs([]);
    const texts = [
      '{{ template "email.default.html" . }}',
      '<a href="{{ .ExternalURL }}/x?r={{ .Receiver }}&s={{ .Receiver | urlquery }}">{{ .CommonLabels }}</a>',
      '<p title="{{ (index .Alerts 0).Annotations.summary }}">{{ "<b>" | safeHtml }} {{ (index .Alerts 0).Labels.instance }} a+b</p>',
    ];
    const mismatches: string[] = [];
    for (let i = 0; i < DATA_FILES; i++) {
      const d = genData(SEED + i);
      const file = join(dir, `html${i}.json`);
      writeFileSync(file, JSON.stringify(d));
      for (const text of texts) {
        const want = await amtool(text, file, 'html');
        const got = vigil(t, text, d, true);
        if (!want.ok || !got.ok || want.out !== got.out)
          mismatches.push(
            `${text.slice(0, 40)} on ${file}:\n  amtool ${JSON.stringify(want)}\n  vigil  ${JSON.stringify(got)}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);
});
