import { matchesAll, newMatcher, parseMatchers, type Matcher } from './matchers.js';
import { isResolved, type RouterAlert } from './alert-model.js';
import type { InhibitRuleConfig } from './am-schema.js';

export interface InhibitRule {
  source: Matcher[];
  target: Matcher[];
  equal: string[];
}

function side(match?: Record<string, string>, matchRe?: Record<string, string>, lines?: string[]): Matcher[] {
  const out: Matcher[] = [];
  for (const [k, v] of Object.entries(match ?? {})) out.push(newMatcher('=', k, v));
  for (const [k, v] of Object.entries(matchRe ?? {})) out.push(newMatcher('=~', k, v));
  for (const l of lines ?? []) out.push(...parseMatchers(l));
  return out;
}

/** Compiles `inhibit_rules` (legacy source_match/_re and target_match/_re too). */
export function compileInhibitRules(rules: readonly InhibitRuleConfig[]): InhibitRule[] {
  return rules.map((r) => ({
    source: side(r.source_match, r.source_match_re, r.source_matchers),
    target: side(r.target_match, r.target_match_re, r.target_matchers),
    equal: r.equal ?? [],
  }));
}

/**
 * Whether an alert with these labels is inhibited, as Alertmanager's `Inhibitor.Mutes`: a rule
 * whose target matches, and a firing source alert equal on the `equal` labels (a missing label
 * equals ""). An alert matching both sides cannot be inhibited by another such alert, so
 * two-sided rules never mute everything (inhibit/inhibit.go `hasEqual`).
 */
export function isInhibited(
  rules: readonly InhibitRule[],
  labels: Readonly<Record<string, string>>,
  sources: Iterable<RouterAlert>,
  now: number,
): string | undefined {
  for (const r of rules) {
    if (!matchesAll(r.target, labels)) continue;
    const twoSided = matchesAll(r.source, labels);
    for (const a of sources) {
      if (isResolved(a, now) || !matchesAll(r.source, a.labels)) continue;
      if (!r.equal.every((n) => (a.labels[n] ?? '') === (labels[n] ?? ''))) continue;
      if (twoSided && matchesAll(r.target, a.labels)) continue;
      return a.fingerprint;
    }
  }
  return undefined;
}
