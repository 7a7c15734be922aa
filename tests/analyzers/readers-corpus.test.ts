import { describe, expect, it } from 'vitest';
import { recordToNdjson } from '../../analyzers/readers/index.js';
import { CORPUS, corpusFiles, decanonified, readAll, textOf } from './corpus.js';

/** Data lines of a file, counted without the parser: not empty, not a `#` meta/comment line. */
const dataLines = (text: string, prefix = '#'): number =>
  text.split('\n').filter((l) => l !== '' && !l.startsWith(prefix) && !l.startsWith('#')).length;

// Files that are bad on purpose, with what the reader must say about them.
const EDGE: Record<string, { records: number; bad: number; firstBadLine: number; message: RegExp }> = {
  'truncated_conn.log': { records: 58, bad: 1, firstBadLine: 67, message: /columns/ },
  'truncated_conn_top.log': { records: 0, bad: 59, firstBadLine: 1, message: /no Zeek #fields header/ },
  'truncated_conn_json.log': { records: 2, bad: 2, firstBadLine: 3, message: /port 93145 out of range/ },
  'text_file_conn.log': { records: 0, bad: 5, firstBadLine: 1, message: /not a Zeek log/ },
  'has_unknown_field_http.log': {
    records: 4,
    bad: 1,
    firstBadLine: 9,
    message: /29 columns, the #fields header names 30/,
  },
};

const plainCorpus = [
  ...corpusFiles('zeek-tsv'),
  ...corpusFiles('zeek-json'),
  ...corpusFiles('suricata-eve'),
].filter((f) => !f.includes('zeek-btest-baseline') && !EDGE[f.split('/').pop()!]);

describe('every corpus log reads completely', () => {
  it.each(plainCorpus.map((f) => [f.slice(CORPUS.length), f]))('%s', async (_name, file) => {
    const { records, result } = await readAll(file);
    expect(result.badRecords, JSON.stringify(result.errors.slice(0, 3))).toBe(0);
    expect(result.records).toBe(dataLines(textOf(file)));
    expect(records.length).toBe(result.records);
    for (const r of records) expect(Number.isFinite(r.ts), `${file}:${r.line} ts`).toBe(true);
  });

  it.each(corpusFiles('zeek-tsv/zeek-btest-baseline').map((f) => [f.split('/').pop()!, f]))(
    'btest baseline %s',
    async (_n, file) => {
      const { result } = await readAll(decanonified(file));
      expect(result.badRecords, JSON.stringify(result.errors.slice(0, 3))).toBe(0);
      expect(result.records).toBe(dataLines(textOf(file)));
    },
  );
});

describe('bad input is counted per file with its line, and skipped', () => {
  it.each(Object.entries(EDGE))('%s', async (name, want) => {
    const { result } = await readAll(`${CORPUS}zeek-tsv/rita-edge-cases/${name}`);
    expect(result.records).toBe(want.records);
    expect(result.badRecords).toBe(want.bad);
    expect(result.errors[0]!.line).toBe(want.firstBadLine);
    expect(result.errors[0]!.message).toMatch(want.message);
  });
});

describe('Zeek TSV and JSON forms of the same records normalise identically (zed-sample-data)', () => {
  it.each(['dns', 'ssl', 'x509', 'notice', 'ssh', 'software'])('%s', async (name) => {
    const tsv = await readAll(`${CORPUS}zeek-tsv/zed-sample-data/${name}.log.gz`);
    const json = await readAll(`${CORPUS}zeek-json/zed-sample-data/${name}.json.gz`);
    expect(tsv.records.length).toBeGreaterThan(0);
    expect(tsv.records.length).toBe(json.records.length);
    for (let i = 0; i < tsv.records.length; i++) {
      const a = recordToNdjson(tsv.records[i]!);
      const b = recordToNdjson(json.records[i]!);
      if (a !== b) expect(a, `record ${i}`).toBe(b);
    }
  });
});

describe('Suricata EVE', () => {
  it('reads every event type the corpus holds, with ISO time', async () => {
    const seen = new Set<string>();
    for (const f of corpusFiles('suricata-eve')) for (const r of (await readAll(f)).records) seen.add(r.path);
    for (const t of ['alert', 'flow', 'http', 'dns', 'tls', 'fileinfo', 'ssh', 'smb', 'krb5', 'anomaly'])
      expect(seen).toContain(`eve.${t}`);
  });

  it('normalises DNS version 2 (query/answer, flat rrname) to version 3 queries[]', async () => {
    const { records } = await readAll(`${CORPUS}suricata-eve/generated-suricata-7.0.10/dns_dns-eve.eve.json`);
    const q = records.find((r) => r.path === 'eve.dns')!;
    expect(q.fields.dns).toMatchObject({
      version: 2,
      type: 'request',
      queries: [{ rrname: 'client-cf.dropbox.com', rrtype: 'A' }],
    });
    expect(recordToNdjson(q)).toContain('"ts":"2016-05-24T23:27:01.960780Z"');
  });
});
