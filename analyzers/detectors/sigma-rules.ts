import type { DetectedFinding, Detector, DetectorContext, LogRecord } from '../types.js';
import type { CompiledSigmaRule } from '../sigma/index.js';
import { Tally, dayOf, endpoints, upsert } from './util.js';

/**
 * Runs the compiled Sigma rules (analyzers.sigma.rules) over the Zeek logs their logsource names.
 * One finding per rule, source, destination and UTC day, at the rule's level.
 */
export function sigmaRules(_options: Record<string, unknown>, ctx: DetectorContext): Detector {
  const byPath = new Map<string, CompiledSigmaRule[]>();
  for (const r of ctx.sigma ?? []) upsert(byPath, r.path, () => []).push(r);
  const hits = new Map<string, { t: Tally; rule: CompiledSigmaRule; src?: string; dst?: string }>();
  return {
    name: 'sigma',
    paths: [...byPath.keys()],
    observe(r: LogRecord) {
      if (r.source !== 'zeek') return;
      const rules = byPath.get(r.path);
      if (!rules) return;
      for (const rule of rules) {
        if (!rule.match(r.fields)) continue;
        const { src, dst } = endpoints(r);
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
          details: { ruleId: h.rule.id, rule: h.rule.title, file: h.rule.file },
        });
      }
      return out;
    },
  };
}
