import { GoTime } from './gotime.js';

// Go values as templates see them. Go's int is a bigint here and float64 a number, so the two
// print and compare as Go does (1 and 1.0 are different in Go's eq). Composite values carry their
// Go type name, which appears in error messages and decides which methods they have.

/** A named string type whose methods are Go's (template.HTML from `safeHtml`). */
export class GoHTML {
  constructor(readonly s: string) {}
}

/** A Go slice: `[]string`, `template.Pairs`, `template.Alerts`, `[]template.Alert`. */
export class GoSlice {
  constructor(
    readonly type: string,
    readonly items: GoValue[],
  ) {}
}

/** Alertmanager's template.KV, a map[string]string with methods. */
export class GoKV {
  constructor(readonly m: ReadonlyMap<string, string>) {}
  get type(): string {
    return 'template.KV';
  }
  /** Keys in Go's map printing order (sorted), as `range` and fmt visit them. */
  keys(): string[] {
    return [...this.m.keys()].sort(byteOrder);
  }
}

/** A Go struct value: its type name and its exported fields in declaration order. */
export class GoStruct {
  constructor(
    readonly type: string,
    readonly fields: ReadonlyMap<string, GoValue>,
  ) {}
}

export type GoValue = null | string | boolean | bigint | number | GoHTML | GoSlice | GoKV | GoStruct | GoTime;

/** Go compares strings byte-wise (UTF-8), which for code points is code-point order. */
export function byteOrder(a: string, b: string): number {
  // Without surrogates, UTF-16 code-unit order is code-point order, which is UTF-8 byte order.
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
const SURROGATE = /[\uD800-\uDFFF]/;

/** The Go type name of a value, as in `%T` and in error messages. */
export function typeName(v: GoValue): string {
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float64';
  }
  if (v instanceof GoHTML) return 'template.HTML';
  if (v instanceof GoTime) return 'time.Time';
  return v.type;
}

/** Go's truth (text/template `truth`): false, 0, nil and empty strings, slices and maps are false. */
export function isTrue(v: GoValue): boolean {
  if (v === null) return false;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof GoHTML) return v.s.length > 0;
  if (v instanceof GoSlice) return v.items.length > 0;
  if (v instanceof GoKV) return v.m.size > 0;
  return true; // structs and times are always true
}

/** True for values whose reflect kind is string (fmt's Sprint puts no space next to those). */
export function isStringKind(v: GoValue): boolean {
  return typeof v === 'string' || v instanceof GoHTML;
}

/** Go's %g with the shortest representation (strconv.FormatFloat(f, 'g', -1, 64)). */
export function formatFloatG(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, e] = f.toExponential().split('e') as [string, string];
  const exp = Number(e);
  // Shortest precision: %e when the exponent is < -4 or >= 6 (strconv's eprec for shortest).
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const digits = mant.replace('.', '').replace('-', '');
  const sign = f < 0 ? '-' : '';
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** fmt's %v of a value (plus the `+` flag for struct field names). */
export function formatV(v: GoValue, plus = false): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return formatFloatG(v);
  if (v instanceof GoHTML) return v.s;
  if (v instanceof GoTime) return v.toString();
  if (v instanceof GoSlice) return `[${v.items.map((x) => formatV(x, plus)).join(' ')}]`;
  if (v instanceof GoKV)
    return `map[${v
      .keys()
      .map((k) => `${k}:${v.m.get(k)!}`)
      .join(' ')}]`;
  const parts = [...v.fields].map(([k, x]) => (plus ? `${k}:${formatV(x, plus)}` : formatV(x, plus)));
  return `{${parts.join(' ')}}`;
}

/** fmt.Sprint: operands separated by a space when neither side is a string. */
export function sprint(args: GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && !isStringKind(a) && !isStringKind(args[i - 1]!)) out += ' ';
    out += formatV(a);
  });
  return out;
}

/** fmt.Sprintln: always a space between operands, and a newline. */
export function sprintln(args: GoValue[]): string {
  return `${args.map((a) => formatV(a)).join(' ')}\n`;
}
