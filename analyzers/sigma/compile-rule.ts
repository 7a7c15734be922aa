import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { Severity } from '../../core/index.js';
import { VigilError } from '../../core/index.js';
import { parseAggregation, type SigmaAggregation } from './aggregation.js';
import { compileFieldValue } from './compile-value.js';
import { compileCondition } from './condition.js';
import { resolveLogsource, type SigmaTarget } from './logsource.js';
import { SigmaError } from './sigma-error.js';

/** A record's fields as Sigma sees them (Zeek field names, e.g. `id.orig_h`). */
export type SigmaFields = Record<string, unknown>;
export type SigmaPredicate = (f: SigmaFields) => boolean;

export interface CompiledSigmaRule {
  id: string;
  title: string;
  level: Severity;
  /** Log path the rule applies to (`conn`, `dns`, … for Zeek; `eve.dns`, … for Suricata); the first of `paths`. */
  path: string;
  /** Every log path the rule applies to. */
  paths: string[];
  /** Whose logs: Zeek's or Suricata's EVE. */
  source: 'zeek' | 'suricata';
  file: string;
  /** Line of the rule's document in its file. */
  line: number;
  match: SigmaPredicate;
  /** `| count(…) by … > n` with the rule's `timeframe`: the detector counts matches in a sliding window. */
  aggregation?: SigmaAggregation;
}

/** What one rule file gave: its rules, and every rule that could not be compiled with its line. */
export interface SigmaFileResult {
  rules: CompiledSigmaRule[];
  problems: { file: string; line: number; message: string }[];
  warnings: { file: string; line: number; message: string }[];
}

const LEVELS: Record<string, Severity> = {
  informational: 'info',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};

type Path = (string | number)[];

/** One search identifier: a map (AND of fields), a list of maps (OR), or a keyword list. */
function compileSearch(def: unknown, at: Path, target: SigmaTarget): SigmaPredicate {
  if (Array.isArray(def) || typeof def === 'string' || typeof def === 'number') {
    const list = Array.isArray(def) ? def : [def];
    if (list.length > 0 && list.every((d) => typeof d === 'object' && d !== null && !Array.isArray(d))) {
      const alts = list.map((d, i) => compileSearch(d, [...at, i], target));
      const pred: SigmaPredicate = (f) => alts.some((a) => a(f));
      if (alts.every((a) => IMPOSSIBLE.has(a)))
        IMPOSSIBLE.set(pred, [...new Set(alts.flatMap((a) => IMPOSSIBLE.get(a)!))]);
      return pred;
    }
    if (list.every((d) => typeof d === 'string' || typeof d === 'number')) return keywords(list, at, target);
    throw new SigmaError(at, 'a search list must hold only maps or only keywords');
  }
  if (typeof def !== 'object' || def === null) throw new SigmaError(at, 'a search must be a map of fields');
  const missing: string[] = [];
  const parts = Object.entries(def as Record<string, unknown>).map(([k, v]) => {
    const cv = compileFieldValue(k, v, [...at, k]);
    // a field the log never has is always absent: if that fails the condition, the search never holds
    if (target.unknownField(cv.field) && !cv.pred(undefined)) missing.push(cv.field);
    return { readers: target.fieldReaders(cv.field), pred: cv.pred, exists: cv.exists };
  });
  const pred: SigmaPredicate = (f) =>
    parts.every((p) => {
      if (p.readers.length === 1) return p.pred(p.readers[0]!(f));
      // a generic field read from several Zeek fields matches when one of them does
      return p.exists === false ? p.readers.every((r) => p.pred(r(f))) : p.readers.some((r) => p.pred(r(f)));
    });
  if (missing.length > 0) IMPOSSIBLE.set(pred, missing);
  return pred;
}

/** Searches that can never hold on this log source, with the fields it lacks. */
const IMPOSSIBLE = new WeakMap<SigmaPredicate, string[]>();

/**
 * Whether a condition can hold at all when the searches in `never` are always false: every
 * assignment of the other searches is tried (rules have a handful of searches; above 12 the
 * check is skipped and the rule kept).
 */
function canEverMatch(conds: string[], names: string[], never: Set<string>, file: string): boolean {
  const maybe = names.filter((n) => !never.has(n));
  if (maybe.length > 12) return true;
  const probe = new Map<string, SigmaPredicate>(names.map((n) => [n, (f) => f[n] === true]));
  const compiled = conds.map((c) => compileCondition(c, probe, file));
  for (let bits = 0; bits < 1 << maybe.length; bits++) {
    const f: SigmaFields = {};
    maybe.forEach((n, i) => (f[n] = (bits & (1 << i)) !== 0));
    if (compiled.some((c) => c(f))) return true;
  }
  return false;
}

/**
 * A keyword list (Sigma: values without a field, matched anywhere in the event). For logs the
 * event is its string fields: a keyword matches when any text field contains it, case-insensitive.
 */
function keywords(list: (string | number)[], at: Path, target: SigmaTarget): SigmaPredicate {
  const cv = compileFieldValue('keywords|contains', list, at);
  void target;
  return (f) => {
    for (const v of Object.values(f)) {
      if (typeof v === 'string' || Array.isArray(v) || typeof v === 'number') if (cv.pred(v)) return true;
    }
    return false;
  };
}

/** Deep merge for rule collections: `action: global` documents fill every following rule. */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      b && typeof b === 'object' && !Array.isArray(b) && v && typeof v === 'object' && !Array.isArray(v)
        ? merge(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/** The line of the node at `at` (1-based), or of the document when there is none. */
function lineOf(doc: Document, lc: LineCounter, at: Path): number {
  for (let n = at.length; n >= 0; n--) {
    const node = doc.getIn(at.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lc.linePos(node.range[0]).line;
  }
  const start = doc.contents?.range?.[0] ?? 0;
  return lc.linePos(start).line;
}

/**
 * Compiles one Sigma rule document. Supports the detection searches (field modifiers contains,
 * startswith, endswith, re with its i/m/s flags (RE2), cidr, all, exists, lt/lte/gt/gte, windash-free
 * keywords), the condition (and/or/not, parentheses, `1 of x*`, `all of x*`, `1 of them`) and the
 * aggregation `| count([field]) [by field] op n` with `timeframe`. Sigma specification:
 * github.com/SigmaHQ/sigma-specification. Throws SigmaError with the part at fault.
 */
function compileDoc(doc: Record<string, unknown>, file: string, line: number): CompiledSigmaRule {
  const target = resolveLogsource(doc.logsource);
  const det = doc.detection as Record<string, unknown> | undefined;
  if (!det || typeof det !== 'object') throw new SigmaError(['detection'], 'detection is missing');
  if (det.condition === undefined) throw new SigmaError(['detection'], 'detection.condition is missing');
  const searches = new Map<string, SigmaPredicate>();
  for (const [name, def] of Object.entries(det)) {
    if (name === 'condition' || name === 'timeframe') continue;
    searches.set(name, compileSearch(def, ['detection', name], target));
  }
  const conds = Array.isArray(det.condition)
    ? (det.condition as unknown[]).map(String)
    : [String(det.condition)];
  const timeframe = det.timeframe ?? doc.timeframe;
  let aggregation: SigmaAggregation | undefined;
  const compiled = conds.map((c) => {
    const bar = c.indexOf('|');
    if (bar === -1) return compileCondition(c, searches, file);
    if (conds.length > 1)
      throw new SigmaError(['detection', 'condition'], 'an aggregation must be the only condition');
    aggregation = parseAggregation(c.slice(bar + 1), timeframe, target);
    return compileCondition(c.slice(0, bar), searches, file);
  });
  const plainConds = conds.map((c) => (c.includes('|') ? c.slice(0, c.indexOf('|')) : c));
  const never = new Set([...searches].filter(([, p]) => IMPOSSIBLE.has(p)).map(([n]) => n));
  if (never.size > 0 && !canEverMatch(plainConds, [...searches.keys()], never, file)) {
    const fields = [...new Set([...never].flatMap((n) => IMPOSSIBLE.get(searches.get(n)!)!))];
    throw new SigmaError(
      ['detection', 'condition'],
      `can never match here: it needs ${fields.map((x) => `"${x}"`).join(', ')}, which ${target.source === 'zeek' ? `Zeek's ${target.paths[0]!} log` : 'these events'} never has`,
    );
  }
  if (timeframe !== undefined && !aggregation)
    // a timeframe only means something with an aggregation; ignoring it would change the rule
    throw new SigmaError(
      ['detection', 'timeframe'],
      'timeframe without an aggregation condition (| count() …)',
    );
  const level = LEVELS[String(doc.level ?? 'medium')] ?? 'medium';
  return {
    id: String(doc.id ?? `${file}:${line}`),
    title: String(doc.title ?? file),
    level,
    path: target.paths[0]!,
    paths: target.paths,
    source: target.source,
    file,
    line,
    match: compiled.length === 1 ? compiled[0]! : (f) => compiled.some((c) => c(f)),
    ...(aggregation ? { aggregation } : {}),
  };
}

/**
 * Compiles a rule file: one rule, or a rule collection of several YAML documents (`---`), where
 * an `action: global` document is merged into every rule after it, `action: reset` drops it and
 * `action: repeat` repeats the previous rule with changes (Sigma specification, "Rule collections").
 * Every rule that cannot be compiled is a problem with its line; the others still compile.
 */
export function compileSigmaFile(text: string, file: string): SigmaFileResult {
  const out: SigmaFileResult = { rules: [], problems: [], warnings: [] };
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc });
  if (!Array.isArray(docs)) return out;
  let global: Record<string, unknown> = {};
  let previous: Record<string, unknown> | undefined;
  for (const d of docs) {
    const line = lineOf(d, lc, []);
    if (d.errors.length > 0) {
      const e = d.errors[0]!;
      out.problems.push({ file, line: e.linePos?.[0].line ?? line, message: `not valid YAML: ${e.message}` });
      continue;
    }
    const raw = d.toJS() as unknown;
    if (raw === null || raw === undefined) continue;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      out.problems.push({ file, line, message: 'a Sigma rule must be a YAML mapping' });
      continue;
    }
    const body = raw as Record<string, unknown>;
    const action = body.action;
    const { action: _a, ...rest } = body;
    if (action === 'global') {
      global = merge(global, rest);
      continue;
    }
    if (action === 'reset') {
      global = {};
      continue;
    }
    const rule = action === 'repeat' && previous ? merge(previous, rest) : merge(global, rest);
    previous = rule;
    try {
      const r = compileDoc(rule, file, line);
      out.rules.push(r);
      for (const w of unknownFieldWarnings(rule, r)) out.warnings.push({ file, line, message: w });
    } catch (err) {
      if (!(err instanceof SigmaError) && !(err instanceof VigilError)) throw err;
      const at = err instanceof SigmaError ? err.at : [];
      const title = typeof rule.title === 'string' ? ` (${rule.title})` : '';
      out.problems.push({ file, line: lineOf(d, lc, at), message: `rule refused${title}: ${err.message}` });
    }
  }
  return out;
}

/** Fields the rule names that the log source never has (likely a mapping gap: the rule can never match). */
function unknownFieldWarnings(doc: Record<string, unknown>, r: CompiledSigmaRule): string[] {
  const target = resolveLogsource(doc.logsource);
  const out: string[] = [];
  const det = doc.detection as Record<string, unknown>;
  const seen = new Set<string>();
  const visit = (def: unknown): void => {
    if (Array.isArray(def)) def.forEach(visit);
    else if (def && typeof def === 'object')
      for (const k of Object.keys(def)) {
        const field = k.split('|')[0]!;
        if (seen.has(field)) continue;
        seen.add(field);
        const unknown = target.unknownField(field);
        if (unknown) out.push(`rule "${r.title}": ${unknown}`);
      }
  };
  for (const [name, def] of Object.entries(det)) if (name !== 'condition' && name !== 'timeframe') visit(def);
  return out;
}

/** Compiles a single-rule YAML text; throws ANL_SIGMA naming the file, line and the part that cannot be compiled. */
export function compileSigmaRule(text: string, file: string): CompiledSigmaRule {
  const res = compileSigmaFile(text, file);
  const p = res.problems[0];
  if (p) throw new VigilError('ANL_SIGMA', `${file}:${p.line}: ${p.message}`);
  const r = res.rules[0];
  if (!r) throw new VigilError('ANL_SIGMA', `${file}: holds no rule`);
  return r;
}
