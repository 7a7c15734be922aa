import { getDomain } from 'tldts';
import type { DetectedFinding, Detector, LogRecord } from '../types.js';
import { Tally, dayOf, endpoints, entropy, opt, str, upsert } from './util.js';

/** The queried names of a Zeek `dns` or EVE `dns` (version 2 or 3, normalised to `queries[]`) record. */
function queries(r: LogRecord): string[] {
  if (r.source === 'zeek') {
    const q = str(r, 'query');
    return q ? [q] : [];
  }
  const d = r.fields.dns as { type?: string; queries?: { rrname?: unknown }[] } | undefined;
  if (!d || d.type === 'response') return [];
  return (d.queries ?? []).map((q) => q.rrname).filter((x): x is string => typeof x === 'string');
}

/**
 * DNS tunnelling, per registered domain (public-suffix aware, via tldts) and UTC day: the number
 * of unique subdomains queried (`unique_subdomains`, default 200) and queries with a long label
 * (≥ `long_label` chars, default 52) or a high-entropy label (≥ `entropy_min_length` chars with
 * Shannon entropy ≥ `entropy_bits`). A domain over the unique-subdomain threshold, or with at
 * least `min_suspicious` suspicious queries, is a finding. `allow_domains` are skipped.
 */
export function dnsTunnelling(options: Record<string, unknown>): Detector {
  const uniqueT = opt(options, 'unique_subdomains', 200);
  const longLabel = opt(options, 'long_label', 52);
  const entMin = opt(options, 'entropy_min_length', 24);
  const entBits = opt(options, 'entropy_bits', 4.0);
  const minSusp = opt(options, 'min_suspicious', 20);
  const allow = new Set(opt(options, 'allow_domains', [] as string[]));
  const doms = new Map<
    string,
    {
      t: Tally;
      subs: Set<string>;
      subsOver: boolean;
      suspicious: number;
      sources: Set<string>;
      domain: string;
      example?: string;
    }
  >();
  return {
    name: 'dns-tunnelling',
    paths: ['dns', 'eve.dns'],
    observe(r: LogRecord) {
      for (const q0 of queries(r)) {
        const q = q0.toLowerCase().replace(/\.$/, '');
        const domain = getDomain(q, { allowPrivateDomains: true });
        if (!domain || allow.has(domain) || q === domain) continue;
        const sub = q.slice(0, q.length - domain.length - 1);
        const d = upsert(doms, `${domain}|${dayOf(r.ts)}`, () => ({
          t: new Tally(),
          subs: new Set<string>(),
          subsOver: false,
          suspicious: 0,
          sources: new Set<string>(),
          domain,
          example: undefined as string | undefined,
        }));
        d.t.add(r);
        if (d.subs.size <= uniqueT) d.subs.add(sub);
        const { src } = endpoints(r);
        if (src && d.sources.size < 20) d.sources.add(src);
        const labels = sub.split('.');
        if (labels.some((l) => l.length >= longLabel || (l.length >= entMin && entropy(l) >= entBits))) {
          d.suspicious++;
          d.example ??= q;
        }
      }
    },
    finish() {
      const out: DetectedFinding[] = [];
      for (const [key, d] of doms) {
        const many = d.subs.size > uniqueT;
        if (!many && d.suspicious < minSusp) continue;
        const srcs = [...d.sources];
        out.push({
          detector: 'dns-tunnelling',
          key,
          severity: many && d.suspicious >= minSusp ? 'high' : 'medium',
          title: `Possible DNS tunnelling via ${d.domain}: ${many ? `> ${uniqueT}` : d.subs.size} unique subdomains, ${d.suspicious} long/high-entropy queries`,
          ...(srcs.length === 1 ? { src: srcs[0]! } : {}),
          ...d.t.span(),
          details: {
            domain: d.domain,
            uniqueSubdomains: d.subs.size,
            suspiciousQueries: d.suspicious,
            example: d.example,
            sources: srcs,
          },
        });
      }
      return out;
    },
  };
}
