import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEveLine, readLog, recordToNdjson, type ReadResult } from '../../analyzers/readers/index.js';
import type { LogRecord } from '../../analyzers/types.js';
import { CORPUS, readAll, textOf } from './corpus.js';

const tmp = mkdtempSync(join(tmpdir(), 'vigil-formats-'));
const CONN = `${CORPUS}zeek-tsv/rita-proxy/conn.log`;
const EVE = `${CORPUS}suricata-eve/generated-suricata-7.0.10/dns_dns-eve.eve.json`;

const write = (name: string, body: string | Buffer): string => {
  const p = join(tmp, name);
  writeFileSync(p, body);
  return p;
};

async function readWith(
  path: string,
  opts: Parameters<typeof readLog>[1],
): Promise<{ records: LogRecord[]; result: ReadResult }> {
  const it = readLog(path, opts);
  const records: LogRecord[] = [];
  for (;;) {
    const n = await it.next();
    if (n.done) return { records, result: n.value };
    records.push(...n.value);
  }
}

const ndjson = (rs: LogRecord[]): string[] => rs.map((r) => recordToNdjson(r).replace(/"_source"[^,]*,/, ''));

describe('formats as real sensors and people write them', () => {
  it('reads a Zeek log behind a UTF-8 byte order mark', async () => {
    const plain = await readAll(CONN);
    const bom = await readAll(
      write('bom_conn.log', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(textOf(CONN))])),
    );
    expect(bom.result.badRecords).toBe(0);
    expect(ndjson(bom.records)).toEqual(ndjson(plain.records));
  });

  it('reads `#separator \\t` written literally as the tab Zeek means', async () => {
    const text = textOf(CONN).replace('#separator \\x09', '#separator \\t');
    expect(text.startsWith('#separator \\t\n')).toBe(true);
    const r = await readAll(write('literal_sep_conn.log', text));
    expect(r.result.badRecords).toBe(0);
    expect(r.records).toHaveLength(463);
  });

  it('says once what a pretty-printed EVE array is, instead of one bad record per line', async () => {
    const events = textOf(EVE)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    const r = await readAll(write('eve-array.json', JSON.stringify(events, null, 2)));
    expect(r.records).toHaveLength(0);
    expect(r.result.badRecords).toBe(1);
    expect(r.result.errors[0]!.message).toMatch(
      /pretty-printed JSON or a JSON array, not one JSON object per line/,
    );
  });

  it('keeps integers above 2^53 exact, the same in the TSV and JSON forms', async () => {
    const big = '18446744073709551615';
    const tsv = textOf(CONN).split('\n');
    const at = tsv.findIndex((l) => l !== '' && !l.startsWith('#'));
    const fields = tsv
      .find((l) => l.startsWith('#fields'))!
      .split('\t')
      .slice(1);
    const cols = tsv[at]!.split('\t');
    cols[fields.indexOf('orig_bytes')] = big;
    tsv[at] = cols.join('\t');
    const a = await readAll(write('big_conn.log', tsv.join('\n')));
    expect(a.records[0]!.fields.orig_bytes).toBe(big);
    const json = `{"_path":"conn","ts":"2023-01-04T17:40:00.000000Z","uid":"C1","orig_bytes":${big},"duration":1.5e-7}\n`;
    const b = await readAll(write('big_conn.json', json));
    expect(b.result.badRecords).toBe(0);
    expect(b.records[0]!.fields.orig_bytes).toBe(big);
    expect(b.records[0]!.fields.duration).toBe(0);
    const eve = parseEveLine(
      '{"timestamp":"2016-05-24T23:27:01.960780+0000","flow_id":2251799813685249123,"event_type":"flow","src_ip":"10.0.0.1"}',
      'x',
      1,
    );
    expect(eve.kind === 'record' && eve.rec.fields.flow_id).toBe('2251799813685249123');
  });

  it('keeps bytes that are not UTF-8 as \\xHH text (what Zeek writes for them), never U+FFFD', async () => {
    const text = textOf(CONN).split('\n');
    const at = text.findIndex((l) => l !== '' && !l.startsWith('#'));
    const fields = text
      .find((l) => l.startsWith('#fields'))!
      .split('\t')
      .slice(1);
    const cols = text[at]!.split('\t');
    cols[fields.indexOf('history')] = 'Sh\u0000';
    text[at] = cols.join('\t');
    const buf = Buffer.from(text.join('\n')).toString('latin1').replace('Sh\u0000', 'Sh\u00ff');
    const r = await readAll(write('latin_conn.log', Buffer.from(buf, 'latin1')));
    expect(r.result.badRecords).toBe(0);
    expect(r.records[0]!.fields.history).toBe('Sh\\xff');
  });

  it('counts a line over the cap as one bad record and reads the lines around it', async () => {
    const lines = textOf(CONN).split('\n');
    const first = lines.findIndex((l) => l !== '' && !l.startsWith('#'));
    const huge = 'x'.repeat(3 << 20);
    lines.splice(first + 2, 0, huge);
    const p = write('long_conn.log', lines.join('\n'));
    const r = await readWith(p, { maxLineBytes: 1 << 20 });
    expect(r.records).toHaveLength(463);
    expect(r.result.badRecords).toBe(1);
    expect(r.result.errors[0]).toMatchObject({
      line: first + 3,
      message: expect.stringMatching(/3145728 bytes is over the 1048576-byte cap/),
    });
  });

  it('refuses JSON nested deeper than any log record as a bad record', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const good = '{"_path":"conn","ts":"2023-01-04T17:40:00.000000Z","uid":"C1"}';
    const r = await readAll(write('deep_conn.json', `${good}\n${deep}\n${good}\n`));
    expect(r.records).toHaveLength(2);
    expect(r.result.errors[0]).toMatchObject({ line: 2, message: 'JSON nested deeper than 64 levels' });
  });

  it('reads Suricata 4.x DNS version 1 answer events as answers, not as queries', () => {
    const r = parseEveLine(
      '{"timestamp":"2017-06-01T10:00:00.000000+0000","event_type":"dns","src_ip":"10.0.0.53","dest_ip":"10.0.0.2","dns":{"type":"answer","id":16000,"rcode":"NOERROR","rrname":"www.suricata-ids.org","rrtype":"A","ttl":150,"rdata":"192.0.78.24"}}',
      'eve.json',
      1,
    );
    expect(r.kind === 'record' && r.rec.fields.dns).toEqual({
      type: 'response',
      id: 16000,
      rcode: 'NOERROR',
      queries: [],
      answers: [{ rrname: 'www.suricata-ids.org', rrtype: 'A', ttl: 150, rdata: '192.0.78.24' }],
    });
  });
});
