import { GoTime } from './gotime.js';
import { formatFloatG, formatV, GoHTML, GoKV, GoSlice, GoStruct, typeName, type GoValue } from './values.js';

// Go's fmt.Sprintf (src/fmt/print.go, format.go) for the verbs templates use: %v %+v %s %q %d
// %x %X %o %b %c %t %f %F %e %E %g %G %T %%, flags `-+# 0`, width and precision (`*` too), and
// fmt's in-band errors: %!d(string=x), %!d(MISSING), %!(EXTRA type=value), %!(NOVERB).

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number | undefined;
  prec?: number | undefined;
}

const runes = (s: string) => [...s];

function pad(s: string, sp: Spec, numeric = false): string {
  const w = sp.width ?? 0;
  const n = runes(s).length;
  if (n >= w) return s;
  if (sp.minus) return s + ' '.repeat(w - n);
  if (sp.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(w - n) + s.slice(sign.length);
  }
  return ' '.repeat(w - n) + s;
}

/** strconv.Quote: Go escapes, printable Unicode kept. */
export function quoteGo(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (/[\p{L}\p{M}\p{N}\p{P}\p{S}]|\u0020/u.test(ch)) out += ch;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** Fixed-point with `prec` digits, rounding half to even on the exact binary value (as strconv). */
export function toFixedGo(f: number, prec: number): string {
  const wide = Math.abs(f).toFixed(Math.min(100, prec + 30));
  const [ip, fp = ''] = wide.split('.');
  const rest = fp.slice(prec);
  let s = Math.abs(f).toFixed(prec);
  if (/^50*$/.test(rest)) {
    // An exact tie: JavaScript rounds away from zero, Go to the even digit.
    const kept = (ip! + fp.slice(0, prec)).replace(/^0+(?=\d)/, '');
    if (Number(kept.at(-1)) % 2 === 0) s = prec > 0 ? `${ip}.${fp.slice(0, prec)}` : ip!;
  }
  return (f < 0 || Object.is(f, -0) ? '-' : '') + s;
}

function expForm(f: number, prec: number | undefined, upper: boolean): string {
  let s = prec === undefined ? f.toExponential() : f.toExponential(prec);
  s = s.replace(/e([+-])(\d)$/, 'e$10$2');
  return upper ? s.toUpperCase() : s;
}

function fmtFloat(f: number, verb: string, sp: Spec): string {
  let s: string;
  if (!Number.isFinite(f)) s = Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf';
  else if (verb === 'f' || verb === 'F') s = toFixedGo(f, sp.prec ?? 6);
  else if (verb === 'e' || verb === 'E') s = expForm(f, sp.prec ?? 6, verb === 'E');
  else if (sp.prec === undefined) s = formatFloatG(f);
  else {
    const p = sp.prec === 0 ? 1 : sp.prec;
    const exp = Math.floor(Math.log10(Math.abs(f) || 1));
    s = exp < -4 || exp >= p ? expForm(f, p - 1, false) : String(Number(f.toPrecision(p)));
  }
  if (verb === 'G' || verb === 'E') s = s.toUpperCase();
  if (sp.plus && !s.startsWith('-') && !s.startsWith('+')) s = `+${s}`;
  else if (sp.space && !s.startsWith('-')) s = ` ${s}`;
  if (s === '+Inf' && !sp.plus) s = 'Inf';
  return pad(s, sp, Number.isFinite(f));
}

function fmtInt(n: bigint, verb: string, sp: Spec): string | undefined {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let s: string;
  switch (verb) {
    case 'd':
    case 'v':
      s = a.toString(10);
      break;
    case 'x':
      s = (sp.sharp ? '0x' : '') + a.toString(16);
      break;
    case 'X':
      s = (sp.sharp ? '0X' : '') + a.toString(16).toUpperCase();
      break;
    case 'o':
      s = (sp.sharp ? '0' : '') + a.toString(8);
      break;
    case 'b':
      s = a.toString(2);
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(n)), sp);
    case 'q':
      return pad(`'${String.fromCodePoint(Number(n))}'`, sp);
    default:
      return undefined;
  }
  if (sp.prec !== undefined) s = s.padStart(sp.prec, '0');
  s = (neg ? '-' : sp.plus ? '+' : sp.space ? ' ' : '') + s;
  return pad(s, sp, sp.prec === undefined);
}

function fmtString(s: string, verb: string, sp: Spec): string | undefined {
  const cut = (x: string) => (sp.prec === undefined ? x : runes(x).slice(0, sp.prec).join(''));
  switch (verb) {
    case 's':
    case 'v':
      return pad(cut(s), sp);
    case 'q':
      return pad(quoteGo(cut(s)), sp);
    case 'x':
    case 'X': {
      const h = Buffer.from(cut(s), 'utf8').toString('hex');
      return pad(verb === 'X' ? h.toUpperCase() : h, sp);
    }
    default:
      return undefined;
  }
}

/** Formats one operand for one verb; `undefined` means a bad verb for its type. */
function fmtOne(v: GoValue, verb: string, sp: Spec): string | undefined {
  if (verb === 'T') return pad(typeName(v), sp);
  if (v === null) return verb === 'v' || verb === 's' ? pad('<nil>', sp) : undefined;
  if (typeof v === 'string') return fmtString(v, verb, sp);
  if (v instanceof GoHTML) return fmtString(v.s, verb, sp);
  if (typeof v === 'boolean') return verb === 't' || verb === 'v' ? pad(String(v), sp) : undefined;
  if (typeof v === 'bigint') return fmtInt(v, verb, sp);
  if (typeof v === 'number')
    return 'vfFeEgG'.includes(verb) ? fmtFloat(v, verb === 'v' ? 'g' : verb, sp) : undefined;
  if (v instanceof GoTime)
    return verb === 'v' || verb === 's' ? pad(v.toString(), sp) : fmtString(v.toString(), verb, sp);
  // Composite values: the verb applies to each element (fmt's printValue).
  const inner = { ...sp, width: undefined };
  const each = (x: GoValue) => fmtOne(x, verb, inner) ?? bad(x, verb);
  if (v instanceof GoSlice) return pad(`[${v.items.map(each).join(' ')}]`, sp);
  if (v instanceof GoKV)
    return pad(
      `map[${v
        .keys()
        .map((k) => `${each(k)}:${each(v.m.get(k)!)}`)
        .join(' ')}]`,
      sp,
    );
  if (v instanceof GoStruct) {
    const parts = [...v.fields].map(([k, x]) => (sp.plus ? `${k}:${each(x)}` : each(x)));
    return pad(`{${parts.join(' ')}}`, sp);
  }
  return undefined;
}

const bad = (v: GoValue, verb: string) =>
  v === null ? `%!${verb}(<nil>)` : `%!${verb}(${typeName(v)}=${formatV(v)})`;

/** fmt.Sprintf. */
export function sprintf(format: string, args: GoValue[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const sp: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') sp.minus = true;
      else if (c === '+') sp.plus = true;
      else if (c === '#') sp.sharp = true;
      else if (c === ' ') sp.space = true;
      else if (c === '0') sp.zero = !sp.minus;
      else break;
    }
    const num = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const a = args[argi++];
        return typeof a === 'bigint' ? Number(a) : undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    sp.width = num();
    if (sp.width !== undefined && sp.width < 0) {
      sp.minus = true;
      sp.width = -sp.width;
    }
    if (format[i] === '.') {
      i++;
      sp.prec = num() ?? 0;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const v = args[argi++]!;
    out += fmtOne(v, verb, sp) ?? bad(v, verb);
  }
  if (argi < args.length) {
    out += `%!(EXTRA ${args
      .slice(argi)
      .map((a) => (a === null ? '<nil>' : `${typeName(a)}=${formatV(a)}`))
      .join(', ')})`;
  }
  return out;
}
