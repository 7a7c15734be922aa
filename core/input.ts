import { z } from 'zod';

// RFC 3339 §5.6 date-time: full-date "T" full-time, with a zone (Z or ±hh:mm). Lower-case t/z
// and a space for T are allowed by the RFC's note; a time without a zone is not RFC 3339.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

const daysIn = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * Epoch ms of an RFC 3339 date-time, or undefined when it is not one. Strict: every field is
 * range-checked, so `2026-02-30T…` is refused instead of being rolled over to 2 March as
 * `Date.parse` does. Leap seconds (:60) are refused: JavaScript time has none.
 */
export function parseRfc3339(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59) return undefined;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return undefined;
  const ms = Date.parse(s.replace(' ', 'T').toUpperCase());
  return Number.isFinite(ms) ? ms : undefined;
}

/** A zod string that must be an RFC 3339 date-time (see `parseRfc3339`). */
export const rfc3339 = () =>
  z.string().refine((s) => parseRfc3339(s) !== undefined, {
    message: 'not a valid RFC 3339 time (e.g. 2026-03-14T22:00:00Z)',
  });

/** `alerts[3].startsAt` for a zod issue path under `root` (`alerts`), `body` at the top. */
export function fieldPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || 'body';
}

/**
 * One line per problem, each naming the field: `alerts[3].startsAt: not a valid RFC 3339 time`.
 * At most `max` problems, then how many more: a 100k-item body must not become a 10 MB error.
 */
export function inputIssues(error: z.ZodError, root = '', max = 10): string[] {
  const lines = error.issues.slice(0, max).map((i) => `${fieldPath(root, i.path)}: ${i.message}`);
  if (error.issues.length > max) lines.push(`… and ${error.issues.length - max} more problems`);
  return lines;
}

/** UTF-8 size of a string, the unit request bounds are stated in. */
export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
