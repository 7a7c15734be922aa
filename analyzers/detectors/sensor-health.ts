import type { DetectedFinding, Detector, LogRecord } from '../types.js';
import { Tally, hourOf, num, opt, str, upsert } from './util.js';

/**
 * Sensor health: is the IDS seeing the traffic? Three checks:
 * - capture loss: Zeek `CaptureLoss::Too_Much_Loss` notices, `capture_loss.log` entries with
 *   `percent_lost` ≥ `max_capture_loss` (default 5 %), and Suricata EVE `stats` events whose
 *   kernel drops since the previous stats event are ≥ that share of its kernel packets, per
 *   sensor and hour;
 * - weird spikes: an hour whose `weird.log` count is ≥ `weird_spike_factor` (default 10) × the
 *   median hourly count of the run and ≥ `weird_spike_min` (default 100);
 * - missing hours: hours inside the span of the run's `conn.log` records with no record at all
 *   (a sensor down, or logs lost), when `missing_hours` is on (default): one finding per gap of
 *   consecutive hours, at most MAX_GAPS (then one finding counting the rest), so the number of
 *   findings is bounded by the hours that have records, never by the time span.
 */
export function sensorHealth(options: Record<string, unknown>): Detector {
  const maxLoss = opt(options, 'max_capture_loss', 5);
  const factor = opt(options, 'weird_spike_factor', 10);
  const spikeMin = opt(options, 'weird_spike_min', 100);
  const missing = opt(options, 'missing_hours', true);
  const loss = new Map<string, { t: Tally; peer: string; pct: number; msg: string }>();
  const weirdHours = new Map<number, { t: Tally; names: Map<string, number> }>();
  const connHours = new Set<number>();
  // Suricata's stats counters are cumulative since its start: loss is judged on the difference
  // between consecutive stats events of one sensor (a counter that went down means a restart)
  const lastStats = new Map<string, { packets: number; drops: number }>();
  return {
    name: 'sensor-health',
    paths: ['notice', 'capture_loss', 'weird', 'conn', 'eve.stats'],
    observe(r: LogRecord) {
      if (!Number.isFinite(r.ts)) return;
      if (r.path === 'conn') {
        connHours.add(Math.floor(r.ts / 3600));
      } else if (r.path === 'notice' && str(r, 'note') === 'CaptureLoss::Too_Much_Loss') {
        const peer = str(r, 'peer_descr') ?? str(r, 'peer_name') ?? 'sensor';
        const msg = str(r, 'msg') ?? '';
        const pct = Number(/([\d.]+)%/.exec(msg)?.[1] ?? NaN);
        upsert(loss, `capture_loss|${peer}|${hourOf(r.ts)}`, () => ({
          t: new Tally(),
          peer,
          pct,
          msg,
        })).t.add(r);
      } else if (r.path === 'capture_loss') {
        const pct = num(r, 'percent_lost') ?? 0;
        if (pct < maxLoss) return;
        const peer = str(r, 'peer') ?? 'sensor';
        upsert(loss, `capture_loss|${peer}|${hourOf(r.ts)}`, () => ({
          t: new Tally(),
          peer,
          pct,
          msg: `${pct}% of packets lost`,
        })).t.add(r);
      } else if (r.path === 'eve.stats') {
        const cap = ((r.fields.stats as Record<string, unknown> | undefined)?.capture ?? {}) as Record<
          string,
          unknown
        >;
        const packets = Number(cap.kernel_packets);
        const drops = Number(cap.kernel_drops);
        if (!Number.isFinite(packets) || !Number.isFinite(drops)) return;
        const peer = `suricata:${typeof r.fields.host === 'string' ? r.fields.host : r.file}`;
        const prev = lastStats.get(peer);
        lastStats.set(peer, { packets, drops });
        const restarted = !prev || packets < prev.packets || drops < prev.drops;
        const dp = restarted ? packets : packets - prev.packets;
        const dd = restarted ? drops : drops - prev.drops;
        if (dp <= 0) return;
        const pct = Math.round((dd / dp) * 10000) / 100;
        if (pct < maxLoss) return;
        upsert(loss, `capture_loss|${peer}|${hourOf(r.ts)}`, () => ({
          t: new Tally(),
          peer,
          pct,
          msg: `${pct}% of packets dropped by the kernel (Suricata stats)`,
        })).t.add(r);
      } else if (r.path === 'weird') {
        const h = upsert(weirdHours, Math.floor(r.ts / 3600), () => ({
          t: new Tally(),
          names: new Map<string, number>(),
        }));
        h.t.add(r);
        const n = str(r, 'name') ?? '?';
        if (h.names.size < 50 || h.names.has(n)) h.names.set(n, (h.names.get(n) ?? 0) + 1);
      }
    },
    finish() {
      const out: DetectedFinding[] = [];
      for (const [key, l] of loss) {
        out.push({
          detector: 'sensor-health',
          key,
          severity: 'medium',
          title: `Capture loss on ${l.peer}: ${l.msg}`,
          ...l.t.span(),
          details: {
            check: 'capture_loss',
            peer: l.peer,
            percentLost: Number.isFinite(l.pct) ? l.pct : undefined,
          },
        });
      }
      const counts = [...weirdHours.values()].map((h) => h.t.count).sort((a, b) => a - b);
      const median = counts.length > 0 ? counts[Math.floor(counts.length / 2)]! : 0;
      for (const [hour, h] of weirdHours) {
        if (h.t.count < spikeMin || h.t.count < factor * Math.max(1, median)) continue;
        const top = [...h.names.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
        out.push({
          detector: 'sensor-health',
          key: `weird_spike|${hourOf(hour * 3600)}`,
          severity: 'low',
          title: `Weird spike: ${h.t.count} weird events in hour ${hourOf(hour * 3600)} (median ${median})`,
          ...h.t.span(),
          details: { check: 'weird_spike', count: h.t.count, median, top: Object.fromEntries(top) },
        });
      }
      if (missing && connHours.size > 0) out.push(...missingHourGaps(connHours));
      return out;
    },
  };
}

/** At most this many gap findings per run; the rest are counted in one more finding. */
export const MAX_GAPS = 100;

function missingHourGaps(connHours: Set<number>): DetectedFinding[] {
  const hours = [...connHours].sort((a, b) => a - b);
  const gaps: [number, number][] = [];
  for (let i = 1; i < hours.length; i++)
    if (hours[i]! - hours[i - 1]! > 1) gaps.push([hours[i - 1]! + 1, hours[i]! - 1]);
  const out: DetectedFinding[] = gaps.slice(0, MAX_GAPS).map(([a, b]) => {
    const from = new Date(a * 3600_000).toISOString();
    const to = new Date(b * 3600_000).toISOString();
    const n = b - a + 1;
    return {
      detector: 'sensor-health',
      key:
        a === b
          ? `missing_hour|${hourOf(a * 3600)}`
          : `missing_hours|${hourOf(a * 3600)}|${hourOf(b * 3600)}`,
      severity: 'medium',
      title:
        n === 1
          ? `No conn.log records in hour ${hourOf(a * 3600)}: sensor down or logs missing`
          : `No conn.log records for ${n} hours, ${hourOf(a * 3600)} to ${hourOf(b * 3600)}: sensor down or logs missing`,
      firstSeen: from,
      lastSeen: to,
      count: n,
      evidence: [],
      details: { check: 'missing_hour', hours: n },
    };
  });
  if (gaps.length > MAX_GAPS) {
    const rest = gaps.slice(MAX_GAPS);
    const hoursLeft = rest.reduce((acc, [a, b]) => acc + b - a + 1, 0);
    out.push({
      detector: 'sensor-health',
      key: `missing_hours_more|${hourOf(rest[0]![0] * 3600)}`,
      severity: 'medium',
      title: `${rest.length} more gaps without conn.log records (${hoursLeft} hours) after the first ${MAX_GAPS}`,
      firstSeen: new Date(rest[0]![0] * 3600_000).toISOString(),
      lastSeen: new Date(rest[rest.length - 1]![1] * 3600_000).toISOString(),
      count: hoursLeft,
      evidence: [],
      details: { check: 'missing_hour', gaps: rest.length, hours: hoursLeft },
    });
  }
  return out;
}
