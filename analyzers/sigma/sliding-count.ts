import { aggregationHolds, type SigmaAggregation } from './aggregation.js';

/**
 * The state of one aggregation rule: per group value, the matching records (or distinct values of
 * the counted field) inside the sliding window. Only as many entries as the comparison needs are
 * kept (`> n` needs the newest n+1), so memory is bounded by groups × threshold, not by records.
 */
export class SlidingCount {
  private readonly groups = new Map<string, { times: number[]; values: Map<string, number> }>();
  private readonly keep: number;

  constructor(private readonly a: SigmaAggregation) {
    this.keep = Math.max(1, Math.ceil(a.value) + 1);
  }

  /** Adds a matching record at `ts` (epoch s); returns its group when the aggregation holds there. */
  add(ts: number, fields: Record<string, unknown>): string | undefined {
    const g = this.a.by ? this.a.by(fields) : '';
    if (g === undefined || g === null) return undefined;
    const group = Array.isArray(g) ? g.map(String).join(',') : String(g);
    let st = this.groups.get(group);
    if (!st) {
      st = { times: [], values: new Map() };
      this.groups.set(group, st);
    }
    const since = ts - this.a.windowSec;
    let n: number;
    if (this.a.field) {
      const v = this.a.field(fields);
      if (v === undefined || v === null) return undefined;
      const key = Array.isArray(v) ? v.map(String).join(',') : String(v);
      // most recent last: re-inserting moves a value to the end
      st.values.delete(key);
      st.values.set(key, ts);
      for (const [k, t] of st.values) {
        if (t >= since && st.values.size <= this.keep) break;
        st.values.delete(k);
      }
      n = st.values.size;
    } else {
      st.times.push(ts);
      let drop = 0;
      while (drop < st.times.length && (st.times[drop]! < since || st.times.length - drop > this.keep))
        drop++;
      if (drop > 0) st.times.splice(0, drop);
      n = st.times.length;
    }
    return aggregationHolds(this.a, n) ? group : undefined;
  }
}
