import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIsoMicros, parseIsoSeconds, recordToNdjson } from '../../analyzers/readers/index.js';
import { CORPUS, decanonified, readAll } from './corpus.js';

const fixture = (name: string): string => decanonified(`${CORPUS}zeek-escaping/${name}`);
const tmp = mkdtempSync(join(tmpdir(), 'vigil-readers-'));

// Zeek's own escaping baselines (testing/btest/Baseline/scripts.base.frameworks.logging.*):
// what the writer wrote, and the value it was given.
describe("Zeek's ASCII escaping fixtures read back exactly", () => {
  it.each([
    ['ascii-escape_ssh.log', 'status', ['success', 'failure', 'fa||ure', 'su||ess', 'failure']],
    [
      'ascii-escape-binary_test.log',
      's',
      [
        // control bytes read as the text Zeek's JSON writer prints for them (\xHH), so both forms agree
        'AB\\x00CD\\x00',
        'AB\\xffCD\\x00',
        'AB\\xffCD\\x00',
        ' ',
        'abc\\x00def',
        ' ',
        'abc\\x00def',
        ' ',
        'foo ® bar \\xc2\\xae baz',
        'foo\\x00bar\\0baz',
        'foo \\x0e bar ^N baz',
      ],
    ],
    ['ascii-escape-notset-str_test.log', 'x', ['-']],
    ['ascii-escape-notset-str_test.log', 'z', ['']],
    ['ascii-escape-empty-str_test.log', 'ss', [['EMPTY']]],
    ['ascii-escape-set-separator_test.log', 'ss', [[',', 'CC', ',,', 'AA']]],
    ['ascii-line-like-comment_test.log', 'data', ['Test1', '#Kaputt', 'Test2']],
    ['ascii-utf8-enabled-set-separator-escape_test.log', 'ss', [['®']]],
    ['ascii-utf8-enabled_test.log', 's', ['foo ® bar', 'दुनिया को नमस्ते', 'hello 𠜎']],
    ['ascii-tsv_ssh-filtered.log', 'country', ['unknown', 'US', 'UK', 'BR', '']],
    ['ascii-empty_ssh-filtered.log', 'status', ['success', undefined, 'failure', undefined, 'failure']],
  ])('%s: %s', async (file, field, want) => {
    const { records, result } = await readAll(fixture(file));
    expect(result.badRecords).toBe(0);
    expect(records.map((r) => r.fields[field])).toEqual(want);
  });

  it('keeps the unset field out of the record and the count typed', async () => {
    const { records } = await readAll(fixture('ascii-escape-notset-str_test.log'));
    expect(records[0]!.fields).toEqual({ x: '-', z: '' });
    const c = await readAll(fixture('ascii-line-like-comment_test.log'));
    expect(c.records.map((r) => r.fields.c)).toEqual([42, 42, 42]);
  });

  it('prints ISO timestamps back exactly, also before the epoch', async () => {
    const text = readFileSync(`${CORPUS}zeek-escaping/ascii-json-iso-timestamps_ssh.log`, 'utf8');
    const want = [...text.matchAll(/"t":"([^"]+)"/g)].map((m) => m[1]!);
    const { records } = await readAll(`${CORPUS}zeek-escaping/ascii-json-iso-timestamps_ssh.log`);
    expect(records.map((r) => JSON.parse(recordToNdjson(r)).t)).toEqual(want);
    expect(formatIsoMicros(parseIsoSeconds('1969-12-31T23:59:59.600000Z'))).toBe(
      '1969-12-31T23:59:59.600000Z',
    );
  });
});

const HEADER = (path: string, fields: string[], types: string[]): string =>
  [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    `#path\t${path}`,
    '#open\t2024-01-01-00-00-00',
    `#fields\t${fields.join('\t')}`,
    `#types\t${types.join('\t')}`,
  ].join('\n') + '\n';

describe('Zeek TSV edge cases', () => {
  it('a new header block mid-file (concatenated logs) switches schema', async () => {
    const f = join(tmp, 'cat.log');
    writeFileSync(
      f,
      HEADER('conn', ['ts', 'id.orig_h', 'id.resp_p'], ['time', 'addr', 'port']) +
        '1.5\t10.0.0.1\t22\n#close\t2024-01-01-01-00-00\n' +
        HEADER('dns', ['ts', 'query', 'TTLs'], ['time', 'string', 'vector[interval]']) +
        '2.25\texample.com\t1.000000,2.500000\n',
    );
    const { records, result } = await readAll(f);
    expect(result.badRecords).toBe(0);
    expect(records.map((r) => [r.path, r.fields])).toEqual([
      ['conn', { ts: 1.5, 'id.orig_h': '10.0.0.1', 'id.resp_p': 22 }],
      ['dns', { ts: 2.25, query: 'example.com', TTLs: [1, 2.5] }],
    ]);
  });

  it('an out-of-range port is a bad record with its line; the rest is read', async () => {
    const f = join(tmp, 'port.log');
    writeFileSync(f, HEADER('conn', ['ts', 'id.resp_p'], ['time', 'port']) + '1\t80\n2\t70000\n3\t443\n');
    const { records, result } = await readAll(f);
    expect(records.map((r) => r.fields['id.resp_p'])).toEqual([80, 443]);
    expect(result.errors).toEqual([
      { file: f, line: 10, message: expect.stringMatching(/port "70000" out of range/) as string },
    ]);
  });

  it('keeps extra _ columns (zeekctl _node_name) and reads gzip and plain alike', async () => {
    const gz = `${CORPUS}zeek-tsv/rita-missing-host/2024-04-19/conn.00:00:00-01:00:00.log.gz`;
    const plain = join(tmp, 'conn.log');
    const { gunzipSync } = await import('node:zlib');
    writeFileSync(plain, gunzipSync(readFileSync(gz)));
    const a = await readAll(gz);
    const b = await readAll(plain);
    expect(a.records[0]!.fields._node_name).toBe('worker-eth0-1');
    expect(a.records.map(recordToNdjson)).toEqual(b.records.map(recordToNdjson));
    expect(a.result.endOffset).toBe(b.result.endOffset);
    expect(a.result.sha256).toBe(b.result.sha256);
  });

  it('a live file: the unfinished last line waits unless the file is final', async () => {
    const f = join(tmp, 'live.log');
    const body = HEADER('conn', ['ts', 'uid'], ['time', 'string']) + '1\tA\n2\tB';
    writeFileSync(f, body);
    const { readLog } = await import('../../analyzers/readers/index.js');
    const it1 = readLog(f, { final: false });
    let n = await it1.next();
    const recs = [];
    while (!n.done) {
      recs.push(...n.value);
      n = await it1.next();
    }
    expect(recs.map((r) => r.fields.uid)).toEqual(['A']);
    expect(n.value.pendingBytes).toBe(3);
    writeFileSync(f, `${body}\n3\tC\n`);
    const it2 = readLog(f, { fromOffset: n.value.endOffset, state: n.value.state });
    const more = [];
    for (let m = await it2.next(); !m.done; m = await it2.next()) more.push(...m.value);
    expect(more.map((r) => [r.fields.uid, r.line])).toEqual([
      ['B', 10],
      ['C', 11],
    ]);
  });
});
