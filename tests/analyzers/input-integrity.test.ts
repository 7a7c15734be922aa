import { mkdtempSync, readFileSync, symlinkSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { listFindings, listRuns, type AnalysisDb } from '../../core/index.js';
import { analyzersSchema } from '../../analyzers/config.js';
import { runAnalysis } from '../../analyzers/run/runner.js';
import { describeStores } from '../helpers/stores.js';
import { CORPUS, textOf } from './corpus.js';

const CONN = `${CORPUS}zeek-tsv/rita-proxy/conn.log`;
const DNS_GZ = `${CORPUS}zeek-tsv/zed-sample-data/dns.log.gz`;
const SSH_GZ = `${CORPUS}zeek-tsv/rita-missing-host/2024-04-19/ssh.10:00:00-11:00:00.log.gz`;

/** The header lines and data lines of a real Zeek TSV log. */
function split(path: string): { header: string[]; data: string[] } {
  const lines = textOf(path).split('\n');
  return {
    header: lines.filter((l) => l.startsWith('#') && !l.startsWith('#close')),
    data: lines.filter((l) => l !== '' && !l.startsWith('#')),
  };
}

const totalCount = async (db: Kysely<AnalysisDb>): Promise<number> =>
  (await listFindings(db, {})).reduce((a, f) => a + f.count, 0);

describeStores('no input silently lost or counted twice', (getStore) => {
  it('two inputs sharing their first KiB are two files: both read whole, each from its own offset', async () => {
    const { header, data } = split(CONN);
    const shared = [...header, ...data.slice(0, 20)].join('\n') + '\n';
    expect(Buffer.byteLength(shared)).toBeGreaterThan(1024);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-head-'));
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log');
    writeFileSync(a, `${shared}${data.slice(20, 300).join('\n')}\n`);
    writeFileSync(b, `${shared}${data.slice(300, 330).join('\n')}\n`);
    const db = getStore().db as Kysely<AnalysisDb>;
    const config = analyzersSchema.parse({ zeek: { paths: [`${dir}/*.log`] }, settle: '1h' });
    const first = await runAnalysis({ db, config });
    const byName = (n: string) => first.run.inputs.find((i) => i.path.endsWith(n));
    expect(byName('a.log')).toMatchObject({ fromOffset: 0, records: 300 });
    expect(byName('b.log')).toMatchObject({ fromOffset: 0, records: 50 });
    // nothing new: nothing read
    expect((await runAnalysis({ db, config })).run.inputs).toHaveLength(0);
    // b grows: only its new lines are read, from its own end
    appendFileSync(b, `${data.slice(330, 340).join('\n')}\n`);
    const third = await runAnalysis({ db, config });
    expect(third.run.inputs).toHaveLength(1);
    expect(third.run.inputs[0]).toMatchObject({ records: 10 });
    expect(third.run.inputs[0]!.path).toBe(b);
  });

  it('a truncated gzip: what was read counts once, and a second run gives identical finding counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-trunc-'));
    const gz = readFileSync(DNS_GZ);
    const cut = join(dir, 'dns.log.gz');
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const rules = mkdtempSync(join(tmpdir(), 'vigil-trunc-rules-'));
    // a rule matching every DNS record: its finding counts are the records the detectors saw
    writeFileSync(
      join(rules, 'all-dns.yml'),
      'title: any DNS\nid: all-dns\nlogsource: {product: zeek, service: dns}\nlevel: info\ndetection:\n  s:\n    query|contains: "."\n  condition: s\n',
    );
    const db = getStore().db as Kysely<AnalysisDb>;
    const config = analyzersSchema.parse({ zeek: { paths: [`${dir}/*.gz`] }, sigma: { rules: [rules] } });
    const first = await runAnalysis({ db, config, detectors: ['sigma'] });
    expect(first.run.status).toBe('partial');
    const input = first.run.inputs[0]!;
    expect(input.records).toBeGreaterThan(10_000);
    expect(input.badRecords).toBe(1);
    expect(JSON.stringify(input)).toMatch(/gzip stream broken after line \d+: unexpected end of file/);
    const counts = await totalCount(db);
    expect(counts).toBeGreaterThan(10_000);
    expect(counts).toBeLessThanOrEqual(input.records);
    const second = await runAnalysis({ db, config, detectors: ['sigma'] });
    expect(second.run.inputs).toHaveLength(0);
    expect(await totalCount(db)).toBe(counts);
  });

  it('never follows a symbolic link in a log folder: the link is listed as not read, its target unread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-link-'));
    const outside = mkdtempSync(join(tmpdir(), 'vigil-secret-'));
    writeFileSync(join(outside, 'private.log'), readFileSync(CONN));
    const { header, data } = split(CONN);
    writeFileSync(join(dir, 'conn.log'), `${[...header, ...data.slice(0, 5)].join('\n')}\n`);
    symlinkSync(join(outside, 'private.log'), join(dir, 'other.log'));
    mkdirSync(join(dir, 'sub'));
    symlinkSync(outside, join(dir, 'sub', 'linked-dir'));
    const db = getStore().db as Kysely<AnalysisDb>;
    const config = analyzersSchema.parse({ zeek: { paths: [`${dir}/**/*.log`] } });
    const res = await runAnalysis({ db, config });
    expect(res.run.status).toBe('partial');
    const records = res.run.inputs.reduce((a, i) => a + i.records, 0);
    expect(records).toBe(5);
    const link = res.run.inputs.find((i) => i.path.endsWith('other.log'));
    expect(JSON.stringify(link)).toMatch(/symbolic link not followed/);
    expect(res.run.inputs.some((i) => i.path.includes('linked-dir'))).toBe(false);
  });

  it('an uncompilable Sigma rule is reported and skipped: the others run and the run is partial', async () => {
    const rules = mkdtempSync(join(tmpdir(), 'vigil-sigma-'));
    writeFileSync(
      join(rules, 'good.yml'),
      'title: SSH from anywhere\nid: g1\nlogsource: {product: zeek, service: ssh}\nlevel: low\ndetection:\n  s: {auth_success: false}\n  condition: s\n',
    );
    writeFileSync(
      join(rules, 'bad.yml'),
      'title: Bad\nid: b1\nlogsource: {product: zeek, service: ssh}\ndetection:\n  s:\n    client|base64offset|contains: x\n  condition: s\n',
    );
    const db = getStore().db as Kysely<AnalysisDb>;
    const config = analyzersSchema.parse({ sigma: { rules: [rules] } });
    const res = await runAnalysis({ db, config, inputs: [SSH_GZ], detectors: ['sigma'] });
    expect(res.run.status).toBe('partial');
    expect(res.findings.some((f) => f.title === 'Sigma: SSH from anywhere')).toBe(true);
    const problems = (
      res.run.summary as { sigmaProblems?: { file: string; line: number; message: string }[] }
    ).sigmaProblems;
    expect(problems).toEqual([
      expect.objectContaining({
        file: join(rules, 'bad.yml'),
        line: 6,
        message: expect.stringMatching(/base64offset/),
      }),
    ]);
  });

  it('a run summary counts every new finding, also beyond 10,000', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-many-'));
    const head = [
      '#separator \\x09',
      '#set_separator\t,',
      '#empty_field\t(empty)',
      '#unset_field\t-',
      '#path\tconn',
      '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration',
      '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tinterval',
    ];
    const n = 10_050;
    const rows = Array.from(
      { length: n },
      (_, i) =>
        `${1_700_000_000 + i}\tC${i}\t10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}\t40000\t192.0.2.1\t443\ttcp\t7200.0`,
    );
    writeFileSync(join(dir, 'conn.log'), `${[...head, ...rows].join('\n')}\n`);
    const db = getStore().db as Kysely<AnalysisDb>;
    const res = await runAnalysis({
      db,
      config: analyzersSchema.parse({}),
      inputs: [dir],
      detectors: ['long-connections'],
    });
    expect(res.run.inputs[0]!.records).toBe(n);
    expect(res.newFindings).toHaveLength(n);
    expect((res.run.summary as { newPerDetector: Record<string, number> }).newPerDetector).toEqual({
      'long-connections': n,
    });
  });

  it("shows a run's progress in its run record while it runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-progress-'));
    writeFileSync(join(dir, 'ssh.1.log.gz'), readFileSync(SSH_GZ));
    writeFileSync(
      join(dir, 'ssh.2.log.gz'),
      gzipSync(textOf(SSH_GZ).replace(/#open\t[^\n]+/, '#open\t2024-04-19-11-00-00')),
    );
    const db = getStore().db as Kysely<AnalysisDb>;
    const seen: unknown[] = [];
    await runAnalysis({
      db,
      config: analyzersSchema.parse({}),
      inputs: [dir],
      onProgress: async (p) => {
        if (p.filesDone !== 1) return;
        const running = (await listRuns(db, { analyzer: 'ids' })).find((r) => r.status === 'running');
        seen.push(running?.summary?.progress);
      },
    });
    expect(seen[0]).toMatchObject({ filesDone: 1, filesTotal: 2 });
    expect((seen[0] as { records: number }).records).toBeGreaterThan(0);
  });
});
