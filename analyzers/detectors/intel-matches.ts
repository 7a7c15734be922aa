import type { DetectedFinding, Detector, DetectorContext, LogRecord } from '../types.js';
import type { Indicator } from '../intel.js';
import { Tally, dayOf, deep, endpoints, opt, str, upsert } from './util.js';

/**
 * Threat-intel matches: addresses (exact or CIDR), domains (and their subdomains), URLs, file
 * hashes, JA3 fingerprints and e-mail addresses seen in Zeek conn/dns/http/ssl/files/smtp logs
 * and Suricata EVE, against `analyzers.intel`. One finding per indicator, source, destination and
 * UTC day. Severity `severity` (default high).
 */
export function intelMatches(options: Record<string, unknown>, ctx: DetectorContext): Detector {
  const severity = opt(options, 'severity', 'high' as DetectedFinding['severity']);
  const hits = new Map<string, { t: Tally; ind: Indicator; where: string; src?: string; dst?: string }>();
  const intel = ctx.intel;
  const hit = (r: LogRecord, ind: Indicator | undefined, where: string): void => {
    if (!ind) return;
    const { src, dst } = endpoints(r);
    const h = upsert(hits, `${ind.type}:${ind.value}|${src ?? ''}|${dst ?? ''}|${dayOf(r.ts)}`, () => ({
      t: new Tally(),
      ind,
      where,
      ...(src ? { src } : {}),
      ...(dst ? { dst } : {}),
    }));
    h.t.add(r);
  };
  return {
    name: 'intel',
    paths: ['*'],
    observe(r: LogRecord) {
      if (!intel || intel.size === 0) return;
      const { src, dst } = endpoints(r);
      hit(r, intel.matchIp(src), 'source address');
      hit(r, intel.matchIp(dst), 'destination address');
      if (r.source === 'zeek') {
        switch (r.path) {
          case 'dns':
            hit(r, intel.matchDomain(str(r, 'query')), 'DNS query');
            break;
          case 'http': {
            const host = str(r, 'host');
            hit(r, intel.matchDomain(host), 'HTTP host');
            if (host) hit(r, intel.match('url', `${host}${str(r, 'uri') ?? ''}`), 'HTTP URL');
            break;
          }
          case 'ssl':
            hit(r, intel.matchDomain(str(r, 'server_name')), 'TLS SNI');
            hit(r, intel.match('ja3', str(r, 'ja3')), 'JA3');
            break;
          case 'files':
            for (const k of ['md5', 'sha1', 'sha256']) hit(r, intel.match('hash', str(r, k)), `file ${k}`);
            break;
          case 'smtp':
            hit(r, intel.match('email', str(r, 'mailfrom')), 'mail from');
            break;
          case 'x509':
            hit(r, intel.match('hash', str(r, 'fingerprint')), 'certificate fingerprint');
            break;
        }
        return;
      }
      const qs = (deep(r, 'dns.queries') as { rrname?: string }[] | undefined) ?? [];
      for (const q of qs) hit(r, intel.matchDomain(q.rrname), 'DNS query');
      const host = deep(r, 'http.hostname') as string | undefined;
      hit(r, intel.matchDomain(host), 'HTTP host');
      if (host) hit(r, intel.match('url', `${host}${String(deep(r, 'http.url') ?? '')}`), 'HTTP URL');
      hit(r, intel.matchDomain(deep(r, 'tls.sni') as string | undefined), 'TLS SNI');
      hit(r, intel.match('ja3', deep(r, 'tls.ja3.hash') as string | undefined), 'JA3');
      for (const k of ['md5', 'sha1', 'sha256'])
        hit(r, intel.match('hash', deep(r, `fileinfo.${k}`) as string | undefined), `file ${k}`);
    },
    finish() {
      const out: DetectedFinding[] = [];
      for (const [key, h] of hits) {
        out.push({
          detector: 'intel',
          key,
          severity,
          title: `Threat intel match: ${h.ind.type} ${h.ind.value} (${h.where}, source ${h.ind.source})`,
          ...(h.src ? { src: h.src } : {}),
          ...(h.dst ? { dst: h.dst } : {}),
          ...h.t.span(),
          details: {
            indicator: h.ind.value,
            type: h.ind.type,
            source: h.ind.source,
            desc: h.ind.desc,
            where: h.where,
          },
        });
      }
      return out;
    },
  };
}
