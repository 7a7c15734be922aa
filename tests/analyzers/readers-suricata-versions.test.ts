import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CORPUS, corpusFiles, readAll } from './corpus.js';

const FIX = fileURLToPath(new URL('../fixtures/suricata/', import.meta.url));

describe('Suricata EVE from three versions (4.1.4, 6.0, 7.0.10)', () => {
  it('4.1.4: DNS version 1 answer events become answers, version 2 answer events keep theirs', async () => {
    const { records, result } = await readAll(`${FIX}eve-dns-4.1.4-excerpt.log`);
    expect(result.badRecords).toBe(0);
    const dns = records.map((r) => r.fields.dns as Record<string, unknown>);
    expect(dns.map((d) => d.type)).toEqual(['request', 'response', 'request', 'response', 'response']);
    expect(dns[0]!.queries).toEqual([{ rrname: 'google.com', rrtype: 'AAAA' }]);
    expect(dns[1]!.answers).toEqual([
      { rrname: 'google.com', rrtype: 'AAAA', ttl: 272, rdata: '2607:f8b0:4006:0805:0000:0000:0000:200e' },
    ]);
    // v1: the answer record is an answer, not a query for the CNAME target
    expect(dns[3]).toMatchObject({
      queries: [],
      answers: [
        { rrname: 'www.yahoo.com', rrtype: 'CNAME', ttl: 1315, rdata: 'atsv2-fp-shed.wg1.b.yahoo.com' },
      ],
    });
    expect(dns[4]!.answers).toEqual([
      { rrname: 'atsv2-fp-shed.wg1.b.yahoo.com', rrtype: 'A', ttl: 15, rdata: '98.138.219.232' },
    ]);
  });

  it('6.0: an alert with a non-UTC offset reads with its exact time', async () => {
    const { records, result } = await readAll(`${FIX}eve-6.0.log`);
    expect(result.badRecords).toBe(0);
    expect(records[0]).toMatchObject({ path: 'eve.alert', ts: 1_611_707_291.488362 });
  });

  it('7.0.10 (the corpus): every file reads without a bad record', async () => {
    for (const f of corpusFiles('suricata-eve/generated-suricata-7.0.10')) {
      const { result } = await readAll(f);
      expect(result.badRecords, f.slice(CORPUS.length)).toBe(0);
    }
  });
});
