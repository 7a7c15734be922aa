import { describe, expect, it } from 'vitest';
import { compileSigmaRule, loadSigmaRules, type CompiledSigmaRule } from '../../analyzers/sigma/index.js';
import { CORPUS, corpusFiles, readAll } from './corpus.js';

const rules = loadSigmaRules([`${CORPUS}rules/sigma-zeek`]);
const rule = (file: string): CompiledSigmaRule => rules.find((r) => r.file.endsWith(`${file}.yml`))!;

describe('the six SigmaHQ Zeek rules of the corpus', () => {
  it('all compile, each for its Zeek log', () => {
    expect(rules.map((r) => `${r.path}:${r.level}`).sort()).toEqual([
      'dns:low',
      'dns:medium',
      'dns:medium',
      'http:medium',
      'rdp:high',
      'x509:high',
    ]);
  });

  it.each([
    [
      'zeek_default_cobalt_strike_certificate',
      { 'certificate.serial': '8BB00EE' },
      { 'certificate.serial': '8BB00EF' },
    ],
    [
      'zeek_dns_mining_pools',
      { query: 'pool.MineXMR.com', answers: ['1.2.3.4'], rejected: false },
      { query: 'pool.minexmr.com', answers: ['127.0.0.1'], rejected: false },
    ],
    [
      'zeek_dns_mining_pools',
      { query: 'xmrpool.eu', rejected: false },
      { query: 'xmrpool.eu', rejected: true },
    ],
    [
      'zeek_dns_susp_zbit_flag',
      { Z: 1, query: 'evil.example.com', qtype_name: 'A', 'id.resp_p': 53, answers: ['1.2.3.4'] },
      { Z: 1, query: 'evil.example.com', qtype_name: 'A', 'id.resp_p': 137 },
    ],
    [
      'zeek_dns_susp_zbit_flag',
      { Z: 1, query: 'a.example.org', qtype_name: 'A', 'id.resp_p': 53 },
      { Z: 0, query: 'a.example.org', qtype_name: 'A', 'id.resp_p': 53 },
    ],
    [
      'zeek_dns_susp_zbit_flag',
      { Z: 1, query: 'b.example.org', qtype_name: 'AAAA', 'id.resp_p': 53 },
      { Z: 1, query: '1.0.0.10.in-addr.arpa', qtype_name: 'PTR', 'id.resp_p': 53 },
    ],
    ['zeek_dns_torproxy', { query: 'abcdef.onion.ca' }, { query: 'onion.ca.example.com' }],
    [
      'zeek_http_susp_file_ext_from_susp_tld',
      { host: 'files.example.tk', uri: '/drop/payload.EXE' },
      { host: 'files.example.tk', uri: '/index.html' },
    ],
    [
      'zeek_http_susp_file_ext_from_susp_tld',
      { host: 'x.xyz', uri: '/', resp_mime_types: ['application/x-dosexec'] },
      { host: 'x.com', uri: '/a.exe', resp_mime_types: ['application/x-dosexec'] },
    ],
    ['zeek_rdp_public_listener', { 'id.orig_h': '198.51.100.7' }, { 'id.orig_h': '172.20.1.1' }],
    ['zeek_rdp_public_listener', { 'id.orig_h': '2001:db8::1' }, { 'id.orig_h': 'fe80::1' }],
  ])('%s fires on the crafted record and not on its near miss', (name, hit, miss) => {
    const r = rule(name);
    expect(r.match(hit)).toBe(true);
    expect(r.match(miss)).toBe(false);
  });

  const corpusLogs = [
    ...corpusFiles('zeek-tsv/zed-sample-data'),
    ...corpusFiles('zeek-tsv/rita-proxy'),
    ...corpusFiles('zeek-tsv/rita-missing-host').filter((f) => /\/dns\./.test(f)),
  ];

  it('stays quiet on the real corpus where it should; the Z-bit rule fires only on Z ≠ 0', async () => {
    const hits = new Map<string, number>();
    let zHits = 0;
    for (const f of corpusLogs) {
      for (const r of (await readAll(f)).records) {
        for (const rl of rules) {
          if (rl.path !== r.path || !rl.match(r.fields)) continue;
          hits.set(rl.title, (hits.get(rl.title) ?? 0) + 1);
          if (rl.file.includes('zbit')) {
            expect(r.fields.Z).not.toBe(0);
            zHits++;
          }
        }
      }
    }
    expect([...hits.keys()].filter((t) => !/Z Flag/.test(t))).toEqual([]);
    expect(zHits).toBe(hits.get('Suspicious DNS Z Flag Bit Set') ?? 0);
  });
});

const yaml = (detection: string): string =>
  `title: t\nid: t1\nlogsource: {product: zeek, service: conn}\nlevel: high\ndetection:\n${detection}`;

describe('Sigma compiler', () => {
  it.each([
    [
      '  a: {proto: tcp}\n  b: {service: ssh}\n  condition: all of them',
      { proto: 'tcp', service: 'ssh' },
      true,
    ],
    [
      '  a: {proto: tcp}\n  b: {service: ssh}\n  condition: all of them',
      { proto: 'tcp', service: 'http' },
      false,
    ],
    [
      '  sel_a: {proto: udp}\n  sel_b: {service: ssh}\n  condition: 1 of sel_*',
      { proto: 'tcp', service: 'ssh' },
      true,
    ],
    ['  s:\n    history|contains|all: [S, h]\n  condition: s', { history: 'ShAdDaf' }, true],
    ['  s:\n    history|contains|all: [S, q]\n  condition: s', { history: 'ShAdDaf' }, false],
    ['  s:\n    uid|re: "^C[A-Z]{3}"\n  condition: s', { uid: 'CABCdef' }, true],
    ['  s:\n    service|startswith: SS\n  condition: s', { service: 'ssh' }, true],
    ['  s:\n    service: "*.exa?ple.com"\n  condition: s', { service: 'www.example.com' }, true],
    ['  s:\n    service: "a\\\\*b"\n  condition: s', { service: 'a*b' }, true],
    ['  s:\n    service: "a\\\\*b"\n  condition: s', { service: 'axxb' }, false],
    ['  s:\n    local_orig: null\n  condition: s', {}, true],
    [
      '  s:\n    - {proto: udp}\n    - {service: ssh}\n  condition: s and not (t or u)\n  t: {uid: X}\n  u: {uid: Y}',
      { service: 'ssh', uid: 'Z' },
      true,
    ],
  ])('%#', (det, rec, want) => {
    expect(compileSigmaRule(yaml(det), 'r.yml').match(rec)).toBe(want);
  });

  it.each([
    ['  s:\n    a|base64offset: x\n  condition: s', /unsupported Sigma modifier "base64offset"/],
    ['  s: {a: 1}\n  condition: s and missing', /no search named "missing"/],
    ['  s: {a: 1}\n  condition: s and (s', /missing "\)"/],
    ['  s:\n    a|cidr: notacidr\n  condition: s', /not a CIDR/],
  ])('rejects %#, naming the problem', (det, msg) => {
    expect(() => compileSigmaRule(yaml(det), 'r.yml')).toThrow(msg);
  });
});
