import { RE2JS } from 're2js';
import { z } from 'zod';
import { VigilError, errorMessage } from '../core/index.js';

type Compiled = ReturnType<typeof RE2JS.compile>;

// A response body is untrusted input: a backtracking engine (JS RegExp) can spend exponential
// time on a crafted body (`(a+)+$` against "aaa…!"), which hung the probe thread. RE2 matches in
// time linear in the input (https://github.com/google/re2/wiki/WhyRE2), as Go's regexp does for
// blackbox_exporter's fail_if_body_matches_regexp.
const cache = new Map<string, Compiled>();
const CACHE_MAX = 1024;

/** Compiles an RE2 pattern once (cached); throws PRB_REGEX when RE2 rejects it. */
export function probeRegex(pattern: string): Compiled {
  let re = cache.get(pattern);
  if (re) return re;
  try {
    re = RE2JS.compile(pattern);
  } catch (err) {
    throw new VigilError('PRB_REGEX', `"${pattern}" is not an RE2 regular expression: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(pattern, re);
  return re;
}

/** True when the pattern matches anywhere in the text (unanchored, as RegExp.test and Go's MatchString). */
export function regexFinds(pattern: string, text: string): boolean {
  return probeRegex(pattern).matcher(text).find();
}

/** The first match's group 1, or the whole match when the pattern has no group; undefined when none. */
export function regexCapture(pattern: string, text: string): string | undefined {
  const m = probeRegex(pattern).matcher(text);
  if (!m.find()) return undefined;
  return (m.groupCount() >= 1 ? m.group(1) : null) ?? m.group(0) ?? undefined;
}

/** A config string that must be an RE2 pattern; refused by `vigil config check` at its place. */
export const re2Pattern = () =>
  z.string().superRefine((p, ctx) => {
    try {
      RE2JS.compile(p);
    } catch (err) {
      ctx.addIssue({
        code: 'custom',
        message: `"${p}" is not an RE2 regular expression (${errorMessage(err)}); lookahead and backreferences are not RE2`,
      });
    }
  });
