import type { DetectedFinding, Detector, LogRecord } from '../types.js';
import { Tally, endpoints, num, opt, str, upsert } from './util.js';

const UNANSWERED = new Set(['S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH']);

/** Quantile of a sorted array (linear interpolation). */
function quantile(s: number[], q: number): number {
  if (s.length === 0) return 0;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** Bowley (quartile) skewness and median absolute deviation: RITA's regularity measures. */
function skewMadm(values: number[]): { skew: number; madm: number; median: number } {
  const s = [...values].sort((a, b) => a - b);
  const q1 = quantile(s, 0.25);
  const q2 = quantile(s, 0.5);
  const q3 = quantile(s, 0.75);
  const skew = q3 - q1 === 0 || q2 === q1 || q2 === q3 ? 0 : (q1 + q3 - 2 * q2) / (q3 - q1);
  const dev = s.map((v) => Math.abs(v - q2)).sort((a, b) => a - b);
  return { skew, madm: quantile(dev, 0.5), median: q2 };
}

/** The beacon score of one pair's connection times (epoch s) and sizes (bytes), as RITA scores it. */
export function beaconScore(times: number[], sizes: number[], madmDivisor = 30, sizeMadmDivisor = 32) {
  const ts = [...times].sort((a, b) => a - b);
  const deltas: number[] = [];
  for (let i = 1; i < ts.length; i++) deltas.push(ts[i]! - ts[i - 1]!);
  const t = skewMadm(deltas);
  // interval regularity: symmetric intervals (skew 0) with little dispersion (madm → 0)
  const tsSkewScore = 1 - Math.abs(t.skew);
  const tsMadmScore = Math.max(0, 1 - t.madm / madmDivisor);
  const d = skewMadm(sizes);
  const dsSkewScore = 1 - Math.abs(d.skew);
  const dsMadmScore = Math.max(0, 1 - d.madm / sizeMadmDivisor);
  // spread over the day: share of the hours in the observed span that hold a connection
  const hours = new Set(ts.map((x) => Math.floor(x / 3600)));
  const spanHours = Math.max(1, Math.floor(ts[ts.length - 1]! / 3600) - Math.floor(ts[0]! / 3600) + 1);
  const histScore = Math.min(1, hours.size / Math.min(spanHours, 24)) * Math.min(1, spanHours / 6);
  const tsScore = (tsSkewScore + tsMadmScore) / 2;
  const dsScore = (dsSkewScore + dsMadmScore) / 2;
  const score = (tsScore + dsScore + histScore) / 3;
  return {
    score,
    tsScore,
    dsScore,
    histScore,
    medianInterval: t.median,
    intervalMadm: t.madm,
    medianSize: d.median,
  };
}

/**
 * Beaconing (RITA-style, activecm/rita `pkg/analyzer/beacon`): per source, destination and
 * destination port, connection times and sizes are scored for interval regularity (Bowley skew
 * and MADM of the gaps), size regularity (the same over orig_bytes) and spread over the hours of
 * the day; the score is their mean, 0–1. Pairs with fewer than `min_connections` are skipped.
 * Memory: at most `max_samples` times per pair.
 */
export function beaconing(options: Record<string, unknown>): Detector {
  const minConns = opt(options, 'min_connections', 24);
  const threshold = opt(options, 'threshold', 0.8);
  const maxSamples = opt(options, 'max_samples', 86_400);
  const ignoreDst = new Set(opt(options, 'ignore_destinations', [] as string[]));
  // NTP polls every 64–1024 s by design
  const ignorePorts = new Set(opt(options, 'ignore_ports', [123] as number[]));
  const pairs = new Map<
    string,
    { t: Tally; times: number[]; sizes: number[]; src: string; dst: string; dport: number }
  >();
  return {
    name: 'beaconing',
    paths: ['conn', 'eve.flow'],
    observe(r: LogRecord) {
      const { src, dst, dport } = endpoints(r);
      if (!src || !dst || dport === undefined || ignoreDst.has(dst) || !Number.isFinite(r.ts)) return;
      // a beacon is answered: unanswered or rejected attempts are scanning, not command and control
      if (r.source === 'zeek' && UNANSWERED.has(str(r, 'conn_state') ?? '')) return;
      if (ignorePorts.has(dport) || (str(r, 'proto') ?? '') === 'icmp') return;
      const p = upsert(pairs, `${src}|${dst}|${dport}`, () => ({
        t: new Tally(),
        times: [],
        sizes: [],
        src,
        dst,
        dport,
      }));
      p.t.add(r);
      if (p.times.length < maxSamples) {
        p.times.push(r.ts);
        p.sizes.push(
          r.source === 'zeek'
            ? (num(r, 'orig_bytes') ?? 0)
            : Number((r.fields.flow as Record<string, unknown> | undefined)?.bytes_toserver ?? 0),
        );
      }
    },
    finish() {
      const out: DetectedFinding[] = [];
      for (const [key, p] of pairs) {
        if (p.times.length < minConns) continue;
        const s = beaconScore(p.times, p.sizes);
        if (s.score < threshold) continue;
        out.push({
          detector: 'beaconing',
          key,
          severity: s.score >= 0.9 ? 'high' : 'medium',
          title: `Beaconing ${p.src} → ${p.dst}:${p.dport} every ~${Math.round(s.medianInterval)} s (score ${s.score.toFixed(2)})`,
          src: p.src,
          dst: p.dst,
          ...p.t.span(),
          details: { ...roundAll(s), connections: p.t.count, dport: p.dport },
        });
      }
      return out;
    },
  };
}

const roundAll = (o: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
