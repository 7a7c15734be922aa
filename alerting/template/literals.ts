// Go string and character literals (strconv.Unquote), as template constants are written.

const SIMPLE: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** Decodes a Go escape at s[i] (just after the backslash); returns the text and the next index. */
function escape(s: string, i: number, fail: (m: string) => never): [string, number] {
  const c = s[i];
  if (c !== undefined && c in SIMPLE) return [SIMPLE[c]!, i + 1];
  const hex = (n: number) => {
    const h = s.slice(i + 1, i + 1 + n);
    if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) fail('invalid syntax');
    return parseInt(h, 16);
  };
  if (c === 'x') return [String.fromCharCode(hex(2)), i + 3];
  if (c === 'u') return [String.fromCodePoint(hex(4)), i + 5];
  if (c === 'U') return [String.fromCodePoint(hex(8)), i + 9];
  if (c !== undefined && /[0-7]/.test(c)) {
    const o = s.slice(i, i + 3);
    if (!/^[0-7]{3}$/.test(o)) fail('invalid syntax');
    return [String.fromCharCode(parseInt(o, 8)), i + 3];
  }
  return fail('invalid syntax');
}

/**
 * Decodes a double-quoted Go string. `\x` and octal escapes are bytes in Go; as text here they
 * are the code points of the same value, which agrees for ASCII (what templates write).
 */
export function unquoteString(q: string, fail: (m: string) => never): string {
  let out = '';
  for (let i = 1; i < q.length - 1;) {
    const c = q[i]!;
    if (c === '\\') {
      const [t, n] = escape(q, i + 1, fail);
      out += t;
      i = n;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The code point of a Go character constant such as `'a'` or `'\n'`. */
export function unquoteChar(q: string, fail: (m: string) => never): number {
  const body = q.slice(1, -1);
  const text = body.startsWith('\\') ? escape(body, 1, fail)[0] : body;
  const cp = text.codePointAt(0);
  if (cp === undefined || String.fromCodePoint(cp) !== text) fail(`malformed character constant: ${q}`);
  return cp!;
}
