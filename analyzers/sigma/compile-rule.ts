import { parse as parseYaml } from 'yaml';
import type { Severity } from '../../core/index.js';
import { VigilError } from '../../core/index.js';
import { compileFieldValue } from './compile-value.js';
import { compileCondition } from './condition.js';

/** A record's fields as Sigma sees them (Zeek field names, e.g. `id.orig_h`). */
export type SigmaFields = Record<string, unknown>;
export type SigmaPredicate = (f: SigmaFields) => boolean;

export interface CompiledSigmaRule {
  id: string;
  title: string;
  level: Severity;
  /** Zeek log path the rule applies to (its `logsource.service`). */
  path: string;
  file: string;
  match: SigmaPredicate;
}

const LEVELS: Record<string, Severity> = {
  informational: 'info',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};

/** One search identifier: a map (AND of fields) or a list of maps (OR). */
function compileSearch(def: unknown, where: string): SigmaPredicate {
  if (Array.isArray(def)) {
    if (def.every((d) => typeof d === 'object' && d !== null && !Array.isArray(d))) {
      const alts = def.map((d, i) => compileSearch(d, `${where}[${i}]`));
      return (f) => alts.some((a) => a(f));
    }
    throw new VigilError(
      'ANL_SIGMA',
      `${where}: keyword lists are not supported for Zeek logs (name the field)`,
    );
  }
  if (typeof def !== 'object' || def === null)
    throw new VigilError('ANL_SIGMA', `${where}: a search must be a map of fields`);
  const parts = Object.entries(def as Record<string, unknown>).map(([k, v]) =>
    compileFieldValue(k, v, `${where}.${k}`),
  );
  return (f) => parts.every((p) => p.pred(f[p.field]));
}

/**
 * Compiles a Sigma rule (YAML text) for Zeek log sources into a predicate: detection searches
 * (field modifiers contains, startswith, endswith, re (RE2), cidr, all; lists as OR; null as
 * absent) combined by the condition (and/or/not, parentheses, `1 of x*`, `all of x*`,
 * `1 of them`, `all of them`). Sigma specification: github.com/SigmaHQ/sigma-specification.
 * Throws ANL_SIGMA naming the file and the part that cannot be compiled.
 */
export function compileSigmaRule(text: string, file: string): CompiledSigmaRule {
  let doc: Record<string, unknown>;
  try {
    doc = parseYaml(text) as Record<string, unknown>;
  } catch (err) {
    throw new VigilError('ANL_SIGMA', `${file}: not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  const ls = (doc.logsource ?? {}) as Record<string, unknown>;
  if (ls.product !== 'zeek' || typeof ls.service !== 'string') {
    throw new VigilError(
      'ANL_SIGMA',
      `${file}: logsource must be product zeek with a service (got ${JSON.stringify(ls)})`,
    );
  }
  const det = doc.detection as Record<string, unknown> | undefined;
  if (!det || det.condition === undefined)
    throw new VigilError('ANL_SIGMA', `${file}: detection.condition is missing`);
  const searches = new Map<string, SigmaPredicate>();
  for (const [name, def] of Object.entries(det)) {
    if (name === 'condition' || name === 'timeframe') continue;
    searches.set(name, compileSearch(def, `${file}: detection.${name}`));
  }
  const conds = Array.isArray(det.condition)
    ? (det.condition as unknown[]).map(String)
    : [String(det.condition)];
  const compiled = conds.map((c) => compileCondition(c, searches, file));
  const level = LEVELS[String(doc.level ?? 'medium')] ?? 'medium';
  return {
    id: String(doc.id ?? file),
    title: String(doc.title ?? file),
    level,
    path: ls.service,
    file,
    match: compiled.length === 1 ? compiled[0]! : (f) => compiled.some((c) => c(f)),
  };
}
