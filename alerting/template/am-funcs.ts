import { RE2JS } from 're2js';
import { errorMessage } from '../../core/index.js';
import { GoCallError, type GoFunc } from './func.js';
import { GoHTML, GoSlice } from './values.js';

// Alertmanager 0.25's template functions (template/template.go, DefaultFuncs). 0.25 has no
// `date`, `tz`, `since` or `humanizeDuration` (those came later): a template using them is a
// parse error there, and so it is here.

/** Go's unicode.ToUpper/ToLower per code point: no special casing (ß stays ß, unlike JavaScript). */
function mapRunes(s: string, f: (c: string) => string): string {
  let out = '';
  for (const ch of s) {
    const m = f(ch);
    out += [...m].length === 1 ? m : ch;
  }
  return out;
}
const upper = (s: string) => mapRunes(s, (c) => c.toUpperCase());
const lower = (s: string) => mapRunes(s, (c) => c.toLowerCase());

/**
 * golang.org/x/text/cases Title (American English): in each word the first cased letter is
 * title-cased and the rest lower-cased. Words follow the Unicode word-break approximation of
 * x/text: letters, digits and `_` join, and `'`, `.`, `:` join letters on both sides.
 */
export function titleCase(s: string): string {
  let out = '';
  let inWord = false;
  let seenLetter = false;
  const chars = [...s];
  chars.forEach((ch, i) => {
    const wordChar = /[\p{L}\p{N}\p{M}_]/u.test(ch);
    const mid =
      /['.:\u2019\u00b7]/u.test(ch) &&
      inWord &&
      /[\p{L}\p{N}]/u.test(chars[i - 1] ?? '') &&
      /[\p{L}\p{N}]/u.test(chars[i + 1] ?? '');
    if (!wordChar && !mid) {
      inWord = false;
      seenLetter = false;
      out += ch;
      return;
    }
    if (!inWord) seenLetter = false;
    inWord = true;
    if (/\p{L}/u.test(ch)) {
      out += seenLetter ? lower(ch) : upper(ch);
      seenLetter = true;
    } else out += ch;
  });
  return out;
}

function compile(pattern: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (err) {
    const m = errorMessage(err);
    throw new GoCallError(m.startsWith('error parsing regexp') ? m : `error parsing regexp: ${m}`);
  }
}

/** Go's Regexp.Expand for `$1`, `${1}`, `$name`, `${name}` and `$$`. */
function expand(repl: string, m: ReturnType<RE2JS['matcher']>, names: Record<string, number>): string {
  let out = '';
  for (let i = 0; i < repl.length;) {
    const d = repl.indexOf('$', i);
    if (d < 0) {
      out += repl.slice(i);
      break;
    }
    out += repl.slice(i, d);
    if (repl[d + 1] === '$') {
      out += '$';
      i = d + 2;
      continue;
    }
    const braced = repl[d + 1] === '{';
    const re = braced ? /^\{([A-Za-z0-9_]+)\}/ : /^([A-Za-z0-9_]+)/;
    const name = re.exec(repl.slice(d + 1));
    if (!name) {
      out += '$'; // malformed: Go keeps the dollar as text
      i = d + 1;
      continue;
    }
    const key = name[1]!;
    const idx = /^\d+$/.test(key) ? Number(key) : names[key];
    if (idx !== undefined && idx <= m.groupCount()) out += m.group(idx) ?? '';
    i = d + 1 + name[0].length;
  }
  return out;
}

/** Go's Regexp.ReplaceAllString: an empty match right after a previous match is skipped. */
export function reReplaceAll(pattern: string, repl: string, text: string): string {
  const re = compile(pattern);
  const names = re.namedGroups();
  const m = re.matcher(text);
  let out = '';
  let last = 0;
  let pos = 0;
  let prevEnd = -1;
  while (pos <= text.length && m.find(pos)) {
    const [s, e] = [m.start(), m.end()];
    let accept = true;
    if (e === s) {
      if (s === prevEnd) accept = false;
      const cp = text.codePointAt(s);
      pos = s + (cp !== undefined && cp > 0xffff ? 2 : 1);
    } else pos = e;
    prevEnd = e;
    if (accept) {
      out += text.slice(last, s) + expand(repl, m, names);
      last = e;
    }
  }
  return out + text.slice(last);
}

/** Alertmanager 0.25's DefaultFuncs. */
export const AM_FUNCS: Record<string, GoFunc> = {
  toUpper: { params: ['string'], call: ([s]) => upper(s as string) },
  toLower: { params: ['string'], call: ([s]) => lower(s as string) },
  title: { params: ['string'], call: ([s]) => titleCase(s as string) },
  join: {
    params: ['string', '[]string'],
    call: ([sep, list]) => (list as GoSlice).items.join(sep as string),
  },
  match: {
    params: ['string', 'string'],
    call: ([p, s]) =>
      compile(p as string)
        .matcher(s as string)
        .find(),
  },
  safeHtml: { params: ['string'], call: ([s]) => new GoHTML(s as string) },
  reReplaceAll: {
    params: ['string', 'string', 'string'],
    call: ([p, r, t]) => reReplaceAll(p as string, r as string, t as string),
  },
  stringSlice: { params: [], variadic: 'string', call: (a) => new GoSlice('[]string', a) },
};
