import ipaddr from 'ipaddr.js';
import { RE2JS } from 're2js';
import { VigilError } from '../../core/index.js';

/** A predicate over one field's value (a scalar, or a Zeek set/vector: any element may match). */
export type ValuePredicate = (v: unknown) => boolean;

const SUPPORTED = new Set(['contains', 'startswith', 'endswith', 're', 'cidr', 'all']);

/**
 * Turns a Sigma plain value into a case-insensitive matcher. Sigma wildcards: `*` any run, `?`
 * one character; `\*`, `\?` and `\\` are the literal characters (Sigma specification,
 * "Value modifiers" and "Wildcards"). Returns a function over the lowercased text.
 */
function textMatcher(
  pattern: string,
  mode: 'eq' | 'contains' | 'startswith' | 'endswith',
): (s: string) => boolean {
  let hasWildcard = false;
  let re = '';
  let lit = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length && '*?\\'.includes(pattern[i + 1]!)) {
      lit += pattern[i + 1]!;
      re += RE2JS.quote(pattern[i + 1]!);
      i++;
    } else if (c === '*' || c === '?') {
      hasWildcard = true;
      re += c === '*' ? '.*' : '.';
    } else {
      lit += c;
      re += RE2JS.quote(c);
    }
  }
  if (!hasWildcard) {
    const l = lit.toLowerCase();
    if (mode === 'eq') return (s) => s === l;
    if (mode === 'contains') return (s) => s.includes(l);
    if (mode === 'startswith') return (s) => s.startsWith(l);
    return (s) => s.endsWith(l);
  }
  const full =
    mode === 'eq' ? re : mode === 'contains' ? `.*${re}.*` : mode === 'startswith' ? `${re}.*` : `.*${re}`;
  const compiled = RE2JS.compile(`(?s)${full.toLowerCase()}`);
  return (s) => compiled.testExact(s);
}

const asText = (v: unknown): string =>
  (typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v)).toLowerCase();

function one(value: unknown, mods: string[], where: string): ValuePredicate {
  if (value === null) return (v) => v === undefined || v === null;
  if (mods.includes('cidr')) {
    let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
      range = ipaddr.parseCIDR(String(value));
    } catch (err) {
      throw new VigilError('ANL_SIGMA', `${where}: "${String(value)}" is not a CIDR`, { cause: err });
    }
    return (v) => {
      if (typeof v !== 'string' || !ipaddr.isValid(v)) return false;
      const a = ipaddr.parse(v);
      return a.kind() === range[0].kind() && a.match(range);
    };
  }
  if (mods.includes('re')) {
    let re: RE2JS;
    try {
      re = RE2JS.compile(String(value));
    } catch (err) {
      throw new VigilError(
        'ANL_SIGMA',
        `${where}: bad regular expression "${String(value)}": ${(err as Error).message}`,
        { cause: err },
      );
    }
    return (v) => v !== undefined && v !== null && re.test(typeof v === 'string' ? v : String(v));
  }
  const mode = mods.includes('contains')
    ? 'contains'
    : mods.includes('startswith')
      ? 'startswith'
      : mods.includes('endswith')
        ? 'endswith'
        : 'eq';
  if (typeof value === 'number' && mode === 'eq')
    return (v) => v === value || (typeof v === 'string' && v === String(value));
  const m = textMatcher(String(value), mode);
  return (v) => v !== undefined && v !== null && m(asText(v));
}

/**
 * Compiles `field|mod1|mod2: value-or-list` into a predicate over a record's field value.
 * A list is OR (AND with `|all`); a Zeek set/vector value matches when any element does.
 */
export function compileFieldValue(
  spec: string,
  value: unknown,
  where: string,
): { field: string; pred: ValuePredicate } {
  const [field, ...mods] = spec.split('|');
  for (const m of mods)
    if (!SUPPORTED.has(m))
      throw new VigilError('ANL_SIGMA', `${where}: unsupported Sigma modifier "${m}" on ${field}`);
  const values = Array.isArray(value) ? value : [value];
  const preds = values.map((v) => one(v, mods, where));
  const all = mods.includes('all');
  const scalar: ValuePredicate = all ? (v) => preds.every((p) => p(v)) : (v) => preds.some((p) => p(v));
  const pred: ValuePredicate = (v) => {
    if (Array.isArray(v)) {
      if (all) return preds.every((p) => v.some((e) => p(e)));
      return v.some((e) => scalar(e));
    }
    return scalar(v);
  };
  return { field: field!, pred };
}
