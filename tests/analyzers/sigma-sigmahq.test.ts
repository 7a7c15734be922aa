import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSigmaRuleSet, type CompiledSigmaRule } from '../../analyzers/sigma/index.js';
import { CORPUS, readAll } from './corpus.js';

const DIR = fileURLToPath(new URL('../fixtures/sigma/sigmahq/', import.meta.url));
const set = loadSigmaRuleSet([DIR]);
const rel = (f: string): string => f.slice(DIR.length);
const rule = (file: string): CompiledSigmaRule => {
  const r = set.rules.find((x) => x.file.endsWith(file));
  if (!r) throw new Error(`${file} did not compile`);
  return r;
};

describe("SigmaHQ's Zeek and generic network rules as published", () => {
  it('every rule file is compiled or refused with its line and a reason', () => {
    expect(set.rules.length + set.problems.length).toBe(65);
    expect(set.problems.map((p) => `${rel(p.file)}:${p.line}: ${p.message}`)).toEqual([
      expect.stringMatching(
        /^rules\/network\/firewall\/net_firewall_cleartext_protocols\.yml:86: rule refused \(Cleartext Protocol Usage\): .*can never match here: it needs "action", "blocked", which Zeek's conn log never has/,
      ),
      expect.stringMatching(
        /^unsupported\/zeek\/zeek_http_exfiltration_compressed_files\.yml:\d+: rule refused .*can never match here: it needs "mime_types"/,
      ),
    ]);
    // cs-cookie (the CobaltStrike proxy rule) reads Zeek's cookie_vars: no field is missing
    expect(set.warnings).toEqual([]);
  });

  it('maps the generic categories to Zeek logs', () => {
    const byCategory = (prefix: string) => set.rules.filter((r) => rel(r.file).startsWith(prefix));
    expect(new Set(byCategory('rules/web/proxy_generic/').map((r) => r.path))).toEqual(new Set(['http']));
    expect(new Set(byCategory('rules/network/dns/').map((r) => r.path))).toEqual(new Set(['dns']));
  });

  it.each([
    ['proxy_ua_rclone.yml', { user_agent: 'rclone/v1.62.2', uri: '/' }, { user_agent: 'curl/8.0', uri: '/' }],
    [
      'proxy_download_susp_tlds_whitelist.yml',
      { host: 'cdn.example.xyz', uri: '/drop/payload.exe?x=1', method: 'GET' },
      { host: 'cdn.example.com', uri: '/drop/payload.exe?x=1', method: 'GET' },
    ],
    [
      'net_dns_susp_txt_exec_strings.yml',
      { qtype_name: 'TXT', answers: ['powershell IEX (New-Object Net.WebClient)'], query: 'x.example' },
      { qtype_name: 'A', answers: ['powershell IEX (New-Object Net.WebClient)'], query: 'x.example' },
    ],
    [
      'zeek_susp_kerberos_rc4.yml',
      { request_type: 'TGS', cipher: 'rc4-hmac', service: 'cifs/fs01.corp' },
      { request_type: 'TGS', cipher: 'rc4-hmac', service: '$fs01' },
    ],
    [
      'zeek_smb_converted_win_susp_psexec.yml',
      { path: '\\\\fs01\\IPC$', name: 'remcom_communication-stdin' },
      { path: '\\\\fs01\\IPC$', name: 'PSEXESVC-host-stdin' },
    ],
  ])('%s fires on a crafted Zeek record and not on its near miss', (file, hit, miss) => {
    const r = rule(file);
    expect(r.match(hit)).toBe(true);
    expect(r.match(miss)).toBe(false);
  });

  it('the DNS and proxy rules run over real Zeek logs without a hit where none belongs', async () => {
    const dns = set.rules.filter((r) => r.path === 'dns');
    const http = set.rules.filter((r) => r.path === 'http');
    const hits: string[] = [];
    for (const [file, rules] of [
      [`${CORPUS}zeek-tsv/rita-proxy/dns.log`, dns],
      [`${CORPUS}zeek-tsv/rita-proxy/http.log`, http],
    ] as const) {
      const { records } = await readAll(file);
      expect(records.length).toBeGreaterThan(100);
      for (const rec of records) for (const r of rules) if (r.match(rec.fields)) hits.push(r.title);
    }
    expect([...new Set(hits)].sort()).toEqual([]);
  });
});
