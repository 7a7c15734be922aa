import type { DetectedFinding, Detector, DetectorContext, LogRecord } from '../types.js';
import type { CompiledSigmaRule } from '../sigma/index.js';
import { SlidingCount } from '../sigma/sliding-count.js';
import { Tally, dayOf, endpoints, upsert } from './util.js';

/**
 * Runs the compiled Sigma rules (analyzers.sigma.rules) over the Zeek logs and Suricata EVE events
 * their logsource names. One finding per rule, source, destination and UTC day, at the rule's
 * level. A rule with an aggregation (`| count(…) by … > n` and `timeframe`) fires on the records
 * at which its count over the sliding window satisfies the comparison; its findings are per rule,
 * group value and day.
 */
export function sigmaRules(_options: Record<string, unknown>, ctx: DetectorContext): Detector {
  const byPath = new Map<string, CompiledSigmaRule[]>();
  for (const r of ctx.sigma ?? []) for (const p of r.paths ?? [r.path]) upsert(byPath, p, () => []).push(r);
  const hits = new Map<
    string,
    { t: Tally; rule: CompiledSigmaRule; src?: string; dst?: string; group?: string }
  >();
  const windows = new Map<CompiledSigmaRule, SlidingCount>();
  return {
    name: 'sigma',
    paths: [...byPath.keys()],
    observe(r: LogRecord) {
      const rules = byPath.get(r.path);
      if (!rules) return;
      for (const rule of rules) {
        if ((rule.source ?? 'zeek') !== r.source || !rule.match(r.fields)) continue;
        const { src, dst } = endpoints(r);
        const agg = rule.aggregation;
        if (agg) {
          const w = upsert(windows, rule, () => new SlidingCount(agg));
          const group = w.add(r.ts, r.fields);
          if (group === undefined) continue;
          upsert(hits, `${rule.id}|by=${group}|${dayOf(r.ts)}`, () => ({
            t: new Tally(),
            rule,
            group,
            ...(agg.byName === 'id.orig_h' || agg.byName === 'src_ip' ? { src: group } : src ? { src } : {}),
          })).t.add(r);
          continue;
        }
        upsert(hits, `${rule.id}|${src ?? ''}|${dst ?? ''}|${dayOf(r.ts)}`, () => ({
          t: new Tally(),
          rule,
          ...(src ? { src } : {}),
          ...(dst ? { dst } : {}),
        })).t.add(r);
      }
    },
    finish() {
      const out: DetectedFinding[] = [];
      for (const [key, h] of hits) {
        out.push({
          detector: 'sigma',
          key,
          severity: h.rule.level,
          title: `Sigma: ${h.rule.title}`,
          ...(h.src ? { src: h.src } : {}),
          ...(h.dst ? { dst: h.dst } : {}),
          ...h.t.span(),
          details: {
            ruleId: h.rule.id,
            rule: h.rule.title,
            file: h.rule.file,
            ...(h.group !== undefined
              ? {
                  groupBy: h.rule.aggregation?.byName ?? null,
                  group: h.group,
                  timeframe: h.rule.aggregation?.timeframe ?? null,
                }
              : {}),
          },
        });
      }
      return out;
    },
  };
}
