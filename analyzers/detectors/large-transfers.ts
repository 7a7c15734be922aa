import type { DetectedFinding, Detector, DetectorContext, LogRecord } from '../types.js';
import { Tally, dayOf, endpoints, num, opt, upsert } from './util.js';

/**
 * Large outbound transfers: bytes sent from a local host (in a customer network, or Zeek's
 * `local_orig = T` with `local_resp = F`) to a non-local one, summed per pair and UTC day
 * (`conn.log` orig_bytes, EVE flow bytes_toserver). A pair over `min_bytes` (default 1 GiB) is a
 * finding; `high_bytes` (default 10 GiB) makes it high.
 */
export function largeTransfers(options: Record<string, unknown>, ctx: DetectorContext): Detector {
  const minB = opt(options, 'min_bytes', 1024 ** 3);
  const highB = opt(options, 'high_bytes', 10 * 1024 ** 3);
  const allow = new Set(opt(options, 'allow_destinations', [] as string[]));
  const pairs = new Map<string, { t: Tally; bytes: number; src: string; dst: string }>();
  return {
    name: 'large-transfers',
    paths: ['conn', 'eve.flow'],
    observe(r: LogRecord) {
      const { src, dst } = endpoints(r);
      if (!src || !dst || allow.has(dst)) return;
      const bytes =
        r.source === 'zeek'
          ? (num(r, 'orig_bytes') ?? 0)
          : Number((r.fields.flow as Record<string, unknown> | undefined)?.bytes_toserver ?? 0);
      if (bytes <= 0) return;
      const srcLocal = ctx.customerOf(src) !== undefined || r.fields.local_orig === true;
      const dstLocal = ctx.customerOf(dst) !== undefined || r.fields.local_resp === true;
      if (!srcLocal || dstLocal) return;
      const p = upsert(pairs, `${src}|${dst}|${dayOf(r.ts)}`, () => ({ t: new Tally(), bytes: 0, src, dst }));
      p.t.add(r);
      p.bytes += bytes;
    },
    finish() {
      const out: DetectedFinding[] = [];
      for (const [key, p] of pairs) {
        if (p.bytes < minB) continue;
        out.push({
          detector: 'large-transfers',
          key,
          severity: p.bytes >= highB ? 'high' : 'medium',
          title: `Large outbound transfer ${p.src} → ${p.dst}: ${(p.bytes / 1024 ** 2).toFixed(0)} MiB`,
          src: p.src,
          dst: p.dst,
          ...p.t.span(),
          details: { bytes: p.bytes, connections: p.t.count },
        });
      }
      return out;
    },
  };
}
