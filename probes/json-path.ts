/**
 * A small JSONPath subset for assertions and captures: `$.a.b`, `$.items[0].id`, `$['odd key']`,
 * `a.b` (the leading `$.` is optional). Returns undefined when any step is missing.
 */
export function jsonPathGet(value: unknown, path: string): unknown {
  const steps = parseJsonPath(path);
  let cur: unknown = value;
  for (const step of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[step];
  }
  return cur;
}

/** Splits a path into keys and indexes; throws on a malformed path (a config error). */
export function parseJsonPath(path: string): (string | number)[] {
  let rest = path.trim().replace(/^\$/, '');
  const out: (string | number)[] = [];
  const re = /^(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[['"]([^'"]*)['"]\])/;
  while (rest.length > 0) {
    const m = re.exec(rest);
    if (!m) throw new Error(`bad JSON path "${path}" at "${rest}"`);
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(m[3] ?? '');
    rest = rest.slice(m[0].length);
  }
  return out;
}

/** Structural equality for JSON values (assertion `equals`). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => jsonEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
