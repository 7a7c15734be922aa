import { GoCallError, type GoFunc } from './func.js';
import { sprintf } from './fmt.js';
import { GoTime } from './gotime.js';
import {
  formatV,
  GoHTML,
  GoKV,
  GoSlice,
  GoStruct,
  isTrue,
  sprint,
  sprintln,
  type GoValue,
} from './values.js';

// text/template's predefined functions (src/text/template/funcs.go, Go 1.19). `and` and `or`
// short-circuit and are evaluated by exec.ts; the entries here only declare them.

type Kind = 'bool' | 'int' | 'float' | 'string' | 'other' | 'invalid';

function kindOf(v: GoValue | undefined): Kind {
  if (v === undefined) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string' || v instanceof GoHTML) return 'string';
  return 'other';
}
const str = (v: GoValue) => (v instanceof GoHTML ? v.s : v);

function equal(a: GoValue | undefined, b: GoValue | undefined): boolean {
  const k1 = kindOf(a);
  const k2 = kindOf(b);
  if (k1 !== k2) {
    if (k1 !== 'invalid' && k2 !== 'invalid') throw new GoCallError('incompatible types for comparison');
    return false;
  }
  if (k1 === 'other') {
    if (a === null || b === null) return a === b;
    if (a instanceof GoSlice || b instanceof GoSlice || a instanceof GoKV || b instanceof GoKV)
      throw new GoCallError(`non-comparable type ${formatV(a!)}: ${typeNameOf(a!)}`);
    if (a instanceof GoTime && b instanceof GoTime)
      return a.unixSec === b.unixSec && a.nanos === b.nanos && a.offsetSec === b.offsetSec;
    if (a instanceof GoStruct && b instanceof GoStruct) {
      if (a.type !== b.type) throw new GoCallError('incompatible types for comparison');
      return [...a.fields].every(([k, v]) => equal(v, b.fields.get(k)!));
    }
    return false;
  }
  return str(a!) === str(b!);
}

function typeNameOf(v: GoValue): string {
  return v instanceof GoSlice || v instanceof GoKV ? v.type : 'struct';
}

function less(a: GoValue, b: GoValue): boolean {
  const k1 = kindOf(a);
  const k2 = kindOf(b);
  if (k1 === 'bool' || k1 === 'other' || k1 === 'invalid')
    throw new GoCallError('invalid type for comparison');
  if (k1 !== k2) throw new GoCallError('incompatible types for comparison');
  const x = str(a);
  const y = str(b);
  if (typeof x === 'string' && typeof y === 'string')
    return Buffer.compare(Buffer.from(x), Buffer.from(y)) < 0;
  return (x as bigint | number) < (y as bigint | number);
}

/** html/template-free HTML escaping of text/template's `html` (HTMLEscapeString). */
export function htmlEscapeText(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) =>
    c === '\0' ? '\uFFFD' : { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' }[c]!,
  );
}

/** text/template's JSEscapeString. */
export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const simple: Record<string, string> = {
      '\\': '\\\\',
      "'": "\\'",
      '"': '\\"',
      '<': '\\u003C',
      '>': '\\u003E',
      '&': '\\u0026',
      '=': '\\u003D',
    };
    if (simple[ch]) out += simple[ch];
    else if (cp < 0x20) out += `\\u00${cp.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (cp >= 0x80 && !/[\p{L}\p{M}\p{N}\p{P}\p{S}\u0020]/u.test(ch))
      out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** text/template's evalArgs: one string argument as is, anything else through fmt.Sprint. */
const evalArgs = (args: GoValue[]) =>
  args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args);

function indexOne(item: GoValue, ix: GoValue): GoValue {
  if (item instanceof GoKV) {
    if (typeof ix !== 'string') throw new GoCallError(`value has type ${kindOf(ix)}; should be string`);
    return item.m.get(ix) ?? '';
  }
  if (item instanceof GoSlice || typeof item === 'string') {
    if (typeof ix !== 'bigint') throw new GoCallError(`cannot index slice/array with type ${kindOf(ix)}`);
    const n = item instanceof GoSlice ? item.items.length : Buffer.byteLength(item);
    if (ix < 0n || ix >= BigInt(n)) throw new GoCallError(`index out of range: ${ix}`);
    return item instanceof GoSlice ? item.items[Number(ix)]! : BigInt(Buffer.from(item)[Number(ix)]!);
  }
  if (item === null) throw new GoCallError('index of untyped nil');
  throw new GoCallError(`can't index item of type ${kindOf(item)}`);
}

const cmp = (f: (a: GoValue, b: GoValue) => boolean): GoFunc => ({
  params: ['any', 'any'],
  call: ([a, b]) => f(a!, b!),
});

/** Go 1.19's builtins by name. */
export const BUILTINS: Record<string, GoFunc> = {
  and: { params: ['any'], variadic: 'any', call: () => null },
  or: { params: ['any'], variadic: 'any', call: () => null },
  not: { params: ['any'], call: ([a]) => !isTrue(a!) },
  call: {
    params: ['any'],
    variadic: 'any',
    call: ([f]) => {
      throw new GoCallError(`non-function of type ${f === null ? '<nil>' : kindOf(f)}`);
    },
  },
  html: { params: [], variadic: 'any', call: (a) => htmlEscapeText(evalArgs(a)) },
  js: { params: [], variadic: 'any', call: (a) => jsEscape(evalArgs(a)) },
  urlquery: { params: [], variadic: 'any', call: (a) => queryEscape(evalArgs(a)) },
  print: { params: [], variadic: 'any', call: (a) => sprint(a) },
  println: { params: [], variadic: 'any', call: (a) => sprintln(a) },
  printf: { params: ['string'], variadic: 'any', call: ([f, ...a]) => sprintf(f as string, a) },
  len: {
    params: ['any'],
    call: ([v]) => {
      if (typeof v === 'string') return BigInt(Buffer.byteLength(v));
      if (v instanceof GoHTML) return BigInt(Buffer.byteLength(v.s));
      if (v instanceof GoSlice) return BigInt(v.items.length);
      if (v instanceof GoKV) return BigInt(v.m.size);
      throw new GoCallError(v === null ? 'len of nil pointer' : `len of type ${kindOf(v)}`);
    },
  },
  index: {
    params: ['any'],
    variadic: 'any',
    call: ([item, ...ix]) => ix.reduce<GoValue>((acc, i) => indexOne(acc, i), item!),
  },
  slice: {
    params: ['any'],
    variadic: 'any',
    call: ([item, ...ix]) => {
      const nums = ix.map((i) => {
        if (typeof i !== 'bigint') throw new GoCallError('cannot index slice/array with nil');
        return Number(i);
      });
      if (typeof item === 'string') {
        const b = Buffer.from(item);
        if (nums.length > 2) throw new GoCallError('cannot 3-index slice a string');
        const [from = 0, to = b.length] = nums;
        if (from < 0 || to > b.length || from > to) throw new GoCallError(`index out of range: ${to}`);
        return b.subarray(from, to).toString('utf8');
      }
      if (item instanceof GoSlice) {
        const [from = 0, to = item.items.length] = nums;
        if (from < 0 || to > item.items.length || from > to)
          throw new GoCallError(`index out of range: ${to}`);
        return new GoSlice(item.type, item.items.slice(from, to));
      }
      throw new GoCallError(`can't slice item of type ${kindOf(item)}`);
    },
  },
  eq: {
    params: ['any'],
    variadic: 'any',
    call: ([a, ...rest]) => {
      if (rest.length === 0) throw new GoCallError('missing argument for comparison');
      return rest.some((b) => equal(a, b));
    },
  },
  ne: cmp((a, b) => !equal(a, b)),
  lt: cmp(less),
  le: cmp((a, b) => less(a, b) || equal(a, b)),
  gt: cmp((a, b) => !(less(a, b) || equal(a, b))),
  ge: cmp((a, b) => !less(a, b)),
};
