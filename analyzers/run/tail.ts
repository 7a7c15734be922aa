import { stat } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import {
  getCheckpoint,
  setCheckpoint,
  type Alert,
  type AlertSink,
  type AnalysisDb,
  type Logger,
  type Severity,
} from '../../core/index.js';
import { readLog, type ReadState } from '../readers/index.js';
import { deep, endpoints, str } from '../detectors/util.js';
import type { LogRecord } from '../types.js';
import { expandInputs } from './inputs.js';

const ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const EVE_SEVERITY: Record<string, Severity> = { '1': 'high', '2': 'medium', '3': 'low', '4': 'info' };
const SENSOR_NOTICE = /^(CaptureLoss|Weird|PacketFilter)::/;

export interface AlertTailOptions {
  /** Globs of Suricata eve.json and Zeek notice.log files to follow. */
  paths: string[];
  minSeverity: Severity;
  suppressSids: number[];
  /** Severity given to Zeek notices (they carry none). */
  noticeSeverity?: Severity;
  sink: AlertSink;
  customerOf(ip: string | undefined): string | undefined;
  db: Kysely<AnalysisDb>;
  /** Checkpoints are kept under this analyzer name (default `ids-tail`). */
  analyzer?: string;
  log?: Logger;
}

/** The Alertmanager-model alert of an IDS record, or undefined when it is not urgent. */
export function alertOf(
  r: LogRecord,
  o: Pick<AlertTailOptions, 'minSeverity' | 'suppressSids' | 'noticeSeverity' | 'customerOf'>,
): Alert | undefined {
  const { src, dst, dport } = endpoints(r);
  let severity: Severity;
  const labels: Record<string, string> = { alertname: 'IDSAlert' };
  let summary: string;
  if (r.path === 'eve.alert') {
    const sid = Number(deep(r, 'alert.signature_id'));
    if (o.suppressSids.includes(sid)) return undefined;
    severity = EVE_SEVERITY[String(deep(r, 'alert.severity') ?? 3)] ?? 'low';
    const sig = String(deep(r, 'alert.signature') ?? '') || `SID ${sid}`;
    Object.assign(labels, { source: 'suricata', signature: sig, sid: String(sid) });
    summary = `Suricata: ${sig}`;
  } else if (r.path === 'notice') {
    const note = str(r, 'note') ?? 'unknown';
    if (SENSOR_NOTICE.test(note)) return undefined;
    severity = o.noticeSeverity ?? 'high';
    Object.assign(labels, { source: 'zeek', signature: note });
    summary = `Zeek notice ${note}: ${str(r, 'msg') ?? ''}`.trim();
  } else return undefined;
  if (ORDER.indexOf(severity) > ORDER.indexOf(o.minSeverity)) return undefined;
  labels.severity = severity;
  if (src) labels.src_ip = src;
  if (dst) labels.dest_ip = dst;
  if (dport !== undefined) labels.dest_port = String(dport);
  const customer = o.customerOf(dst) ?? o.customerOf(src);
  if (customer) labels.customer = customer;
  return {
    labels,
    annotations: { summary, evidence: `${r.file}:${r.line}` },
    startsAt: new Date(Number.isFinite(r.ts) ? r.ts * 1000 : Date.now()).toISOString(),
  };
}

/**
 * Follows Suricata alerts and Zeek notices as they are written (DESIGN.md S10 "immediate
 * response"), so a high-severity event reaches the alert sink within one poll interval, not at
 * the next analysis run. Offsets are kept in the store, so a restart neither repeats nor loses
 * alerts; a file seen for the first time is followed from its end (its history is the runs' job);
 * a file that shrank (rotated in place) is followed from its start.
 */
export class AlertTail {
  private readonly analyzer: string;
  private polling = false;

  constructor(private readonly o: AlertTailOptions) {
    this.analyzer = o.analyzer ?? 'ids-tail';
  }

  /** One pass over the followed files; returns how many alerts were sent. */
  async poll(): Promise<number> {
    if (this.polling) return 0;
    this.polling = true;
    try {
      let sent = 0;
      const files = (await expandInputs(this.o.paths)).files.filter((f) => !f.endsWith('.gz'));
      for (const f of files) sent += await this.follow(f);
      return sent;
    } finally {
      this.polling = false;
    }
  }

  private async follow(path: string): Promise<number> {
    const st = await stat(path);
    const key = `${st.dev}:${st.ino}`;
    const cp = await getCheckpoint(this.o.db, this.analyzer, key);
    // First sight: read it once without alerting, to learn where it ends and its header.
    const learning = !cp;
    const from = cp && cp.offset <= st.size ? cp.offset : 0;
    if (cp && from === st.size) return 0;
    const state = from === 0 ? undefined : (cp?.state as ReadState | undefined);
    const it = readLog(path, { fromOffset: from, ...(state ? { state } : {}), final: false });
    const alerts: Alert[] = [];
    for (;;) {
      const n = await it.next();
      if (n.done) {
        if (alerts.length > 0) await this.o.sink(alerts);
        await setCheckpoint(this.o.db, {
          analyzer: this.analyzer,
          inputKey: key,
          path,
          dev: String(st.dev),
          ino: String(st.ino),
          offset: n.value.endOffset,
          state: { ...n.value.state },
        });
        if (n.value.badRecords > 0)
          this.o.log?.warn(
            { file: path, bad: n.value.badRecords, first: n.value.errors[0] },
            'bad records in followed file',
          );
        return alerts.length;
      }
      if (learning) continue;
      for (const r of n.value) {
        const a = alertOf(r, this.o);
        if (a) alerts.push(a);
      }
    }
  }
}
