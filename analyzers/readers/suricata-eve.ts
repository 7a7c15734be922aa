import { parseIsoSeconds } from './zeek-time.js';
import { parseJsonObject, type JsonLineResult } from './zeek-json.js';

/**
 * Suricata EVE JSON (docs.suricata.io, "Eve JSON Format"). Every event type is read; the path is
 * `eve.<event_type>`. `timestamp` (`2016-05-24T23:27:01.960780+0000`) becomes `ts`. DNS comes in
 * two shapes: EVE version 2 (Suricata ≤ 7: one event per query or answer, flat `rrname`/`rrtype`,
 * `type: query|answer`) and version 3 (Suricata 8: `type: request|response`, `queries[]`,
 * `answers[]`); both are normalised to version 3's `queries[]` so detectors see one shape. EVE
 * version 1 (Suricata 4.x) answer events carry one answer record each: they become `answers[]`.
 */
export function parseEveLine(line: string, file: string, lineNo: number): JsonLineResult {
  const parsed = parseJsonObject(line);
  if (parsed.kind === 'bad') return parsed;
  const fields = parsed.obj;
  const et = fields.event_type;
  if (typeof et !== 'string') return { kind: 'bad', message: 'EVE record without event_type' };
  const stamp = fields.timestamp;
  const ts = typeof stamp === 'string' ? parseIsoSeconds(stamp) : NaN;
  if (Number.isNaN(ts)) return { kind: 'bad', message: `EVE timestamp "${String(stamp)}" is not ISO 8601` };
  for (const k of ['src_port', 'dest_port'] as const) {
    const p = fields[k];
    if (p !== undefined && (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 65535)) {
      return { kind: 'bad', message: `${k}: port ${String(p)} out of range 0–65535` };
    }
  }
  const out: Record<string, unknown> = { ...fields, ts };
  delete out.timestamp;
  if (et === 'dns' && typeof fields.dns === 'object' && fields.dns !== null)
    out.dns = normaliseDns(fields.dns as Record<string, unknown>);
  return {
    kind: 'record',
    rec: { source: 'suricata', path: `eve.${et}`, ts, fields: out, timeFields: ['ts'], file, line: lineNo },
  };
}

function normaliseDns(d: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(d.queries)) return d; // version 3
  const out: Record<string, unknown> = { ...d };
  if (
    d.type === 'answer' &&
    !Array.isArray(d.answers) &&
    d.version === undefined &&
    ('rdata' in d || 'ttl' in d)
  ) {
    // EVE DNS version 1 (Suricata 4.x): one event per answer record, its own rrname/rrtype/ttl/rdata;
    // it is an answer, not a query (the question is not in the event)
    out.type = 'response';
    const answer: Record<string, unknown> = {};
    for (const k of ['rrname', 'rrtype', 'ttl', 'rdata'] as const)
      if (k in d) {
        answer[k] = d[k];
        delete out[k];
      }
    out.answers = [answer];
    out.queries = [];
    return out;
  }
  if (d.type === 'query') out.type = 'request';
  else if (d.type === 'answer') out.type = 'response';
  if (typeof d.rrname === 'string') {
    out.queries = [{ rrname: d.rrname, rrtype: d.rrtype }];
    delete out.rrname;
    delete out.rrtype;
  }
  return out;
}
