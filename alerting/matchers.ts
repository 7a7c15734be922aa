import { RE2JS } from 're2js';
import { VigilError } from '../core/index.js';

/** Alertmanager's four match types (pkg/labels/matcher.go). */
export type MatchType = '=' | '!=' | '=~' | '!~';

/** One label matcher. Regex matchers are RE2, fully anchored, as Alertmanager compiles them. */
export interface Matcher {
  readonly name: string;
  readonly type: MatchType;
  readonly value: string;
  matches(value: string): boolean;
}

/**
 * Builds a matcher. Regexes compile as `^(?:value)$` with RE2 semantics (re2js), exactly as
 * Alertmanager's `labels.NewMatcher`; throws ALR_MATCHER for a regex RE2 rejects.
 */
export function newMatcher(type: MatchType, name: string, value: string): Matcher {
  if (type === '=' || type === '!=') {
    const eq = type === '=';
    return { name, type, value, matches: (v) => (v === value) === eq };
  }
  let re: ReturnType<typeof RE2JS.compile>;
  try {
    re = RE2JS.compile(`^(?:${value})$`);
  } catch (err) {
    throw new VigilError(
      'ALR_MATCHER',
      `invalid regular expression "${value}" for label ${name}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const want = type === '=~';
  return { name, type, value, matches: (v) => re.matches(v) === want };
}

/** True when every matcher matches; a missing label is the empty string (Alertmanager). */
export function matchesAll(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  for (const m of matchers) if (!m.matches(labels[m.name] ?? '')) return false;
  return true;
}

/** Alertmanager's string form of a matcher: name, type, and the value quoted with Go escapes. */
export function formatMatcher(m: Pick<Matcher, 'name' | 'type' | 'value'>): string {
  return `${m.name}${m.type}${JSON.stringify(m.value)}`;
}

// pkg/labels/parse.go (Alertmanager 0.25): the label name, the operator, then the raw value.
const MATCHER_RE = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*([\s\S]*?)\s*$/;

/**
 * Parses one matcher as Alertmanager's `labels.ParseMatcher`: the value may be quoted or not;
 * inside it `\n`, `\"` and `\\` are escapes, any other backslash is literal, and an unescaped
 * double quote other than the closing one is an error.
 */
export function parseMatcher(text: string): Matcher {
  const m = MATCHER_RE.exec(text);
  if (!m) throw new VigilError('ALR_MATCHER', `bad matcher format: ${text}`);
  const [, name, op, raw0] = m as unknown as [string, string, MatchType, string];
  let raw = raw0;
  let expectTrailingQuote = false;
  if (raw.startsWith('"')) {
    raw = raw.slice(1);
    expectTrailingQuote = true;
  }
  const chars = Array.from(raw);
  let value = '';
  let escaped = false;
  for (let i = 0; i < chars.length; i++) {
    const r = chars[i]!;
    if (escaped) {
      escaped = false;
      if (r === 'n') value += '\n';
      else if (r === '"' || r === '\\') value += r;
      else value += `\\${r}`; // a spurious escape: the backslash stays literal
      continue;
    }
    if (r === '\\') {
      if (i < chars.length - 1) escaped = true;
      else value += '\\';
    } else if (r === '"') {
      if (!expectTrailingQuote || i < chars.length - 1) {
        throw new VigilError('ALR_MATCHER', `matcher value contains unescaped double quote: ${raw0}`);
      }
      expectTrailingQuote = false;
    } else value += r;
  }
  if (expectTrailingQuote)
    throw new VigilError('ALR_MATCHER', `matcher value contains unescaped double quote: ${raw0}`);
  return newMatcher(op, name, value);
}

/**
 * Parses a list such as `{foo="bar", baz=~"x|y"}` as Alertmanager's `labels.ParseMatchers`:
 * optional braces, split on commas outside double quotes.
 */
export function parseMatchers(text: string): Matcher[] {
  let s = text;
  if (s.startsWith('{')) s = s.slice(1);
  if (s.endsWith('}')) s = s.slice(0, -1);
  const tokens: string[] = [];
  let token = '';
  let inQuotes = false;
  let escaped = false;
  for (const r of s) {
    if (r === ',' && !inQuotes) {
      tokens.push(token);
      token = '';
      continue;
    }
    if (r === '"') {
      if (!escaped) inQuotes = !inQuotes;
      else escaped = false;
    } else if (r === '\\') escaped = !escaped;
    else escaped = false;
    token += r;
  }
  if (token.trim() !== '') tokens.push(token.trim());
  return tokens.map(parseMatcher);
}
