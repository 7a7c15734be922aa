/**
 * A CSV cell (RFC 4180 quoting) that a spreadsheet will not run as a formula. OWASP's CSV
 * injection rule: a text cell starting with = + - @ tab or carriage return gets a leading single
 * quote, so `=HYPERLINK(…)` in a reason stays text. Numbers stay numbers (a negative budget
 * is data, not a formula).
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV row of `csvCell`s. */
export const csvRow = (cells: readonly unknown[]): string => cells.map(csvCell).join(',');

// C0 controls, DEL, C1 controls, and the bidirectional overrides/isolates that reorder what a
// terminal shows (Trojan Source, CVE-2021-42574), plus the backslash that starts an escape.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\\]/g;

/**
 * Text from someone else (a file name, a log field) made safe for a terminal: control and
 * bidi characters are shown as `\xNN` / `\u{NNNN}`, a backslash as `\\`. A file named with an
 * escape sequence can then neither rewrite the screen nor hide a line of `vigil scan` output.
 */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => {
    if (c === '\\') return '\\\\';
    const n = c.codePointAt(0)!;
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
  });
}
