import ipaddr from 'ipaddr.js';
import { RE2JS } from 're2js';
import { SigmaError } from './sigma-error.js';

/** A predicate over one field's value (a scalar, or a Zeek set/vector: any element may match). */
export type ValuePredicate = (v: unknown) => boolean;

const SUPPORTED = new Set([
  'contains',
  'startswith',
  'endswith',
  're',
  'i',
  'm',
  's',
  'cidr',
  'all',
  'exists',
  'lt',
  'lte',
  'gt',
  'gte',
  'cased',
]);

type Path = (string | number)[];

/**
 * Turns a Sigma plain value into a case-insensitive matcher. Sigma wildcards: `*` any run, `?`
 * one character; `\*`, `\?` and `\\` are the literal characters (Sigma specification,
 * "Value modifiers" and "Wildcards"). Returns a function over the lowercased text.
 */
function textMatcher(
  pattern: string,
  mode: 'eq' | 'contains' | 'startswith' | 'endswith',
  cased: boolean,
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
    const l = cased ? lit : lit.toLowerCase();
    if (mode === 'eq') return (s) => s === l;
    if (mode === 'contains') return (s) => s.includes(l);
    if (mode === 'startswith') return (s) => s.startsWith(l);
    return (s) => s.endsWith(l);
  }
  const full =
    mode === 'eq' ? re : mode === 'contains' ? `.*${re}.*` : mode === 'startswith' ? `${re}.*` : `.*${re}`;
  const compiled = RE2JS.compile(`(?s)${cased ? full : full.toLowerCase()}`);
  return (s) => compiled.testExact(s);
}

const asText = (v: unknown): string => (typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v));

const NUMERIC: Record<string, (a: number, b: number) => boolean> = {
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
};

function one(value: unknown, mods: string[], where: Path): ValuePredicate {
  if (value === null) return (v) => v === undefined || v === null;
  const cmp = mods.find((m) => m in NUMERIC);
  if (cmp) {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) throw new SigmaError(where, `|${cmp} needs a number, got "${String(value)}"`);
    const op = NUMERIC[cmp]!;
    return (v) => {
      const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      return Number.isFinite(x) && op(x, n);
    };
  }
  if (mods.includes('cidr')) {
    let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
      range = ipaddr.parseCIDR(String(value));
    } catch (err) {
      throw new SigmaError(where, `"${String(value)}" is not a CIDR`, { cause: err });
    }
    return (v) => {
      if (typeof v !== 'string' || !ipaddr.isValid(v)) return false;
      const a = ipaddr.parse(v);
      return a.kind() === range[0].kind() && a.match(range);
    };
  }
  if (mods.includes('re')) {
    let re: RE2JS;
    // Sigma's regex sub-modifiers |i |m |s (specification "Regular expression") are RE2 flags
    const flags =
      (mods.includes('i') ? RE2JS.CASE_INSENSITIVE : 0) |
      (mods.includes('m') ? RE2JS.MULTILINE : 0) |
      (mods.includes('s') ? RE2JS.DOTALL : 0);
    try {
      re = RE2JS.compile(String(value), flags);
    } catch (err) {
      throw new SigmaError(where, `bad regular expression "${String(value)}": ${(err as Error).message}`, {
        cause: err,
      });
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
  const cased = mods.includes('cased');
  const m = textMatcher(String(value), mode, cased);
  return cased
    ? (v) => v !== undefined && v !== null && m(asText(v))
    : (v) => v !== undefined && v !== null && m(asText(v).toLowerCase());
}

/**
 * Compiles `field|mod1|mod2: value-or-list` into a predicate over a record's field value.
 * A list is OR (AND with `|all`); a Zeek set/vector value matches when any element does.
 */
export function compileFieldValue(
  spec: string,
  value: unknown,
  where: Path,
): { field: string; pred: ValuePredicate; exists?: boolean } {
  const [field, ...mods] = spec.split('|');
  for (const m of mods)
    if (!SUPPORTED.has(m)) throw new SigmaError(where, `unsupported Sigma modifier "${m}" on ${field}`);
  if (mods.some((m) => m === 'i' || m === 'm' || m === 's') && !mods.includes('re'))
    throw new SigmaError(where, `the regex flags i, m, s need the re modifier (${spec})`);
  if (mods.includes('exists')) {
    // `field|exists: true|false` (Sigma 2.0): whether the record has the field at all
    if (typeof value !== 'boolean') throw new SigmaError(where, `|exists needs true or false`);
    const has = (v: unknown): boolean => v !== undefined && v !== null;
    return { field: field!, pred: value ? has : (v) => !has(v), exists: value };
  }
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
