import type { DetectedFinding, Detector, LogRecord } from '../types.js';
import { Tally, endpoints, opt, str, num, upsert } from './util.js';

/**
 * Long connections: a `conn.log` entry whose duration is over `min_duration` (default 1 h), or an
 * entry of the zeek-open-connections package's `open_conn.log` (connections still open, written
 * hourly with a growing duration). One finding per connection (`uid`); its details keep the
 * longest duration seen and whether it was still open. Severity rises at `high_duration`.
 */
export function longConnections(options: Record<string, unknown>): Detector {
  const minS = opt(options, 'min_duration', 3_600_000) / 1000;
  const highS = opt(options, 'high_duration', 86_400_000) / 1000;
  const allow = new Set(opt(options, 'allow_ports', [] as number[]));
  const conns = new Map<
    string,
    {
      t: Tally;
      src?: string;
      dst?: string;
      dport?: number;
      proto?: string;
      service?: string;
      max: number;
      open: boolean;
    }
  >();
  return {
    name: 'long-connections',
    paths: ['conn', 'open_conn'],
    observe(r: LogRecord) {
      const d = num(r, 'duration');
      if (d === undefined || d < minS) return;
      const { src, dst, dport } = endpoints(r);
      if (dport !== undefined && allow.has(dport)) return;
      const uid = str(r, 'uid') ?? `${src}|${dst}|${dport}|${r.ts}`;
      const c = upsert(conns, uid, () => ({
        t: new Tally(),
        ...(src ? { src } : {}),
        ...(dst ? { dst } : {}),
        ...(dport !== undefined ? { dport } : {}),
        proto: str(r, 'proto') ?? '',
        service: str(r, 'service') ?? '',
        max: 0,
        open: false,
      }));
      c.t.add(r);
      if (d > c.max) c.max = d;
      if (r.path === 'open_conn') c.open = true;
      // the connection started at ts; it lasts until ts + duration
      if (Number.isFinite(r.ts) && r.ts + d > c.t.last) c.t.last = r.ts + d;
    },
    finish() {
      const out: DetectedFinding[] = [];
      for (const [uid, c] of conns) {
        const hours = (c.max / 3600).toFixed(1);
        out.push({
          detector: 'long-connections',
          key: uid,
          severity: c.max >= highS ? 'medium' : 'low',
          title: `Long ${c.service || c.proto} connection ${c.src} → ${c.dst}:${c.dport ?? '?'} (${hours} h${c.open ? ', still open' : ''})`,
          ...(c.src ? { src: c.src } : {}),
          ...(c.dst ? { dst: c.dst } : {}),
          ...c.t.span(),
          details: {
            uid,
            durationSeconds: c.max,
            stillOpen: c.open,
            dport: c.dport,
            proto: c.proto,
            service: c.service,
          },
        });
      }
      return out;
    },
  };
}
