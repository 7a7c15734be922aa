/**
 * Zeek's ASCII writer escaping (zeek/src/threading/formatters/Ascii.cc, `Ascii::Describe` and
 * `util::json_escape_utf8`; baselines in testing/btest/Baseline/scripts.base.frameworks.logging.ascii-escape*):
 * bytes that are the separator, non-printable or not valid UTF-8 are written `\xHH`, a backslash
 * is written `\\`, and a value that equals the unset/empty markers (or starts with `#` at the
 * start of a line) has its first character written `\xHH`.
 *
 * Unescaping turns `\xHH` and `\\` back into bytes, then decodes UTF-8. Bytes that are not valid
 * UTF-8 are kept as the text `\xHH`, which is also how Zeek's JSON writer prints them, so the TSV
 * and JSON forms of one record normalise to the same string.
 */
/**
 * Control bytes Zeek's JSON writer prints as the text `\xHH` (`util::json_escape_utf8`: every byte
 * below 0x20 except \b \t \n \f \r, which JSON escapes itself, and DEL). The TSV writer escapes
 * them the same way; reading both as that text gives the TSV and JSON forms of a record the same
 * value (JSON's `\x00` cannot be told from a literal backslash-x, so the text is the one
 * representation both forms share).
 */
const JSON_KEEPS_ESCAPED = (b: number): boolean =>
  (b < 0x20 && b !== 0x08 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) || b === 0x7f;

export function unescapeZeek(s: string): string {
  if (s.indexOf('\\') === -1) return s;
  const bytes: number[] = [];
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c && i + 1 < s.length) {
      const n = s.charCodeAt(i + 1);
      if (n === 0x5c) {
        bytes.push(0x5c);
        i++;
        continue;
      }
      if (n === 0x78 && i + 3 < s.length) {
        const hex = s.slice(i + 2, i + 4);
        if (/^[0-9a-fA-F]{2}$/.test(hex)) {
          const b = parseInt(hex, 16);
          if (b >= 0x80) plain = false;
          if (JSON_KEEPS_ESCAPED(b)) {
            // Zeek's JSON writer prints this control byte as the text \xHH: keep the same text
            for (const c of `\\x${b.toString(16).padStart(2, '0')}`) bytes.push(c.charCodeAt(0));
          } else bytes.push(b);
          i += 3;
          continue;
        }
      }
    }
    if (c < 0x80) bytes.push(c);
    else {
      plain = false;
      for (const b of Buffer.from(s[i]!, 'utf8')) bytes.push(b);
      // a surrogate pair is one code point spanning two UTF-16 units
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        bytes.pop();
        bytes.pop();
        bytes.pop();
        for (const b of Buffer.from(s.slice(i, i + 2), 'utf8')) bytes.push(b);
        i++;
      }
    }
  }
  if (plain) return String.fromCharCode(...bytes);
  return decodeUtf8Lenient(Uint8Array.from(bytes));
}

/** Decodes UTF-8, writing each byte of an invalid sequence as `\xHH` (Zeek's JSON writer does the same). */
export function decodeUtf8Lenient(b: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let len = 0;
    if (c < 0x80) len = 1;
    else if (c >= 0xc2 && c <= 0xdf) len = 2;
    else if (c >= 0xe0 && c <= 0xef) len = 3;
    else if (c >= 0xf0 && c <= 0xf4) len = 4;
    let ok = len > 0 && i + len <= b.length;
    for (let k = 1; ok && k < len; k++) if ((b[i + k]! & 0xc0) !== 0x80) ok = false;
    if (ok && len > 1) {
      const cp = Buffer.from(b.subarray(i, i + len)).toString('utf8');
      // overlong / surrogate forms decode to U+FFFD: treat as invalid
      if (cp.includes('\ufffd')) ok = false;
      else {
        out += cp;
        i += len;
        continue;
      }
    }
    if (ok && len === 1) {
      out += String.fromCharCode(c);
      i++;
      continue;
    }
    out += `\\x${c.toString(16).padStart(2, '0')}`;
    i++;
  }
  return out;
}

/** Parses a header value such as `\x09`, `||` or `\xc2\xae` (escaped bytes, UTF-8). */
export function unescapeHeaderValue(s: string): string {
  return unescapeZeek(s);
}
