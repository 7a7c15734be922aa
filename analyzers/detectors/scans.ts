import type { DetectedFinding, Detector, LogRecord } from '../types.js';
import { Tally, dayOf, endpoints, opt, str, upsert } from './util.js';

// Zeek conn_state values of attempts that got no real answer (zeek base/protocols/conn/main.zeek).
const UNANSWERED = new Set(['S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH', 'RSTO']);

/**
 * Horizontal and vertical scans, per source and UTC day, from `conn.log` (and EVE `flow`):
 * horizontal = one destination port tried on at least `horizontal_threshold` distinct hosts;
 * vertical = one host tried on at least `vertical_threshold` distinct ports. Only unanswered or
 * rejected attempts count (`only_failed`, default true), so busy servers are not scanners.
 * Memory: the distinct sets stop growing at the threshold, and a day's groups are settled (kept
 * only if over a threshold) once records two days later arrive, so state spans about two days.
 */
export function scans(options: Record<string, unknown>): Detector {
  const hT = opt(options, 'horizontal_threshold', 25);
  const vT = opt(options, 'vertical_threshold', 50);
  const onlyFailed = opt(options, 'only_failed', true);
  const allow = new Set(opt(options, 'allow_sources', [] as string[]));
  const horiz = new Map<string, { t: Tally; hosts: Set<string>; src: string; port: number; day: number }>();
  const vert = new Map<string, { t: Tally; ports: Set<number>; src: string; dst: string; day: number }>();
  const done: DetectedFinding[] = [];
  let maxDay = -Infinity;
  const settle = (before: number): void => {
    for (const [key, h] of horiz) {
      if (h.day >= before) continue;
      if (h.hosts.size >= hT)
        done.push({
          detector: 'scans',
          key,
          severity: 'medium',
          title: `Horizontal scan from ${h.src} of port ${h.port} (≥ ${hT} hosts)`,
          src: h.src,
          ...h.t.span(),
          details: {
            kind: 'horizontal',
            port: h.port,
            hosts: h.hosts.size,
            attempts: h.t.count,
            attemptedUnauthorisedAccess: true,
          },
        });
      horiz.delete(key);
    }
    for (const [key, v] of vert) {
      if (v.day >= before) continue;
      if (v.ports.size >= vT)
        done.push({
          detector: 'scans',
          key,
          severity: 'medium',
          title: `Vertical scan from ${v.src} of ${v.dst} (≥ ${vT} ports)`,
          src: v.src,
          dst: v.dst,
          ...v.t.span(),
          details: {
            kind: 'vertical',
            ports: v.ports.size,
            attempts: v.t.count,
            attemptedUnauthorisedAccess: true,
          },
        });
      vert.delete(key);
    }
  };
  return {
    name: 'scans',
    paths: ['conn', 'eve.flow'],
    observe(r: LogRecord) {
      const { src, dst, dport } = endpoints(r);
      if (!src || !dst || dport === undefined || allow.has(src)) return;
      // ICMP "ports" are type/code: an unreachable reply is not a probe of port 3
      if ((r.source === 'zeek' ? str(r, 'proto') : str(r, 'proto')?.toLowerCase())?.startsWith('icmp'))
        return;
      if (onlyFailed) {
        if (r.source === 'zeek') {
          if (!UNANSWERED.has(str(r, 'conn_state') ?? '')) return;
        } else {
          const f = r.fields.flow as Record<string, unknown> | undefined;
          if (!f || Number(f.pkts_toclient ?? 0) > 0) return;
        }
      }
      const day = dayOf(r.ts);
      const dayNo = Number.isFinite(r.ts) ? Math.floor(r.ts / 86_400) : 0;
      if (dayNo > maxDay) {
        // records arrive about in time order: days before yesterday are complete
        settle(dayNo - 1);
        maxDay = dayNo;
      }
      const h = upsert(horiz, `h|${src}|${dport}|${day}`, () => ({
        t: new Tally(),
        hosts: new Set<string>(),
        src,
        port: dport,
        day: dayNo,
      }));
      h.t.add(r);
      if (h.hosts.size < hT) h.hosts.add(dst);
      const v = upsert(vert, `v|${src}|${dst}|${day}`, () => ({
        t: new Tally(),
        ports: new Set<number>(),
        src,
        dst,
        day: dayNo,
      }));
      v.t.add(r);
      if (v.ports.size < vT) v.ports.add(dport);
    },
    finish() {
      settle(Infinity);
      return done.splice(0);
    },
  };
}
