import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fg from 'fast-glob';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { CORPUS, textOf } from './corpus.js';

const run = (args: string[]) => runCli(args, { timeoutMs: 90_000 });

describe('vigil logs cat', () => {
  it('prints the same NDJSON for the TSV and JSON forms of a Zeek log', async () => {
    const a = await run(['logs', 'cat', `${CORPUS}zeek-tsv/zed-sample-data/ssh.log.gz`, '--json']);
    const b = await run(['logs', 'cat', `${CORPUS}zeek-json/zed-sample-data/ssh.json.gz`]);
    expect(a.code).toBe(0);
    expect(a.stdout.trim().split('\n')).toHaveLength(22);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout.split('\n')[0]!)).toMatchObject({ _source: 'zeek', _path: 'ssh' });
  });

  it('names each bad line on stderr and exits 1 (bad records), still printing the good records', async () => {
    const r = await run(['logs', 'cat', `${CORPUS}zeek-tsv/rita-edge-cases/truncated_conn_json.log`]);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/truncated_conn_json\.log:3: id\.orig_p: port 93145 out of range/);
    expect(r.stderr).toMatch(/truncated_conn_json\.log:4: broken JSON/);
  });
});

describe('vigil logs cat over folders and broken files', () => {
  it('reads a zeekctl folder recursively, goes on past a broken gzip naming it, and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cat-'));
    const day = join(dir, '2024-04-19');
    mkdirSync(day);
    const src = `${CORPUS}zeek-tsv/rita-missing-host/2024-04-19`;
    const gz = readFileSync(`${src}/ssh.10:00:00-11:00:00.log.gz`);
    writeFileSync(join(day, 'ssh.10:00:00-11:00:00.log.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    writeFileSync(
      join(day, 'ssh.11:00:00-12:00:00.log.gz'),
      readFileSync(`${src}/ssh.11:00:00-12:00:00.log.gz`),
    );
    symlinkSync('/etc/passwd', join(day, 'zz.log'));
    const whole = textOf(`${src}/ssh.11:00:00-12:00:00.log.gz`)
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#')).length;
    const r = await run(['logs', 'cat', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ssh\.10:00:00-11:00:00\.log\.gz:\d+: gzip stream broken after line \d+/);
    expect(r.stderr).toMatch(/zz\.log: not read: symbolic link not followed/);
    const lines = r.stdout.trim().split('\n');
    // the readable half of the broken file, then every record of the next file
    expect(lines.length).toBeGreaterThan(whole);
    expect(r.stdout).not.toMatch(/root:/);
    expect(r.stderr).not.toMatch(/\r/); // no progress line when stderr is not a terminal
  });

  it('exits 0 when every record of every file was read', async () => {
    const r = await run([
      'logs',
      'cat',
      `${CORPUS}zeek-tsv/rita-proxy/conn.log`,
      `${CORPUS}zeek-tsv/rita-proxy/dns.log`,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toHaveLength(463 + 942);
  });
});

describe('vigil config check compiles the Sigma rules', () => {
  it('names each refused rule with its file and line, warns on fields the log never has, exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cfg-sigma-'));
    const rules = join(dir, 'rules');
    mkdirSync(rules);
    writeFileSync(
      join(rules, 'ok.yml'),
      'title: ok\nid: ok\nlogsource: {category: proxy}\ndetection:\n  s1:\n    c-useragent: x\n  s2:\n    s-sitename: y\n  condition: 1 of s*\n',
    );
    writeFileSync(
      join(rules, 'bad.yml'),
      'title: bad\nid: bad\nlogsource: {product: zeek, service: http}\ndetection:\n  s:\n    uri|base64offset|contains: x\n  condition: s\n',
    );
    const file = join(dir, 'vigil.yaml');
    writeFileSync(file, `analyzers:\n  sigma:\n    rules: [${rules}, ${join(dir, 'missing')}]\n`);
    const r = await run(['config', 'check', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      new RegExp(
        `vigil\\.yaml:3:\\d+: .*${join(rules, 'bad.yml')}:6: rule refused \\(bad\\): .*base64offset`,
      ),
    );
    expect(r.stdout).toMatch(/missing: Sigma rules directory does not exist/);
    // without the bad rule and the missing folder the config is valid; the field warning remains
    writeFileSync(
      join(rules, 'bad.yml'),
      'title: fixed\nid: bad\nlogsource: {product: zeek, service: http}\ndetection:\n  s:\n    uri|contains: x\n  condition: s\n',
    );
    writeFileSync(file, `analyzers:\n  sigma:\n    rules: [${rules}]\n`);
    const ok = await run(['config', 'check', '--config', file]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /warning: .*ok\.yml.*field "s-sitename" \(category proxy\) has no equivalent in Zeek's http log/,
    );
  });
});

describe('vigil analyze run / review / report', () => {
  it('runs over inputs, resumes from checkpoints, and records a review in the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
    const cfg = join(dir, 'none.yaml');
    const day = `${CORPUS}zeek-tsv/rita-missing-host/2024-04-19`;
    const inputs = fg.sync(`${day}/{ssh,conn,open_conn}.*.log.gz`).sort();
    const first = await run([
      'analyze',
      'run',
      '--json',
      '--config',
      cfg,
      '--data',
      dir,
      '--input',
      ...inputs,
    ]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(1);
    const out = JSON.parse(first.stdout) as {
      run: { id: string; status: string; inputs: { sha256: string; records: number }[] };
      findings: { detector: string }[];
    };
    expect(out.run.status).toBe('ok');
    expect(out.run.inputs).toHaveLength(72);
    expect(out.run.inputs.every((i) => /^[0-9a-f]{64}$/.test(i.sha256))).toBe(true);
    expect([...new Set(out.findings.map((f) => f.detector))]).toEqual(
      expect.arrayContaining(['brute-force', 'long-connections', 'beaconing']),
    );
    const again = await run([
      'analyze',
      'run',
      '--json',
      '--config',
      cfg,
      '--data',
      dir,
      '--input',
      ...inputs,
    ]);
    const second = JSON.parse(again.stdout) as { run: { inputs: unknown[] }; findings: unknown[] };
    expect(second.run.inputs).toHaveLength(0); // everything was read already
    expect(second.findings).toHaveLength(0);
    expect(again.code).toBe(0);

    const rev = await run([
      'analyze',
      'review',
      out.run.id,
      '--by',
      'Sam Officer',
      '--note',
      'guessing blocked at the firewall',
      '--config',
      cfg,
      '--data',
      dir,
    ]);
    expect(rev.code).toBe(0);
    const html = await run([
      'analyze',
      'report',
      out.run.id,
      '--format',
      'html',
      '--config',
      cfg,
      '--data',
      dir,
    ]);
    expect(html.stdout).toContain('Sam Officer');
    expect(html.stdout).toContain('guessing blocked at the firewall');
    expect(html.stdout).toMatch(/SSH password guessing from/);
    const json = await run([
      'analyze',
      'report',
      out.run.id,
      '--format',
      'json',
      '--out',
      join(dir, 'r.json'),
      '--config',
      cfg,
      '--data',
      dir,
    ]);
    expect(json.code).toBe(0);
    const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as {
      run: { reviewedBy: string; summary: { perDetector: Record<string, number> } };
      newFindings: unknown[];
    };
    expect(rep.run.reviewedBy).toBe('Sam Officer');
    expect(rep.newFindings.length).toBe(out.findings.length);
    expect(rep.run.summary.perDetector['brute-force']).toBeGreaterThan(0);
    const bad = await run(['analyze', 'review', 'no-such-run', '--by', 'x', '--config', cfg, '--data', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no analysis run with id "no-such-run"/);
  }, 120_000);
});

describe('vigil config check proves the analysis cadence', () => {
  it.each([
    ['"0 0,8,16 * * *"', 'UTC', 2],
    ['"0 0,6,12,18 * * *"', 'Europe/Amsterdam', 2],
    ['"0 0,5,10,15,20 * * *"', 'Europe/Amsterdam', 0],
  ])('schedule %s in %s → exit %i', async (schedule, tz, code) => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cfg-'));
    const file = join(dir, 'vigil.yaml');
    writeFileSync(file, `analyzers:\n  schedule: ${schedule}\n  timezone: ${tz}\n`);
    const r = await run(['config', 'check', '--config', file]);
    expect(r.code).toBe(code);
    // the issue text itself is checked in tail-deadman.test.ts (checkSchedule); stdout may be cut on a pipe
    if (code === 2) expect(r.stderr).toMatch(/1 problem found/);
  });
});
