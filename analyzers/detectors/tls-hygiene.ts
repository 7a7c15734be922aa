import type { Severity } from '../../core/index.js';
import type { DetectedFinding, Detector, LogRecord } from '../types.js';
import { Tally, deep, endpoints, num, opt, str, upsert } from './util.js';

type Issue = 'invalid_chain' | 'expired' | 'self_signed' | 'weak_key' | 'old_protocol' | 'sni_mismatch';
const SEVERITY: Record<Issue, Severity> = {
  invalid_chain: 'low',
  expired: 'medium',
  self_signed: 'low',
  weak_key: 'medium',
  old_protocol: 'low',
  sni_mismatch: 'low',
};
const OLD = new Set([
  'SSLv2',
  'SSLv3',
  'TLSv10',
  'TLSv11',
  'TLSv1',
  'TLS 1.0',
  'TLS 1.1',
  'TLSv1.0',
  'TLSv1.1',
]);

/**
 * TLS and certificate hygiene, one finding per issue and server (SNI, else address), from Zeek
 * `ssl.log` (validation_status, version, sni_matches_cert), `x509.log` (key length, validity,
 * subject = issuer) and EVE `tls` (version, notafter, subject = issuerdn). Issues: invalid_chain,
 * expired, self_signed, weak_key (RSA/DSA < `min_rsa_bits`, EC < `min_ec_bits`), old_protocol
 * (SSLv2/3, TLS 1.0/1.1), sni_mismatch. Options: `ignore` (issues), `min_rsa_bits`, `min_ec_bits`.
 */
export function tlsHygiene(options: Record<string, unknown>): Detector {
  const ignore = new Set(opt(options, 'ignore', [] as string[]));
  const minRsa = opt(options, 'min_rsa_bits', 2048);
  const minEc = opt(options, 'min_ec_bits', 224);
  const groups = new Map<
    string,
    { t: Tally; issue: Issue; server: string; src?: string; dst?: string; detail: string }
  >();
  const hit = (r: LogRecord, issue: Issue, server: string, detail: string): void => {
    if (ignore.has(issue)) return;
    const { src, dst } = endpoints(r);
    const g = upsert(groups, `${issue}|${server}`, () => ({
      t: new Tally(),
      issue,
      server,
      ...(src ? { src } : {}),
      ...(dst ? { dst } : {}),
      detail,
    }));
    g.t.add(r);
  };
  return {
    name: 'tls-hygiene',
    paths: ['ssl', 'x509', 'eve.tls'],
    observe(r: LogRecord) {
      if (r.path === 'ssl') {
        const server = str(r, 'server_name') ?? endpoints(r).dst ?? '?';
        const vs = str(r, 'validation_status');
        if (vs && vs !== 'ok') {
          if (/expired/i.test(vs)) hit(r, 'expired', server, vs);
          else if (/self.signed/i.test(vs)) hit(r, 'self_signed', server, vs);
          else hit(r, 'invalid_chain', server, vs);
        }
        const v = str(r, 'version');
        if (v && OLD.has(v)) hit(r, 'old_protocol', server, v);
        if (r.fields.sni_matches_cert === false)
          hit(r, 'sni_mismatch', server, 'SNI does not match the certificate');
      } else if (r.path === 'x509') {
        if (r.fields.host_cert === false) return;
        const subject = str(r, 'certificate.subject') ?? '';
        const server =
          (r.fields['san.dns'] as string[] | undefined)?.[0] ??
          /CN=([^,]+)/.exec(subject)?.[1] ??
          str(r, 'fingerprint') ??
          '?';
        const bits = num(r, 'certificate.key_length');
        const type = str(r, 'certificate.key_type');
        if (bits !== undefined && ((type === 'ec' && bits < minEc) || (type !== 'ec' && bits < minRsa)))
          hit(r, 'weak_key', server, `${type ?? 'key'} ${bits} bits`);
        const notAfter = num(r, 'certificate.not_valid_after');
        if (notAfter !== undefined && Number.isFinite(r.ts) && notAfter < r.ts)
          hit(r, 'expired', server, `expired ${new Date(notAfter * 1000).toISOString()}`);
        if (
          subject !== '' &&
          subject === str(r, 'certificate.issuer') &&
          r.fields['basic_constraints.ca'] !== true
        )
          hit(r, 'self_signed', server, subject);
      } else {
        const server = String(deep(r, 'tls.sni') ?? endpoints(r).dst ?? '?');
        const v = deep(r, 'tls.version');
        if (typeof v === 'string' && OLD.has(v)) hit(r, 'old_protocol', server, v);
        const na = deep(r, 'tls.notafter');
        if (typeof na === 'string' && Number.isFinite(r.ts) && Date.parse(`${na}Z`) / 1000 < r.ts)
          hit(r, 'expired', server, `expired ${na}`);
        const subj = deep(r, 'tls.subject');
        if (typeof subj === 'string' && subj !== '' && subj === deep(r, 'tls.issuerdn'))
          hit(r, 'self_signed', server, subj);
      }
    },
    finish() {
      const out: DetectedFinding[] = [];
      for (const [key, g] of groups) {
        out.push({
          detector: 'tls-hygiene',
          key,
          severity: SEVERITY[g.issue],
          title: `TLS ${g.issue.replace('_', ' ')} on ${g.server}: ${g.detail}`,
          ...(g.src ? { src: g.src } : {}),
          ...(g.dst ? { dst: g.dst } : {}),
          ...g.t.span(),
          details: { issue: g.issue, server: g.server, detail: g.detail },
        });
      }
      return out;
    },
  };
}
