import { readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import { VigilError } from '../core/index.js';
import { ZeekTsvParser } from './readers/zeek-tsv.js';

export type IndicatorType = 'ip' | 'cidr' | 'domain' | 'url' | 'hash' | 'ja3' | 'email' | 'user';

export interface Indicator {
  value: string;
  type: IndicatorType;
  source: string;
  desc?: string;
}

/** An intel file as configured: a Zeek intel file, or a plain list (one indicator a line). */
export interface IntelFile {
  path: string;
  /** For plain lists: the type of every line; inferred per line when absent. */
  type?: IndicatorType;
  /** Source name on findings (default: the file name). */
  source?: string;
}

// Zeek's Intel::Type names (zeek/scripts/base/frameworks/intel/main.zeek) and the ja3 package's.
const ZEEK_TYPES: Record<string, IndicatorType> = {
  'Intel::ADDR': 'ip',
  'Intel::SUBNET': 'cidr',
  'Intel::DOMAIN': 'domain',
  'Intel::URL': 'url',
  'Intel::FILE_HASH': 'hash',
  'Intel::CERT_HASH': 'hash',
  'Intel::PUBKEY_HASH': 'hash',
  'Intel::EMAIL': 'email',
  'Intel::USER_NAME': 'user',
  'Intel::JA3': 'ja3',
};

function inferType(v: string): IndicatorType[] {
  if (ipaddr.isValid(v)) return ['ip'];
  if (v.includes('/') && !v.includes('://') && ipaddr.isValidCIDR(v)) return ['cidr'];
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return ['url'];
  if (/^[0-9a-f]{32}$/i.test(v)) return ['hash', 'ja3']; // MD5 and JA3 look alike
  if (/^([0-9a-f]{40}|[0-9a-f]{64})$/i.test(v)) return ['hash'];
  if (v.includes('@')) return ['email'];
  return ['domain'];
}

/** Normalises a URL indicator the way Zeek's intel framework matches them: without scheme. */
export const normaliseUrl = (u: string): string => u.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').toLowerCase();

/** The loaded indicators, indexed per type for O(1) (and O(prefixes) for CIDRs) lookups. */
export class IntelSet {
  readonly byType = new Map<IndicatorType, Map<string, Indicator>>();
  readonly cidrs: { range: [ipaddr.IPv4 | ipaddr.IPv6, number]; ind: Indicator }[] = [];
  size = 0;

  add(ind: Indicator): void {
    this.size++;
    if (ind.type === 'cidr') {
      this.cidrs.push({ range: ipaddr.parseCIDR(ind.value), ind });
      return;
    }
    const key = ind.type === 'url' ? normaliseUrl(ind.value) : ind.value.toLowerCase();
    let m = this.byType.get(ind.type);
    if (!m) this.byType.set(ind.type, (m = new Map()));
    m.set(key, ind);
  }

  /** The indicator matching an address (exact, then CIDR). */
  matchIp(ip: string | undefined): Indicator | undefined {
    if (!ip) return undefined;
    const exact = this.byType.get('ip')?.get(ip.toLowerCase());
    if (exact || this.cidrs.length === 0 || !ipaddr.isValid(ip)) return exact;
    const a = ipaddr.parse(ip);
    return this.cidrs.find((c) => c.range[0].kind() === a.kind() && a.match(c.range))?.ind;
  }

  /** The indicator matching a domain or any parent domain of it. */
  matchDomain(name: string | undefined): Indicator | undefined {
    const m = this.byType.get('domain');
    if (!name || !m) return undefined;
    let d = name.toLowerCase().replace(/\.$/, '');
    for (;;) {
      const hit = m.get(d);
      if (hit) return hit;
      const dot = d.indexOf('.');
      if (dot === -1) return undefined;
      d = d.slice(dot + 1);
    }
  }

  match(type: 'url' | 'hash' | 'ja3' | 'email' | 'user', v: string | undefined): Indicator | undefined {
    if (!v) return undefined;
    return this.byType.get(type)?.get(type === 'url' ? normaliseUrl(v) : v.toLowerCase());
  }
}

/**
 * Loads intel files: Zeek intel format (a `#fields indicator indicator_type meta.source …` TSV,
 * zeek/scripts/base/frameworks/intel/input.zeek) or plain lists (one indicator a line, `#`
 * comments). Throws ANL_INTEL naming the file and line of an unusable entry.
 */
export function loadIntel(files: IntelFile[]): IntelSet {
  const set = new IntelSet();
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f.path, 'utf8');
    } catch (err) {
      throw new VigilError('ANL_INTEL', `cannot read intel file ${f.path}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const source = f.source ?? f.path.split('/').pop() ?? f.path;
    const lines = text.split(/\r?\n/);
    if (lines.some((l) => l.startsWith('#fields'))) {
      const p = new ZeekTsvParser(f.path);
      lines.forEach((l, i) => {
        if (l === '') return;
        const r = p.feed(l, i + 1);
        if (r.kind === 'bad') throw new VigilError('ANL_INTEL', `${f.path}:${i + 1}: ${r.message}`);
        if (r.kind !== 'record') return;
        const value = String(r.rec.fields.indicator ?? '');
        const t = ZEEK_TYPES[String(r.rec.fields.indicator_type ?? '')];
        if (!value || !t)
          throw new VigilError(
            'ANL_INTEL',
            `${f.path}:${i + 1}: unknown indicator_type "${String(r.rec.fields.indicator_type)}"`,
          );
        const desc = r.rec.fields['meta.desc'];
        set.add({
          value,
          type: t,
          source: String(r.rec.fields['meta.source'] ?? source),
          ...(typeof desc === 'string' ? { desc } : {}),
        });
      });
      continue;
    }
    lines.forEach((l0) => {
      const l = l0.trim();
      if (l === '' || l.startsWith('#')) return;
      for (const t of f.type ? [f.type] : inferType(l)) set.add({ value: l, type: t, source });
    });
  }
  return set;
}
