// A seeded generator of Alertmanager routing configs and label sets for differential tests.

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['env', 'team', 'severity', 'service'];
const VALUES = ['prod', 'staging', 'db', 'web', 'critical', 'warning', 'a.b', 'Prod', 'x-1', 'ü'];
// Regexes chosen where RE2 and JavaScript differ or anchoring matters: RE2 classes, (?i),
// \pL, alternation that must be fully anchored, empty match, repetition.
const REGEXES = [
  'prod|staging',
  'prod',
  '.*',
  '.+',
  'pro.*',
  '(?i)PROD',
  '\\pL+',
  '[[:alpha:]]+',
  '[a-z]+\\.[a-z]+',
  'web|',
  'x-\\d',
  '(db|web)',
  'crit.*|warn.*',
  '\\x{fc}',
  'a{1,2}\\.b',
  '[^p].*',
];

type R = () => number;
const pick = <T>(r: R, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

function matcherLine(r: R): string {
  const name = pick(r, NAMES);
  const op = pick(r, ['=', '!=', '=~', '!~'] as const);
  const value = op.endsWith('~') ? pick(r, REGEXES) : pick(r, VALUES);
  // Both quoted and unquoted forms, as the parser accepts them.
  const quoted = r() < 0.7 || /[,"\\{} ]/.test(value) || value === '';
  return quoted ? `${name}${op}${JSON.stringify(value)}` : `${name}${op}${value}`;
}

function route(r: R, depth: number, receivers: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const style = r();
  if (style < 0.6) out.matchers = Array.from({ length: 1 + Math.floor(r() * 2) }, () => matcherLine(r));
  else if (style < 0.8) out.match = { [pick(r, NAMES)]: pick(r, VALUES) };
  else out.match_re = { [pick(r, NAMES)]: pick(r, REGEXES) };
  if (r() < 0.7) out.receiver = pick(r, receivers);
  if (r() < 0.35) out.continue = true;
  if (depth < 3 && r() < 0.45)
    out.routes = Array.from({ length: 1 + Math.floor(r() * 3) }, () => route(r, depth + 1, receivers));
  return out;
}

/** An Alertmanager config object with a random route tree. */
export function genConfig(r: R): Record<string, unknown> {
  const receivers = Array.from({ length: 2 + Math.floor(r() * 4) }, (_, i) => `rcv${i}`);
  return {
    route: {
      receiver: receivers[0],
      group_by: ['alertname'],
      routes: Array.from({ length: 1 + Math.floor(r() * 4) }, () => route(r, 1, receivers)),
    },
    receivers: receivers.map((name) => ({ name })),
  };
}

/** A label set over the same vocabulary (some labels missing, so "" semantics are exercised). */
export function genLabels(r: R): Record<string, string> {
  const out: Record<string, string> = { alertname: 'Test' };
  for (const n of NAMES) if (r() < 0.65) out[n] = pick(r, VALUES);
  return out;
}
