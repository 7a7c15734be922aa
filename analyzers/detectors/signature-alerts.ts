import type { Severity } from '../../core/index.js';
import type { DetectedFinding, Detector, LogRecord } from '../types.js';
import { Tally, dayOf, deep, endpoints, opt, rank, str, upsert } from './util.js';

/** Options of the `signature-alerts` detector (docs/analyzers.md). */
export interface SignatureAlertsOptions {
  /** Suricata signature ids never reported (noisy SIDs). */
  suppress_sids?: number[];
  /** Zeek notice names never reported. */
  suppress_notices?: string[];
  /** Suricata `alert.severity` (1 most severe) → finding severity. */
  severity_map?: Record<string, Severity>;
  /** Alerts below this severity are left out. */
  min_severity?: Severity;
}

const DEFAULT_MAP: Record<string, Severity> = { '1': 'high', '2': 'medium', '3': 'low', '4': 'info' };
// Notices about the sensor itself belong to sensor-health, not to the attack picture.
const SENSOR_NOTICE = /^(CaptureLoss|Weird|PacketFilter)::/;
const ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * IDS signature alerts: Suricata `alert` events and Zeek `notice.log` entries, grouped per
 * signature, source, destination and UTC day (one finding per group, its count the number of
 * alerts), ranked by severity then count. Noisy SIDs and notice names can be suppressed.
 */
export function signatureAlerts(options: Record<string, unknown>): Detector {
  const o = options as SignatureAlertsOptions;
  const suppressSids = new Set(opt(o as Record<string, unknown>, 'suppress_sids', [] as number[]));
  const suppressNotices = new Set(opt(o as Record<string, unknown>, 'suppress_notices', [] as string[]));
  const map = { ...DEFAULT_MAP, ...(o.severity_map ?? {}) };
  const minIdx = ORDER.indexOf(o.min_severity ?? 'info');
  const groups = new Map<
    string,
    { t: Tally; sev: Severity; title: string; src?: string; dst?: string; details: Record<string, unknown> }
  >();
  return {
    name: 'signature-alerts',
    paths: ['eve.alert', 'notice'],
    observe(r: LogRecord) {
      const { src, dst, dport } = endpoints(r);
      let key: string;
      let sev: Severity;
      let title: string;
      let details: Record<string, unknown>;
      if (r.source === 'suricata') {
        const sid = Number(deep(r, 'alert.signature_id'));
        if (suppressSids.has(sid)) return;
        const gid = Number(deep(r, 'alert.gid') ?? 1);
        sev = map[String(deep(r, 'alert.severity') ?? 3)] ?? 'low';
        const sig = String(deep(r, 'alert.signature') ?? '') || `SID ${sid}`;
        title = `IDS alert: ${sig}`;
        key = `${gid}:${sid}|${src ?? ''}|${dst ?? ''}|${dayOf(r.ts)}`;
        details = {
          sid,
          gid,
          signature: sig,
          category: deep(r, 'alert.category'),
          action: deep(r, 'alert.action'),
          dport,
        };
      } else {
        const note = str(r, 'note') ?? 'unknown';
        if (SENSOR_NOTICE.test(note) || suppressNotices.has(note)) return;
        sev = 'medium';
        title = `Zeek notice ${note}: ${str(r, 'msg') ?? ''}`.trim();
        key = `notice:${note}|${src ?? ''}|${dst ?? ''}|${dayOf(r.ts)}`;
        details = { note, msg: str(r, 'msg'), sub: str(r, 'sub') };
      }
      if (ORDER.indexOf(sev) > minIdx) return;
      const g = upsert(groups, key, () => ({
        t: new Tally(),
        sev,
        title,
        ...(src ? { src } : {}),
        ...(dst ? { dst } : {}),
        details,
      }));
      g.t.add(r);
    },
    finish() {
      const out: DetectedFinding[] = [];
      for (const [key, g] of groups) {
        out.push({
          detector: 'signature-alerts',
          key,
          severity: g.sev,
          title: g.title,
          ...(g.src ? { src: g.src } : {}),
          ...(g.dst ? { dst: g.dst } : {}),
          ...g.t.span(),
          details: g.details,
        });
      }
      return rank(out);
    },
  };
}
