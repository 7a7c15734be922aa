import type { z } from 'zod';
import type { ConfigSection } from '../../core/index.js';

/** One step of a key path: an object key, or the discriminator value of a union member. */
export type KeySegment = { key: string; array?: boolean } | { discriminator: string; value: string };

/** A key a user can write, with the path that leads to it from the top level. */
export interface KeyPath {
  segments: KeySegment[];
  /** e.g. `services[].probes[type=http].expect.body_contains`. */
  text: string;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  getter?: () => z.ZodType;
  valueType?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  items?: z.ZodType[];
  values?: unknown[];
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Renders segments as `a[].b[type=http].c`. */
export function pathText(segments: KeySegment[]): string {
  let out = '';
  segments.forEach((s, i) => {
    // An array of union members reads `probes[type=http]`, not `probes[][type=http]`.
    const next = segments[i + 1];
    if ('key' in s) out += `${out ? '.' : ''}${s.key}${s.array && !(next && 'discriminator' in next) ? '[]' : ''}`;
    else out += `[${s.discriminator}=${s.value}]`;
  });
  return out;
}

/** The literal values of a discriminator field (looking through optional/default wrappers). */
function literalValues(schema: z.ZodType | undefined): string[] {
  let cur = schema;
  for (let i = 0; cur && i < 5; i++) {
    const d = defOf(cur);
    if (d.type === 'literal') return (d.values ?? []).map(String);
    if (d.type === 'enum') return Object.values((d as unknown as { entries: Record<string, string> }).entries);
    cur = d.innerType;
  }
  return [];
}

/** The input side of core's `secret()`: a union of a string, `{ env }` and `{ file }`. */
export function isSecretInput(s: z.ZodType): boolean {
  const d = defOf(s);
  if (d.type !== 'union') return false;
  const keys = (d.options ?? []).map((o) => Object.keys(defOf(o).shape ?? {}).join(','));
  return keys.includes('env') && keys.includes('file');
}

/**
 * Every key path a schema accepts, walking zod 4 definitions through optional, nullable, default,
 * catch, readonly, pipe (the input side: `duration()` is string → transform), lazy, union (every
 * member; a discriminated union's object members are marked with their discriminator value),
 * intersection, array, tuple and record (its value type). A recursive (lazy) schema is entered
 * at most twice on one path.
 */
export function schemaKeyPaths(schema: z.ZodType, prefix: KeySegment[] = []): KeyPath[] {
  const out: KeyPath[] = [];
  // How often each schema is on the current path: a recursive schema (the alerting route tree)
  // is entered twice, so the keys of a child route are listed too, and then no deeper.
  const onPath = new Map<z.ZodType, number>();

  const walk = (s: z.ZodType, at: KeySegment[]): void => {
    const depth = onPath.get(s) ?? 0;
    if (depth >= 2) return;
    onPath.set(s, depth + 1);
    const d = defOf(s);
    switch (d.type) {
      case 'object':
        for (const [key, child] of Object.entries(d.shape ?? {})) {
          const seg: KeySegment = { key };
          const path = [...at, seg];
          out.push({ segments: path, text: pathText(path) });
          walk(child, path);
        }
        break;
      case 'array':
      case 'set': {
        const last = at[at.length - 1];
        const marked = last && 'key' in last ? [...at.slice(0, -1), { ...last, array: true }] : at;
        if (d.element) walk(d.element, marked);
        break;
      }
      case 'union':
        for (const option of d.options ?? []) {
          if (d.discriminator) {
            const od = defOf(option);
            const value = literalValues(od.shape?.[d.discriminator])[0];
            walk(option, value === undefined ? at : [...at, { discriminator: d.discriminator, value }]);
          } else walk(option, at);
        }
        break;
      case 'intersection':
        if (d.left) walk(d.left, at);
        if (d.right) walk(d.right, at);
        break;
      case 'tuple':
        for (const item of d.items ?? []) walk(item, at);
        break;
      case 'record':
        if (d.valueType) walk(d.valueType, at);
        break;
      case 'lazy':
        if (d.getter) walk(d.getter(), at);
        break;
      case 'pipe':
        // A secret (`string | {env} | {file}`) is one value to the user; its two object forms are
        // documented once, in the example's header, not under every secret key.
        if (d.in && isSecretInput(d.in)) break;
        if (d.in) walk(d.in, at);
        if (d.out) walk(d.out, at);
        break;
      default:
        if (d.innerType) walk(d.innerType, at);
    }
    onPath.set(s, depth);
  };

  walk(schema, prefix);
  // A key reached through several union members (e.g. `env` of every secret) is listed once per path.
  const seen = new Set<string>();
  return out.filter((k) => (seen.has(k.text) ? false : (seen.add(k.text), true)));
}

/** Every key path of every section, plus the loader's own `include`. */
export function configKeyPaths(sections: readonly ConfigSection[]): KeyPath[] {
  const paths: KeyPath[] = [{ segments: [{ key: 'include' }], text: 'include' }];
  for (const s of sections) {
    const top: KeySegment[] = [{ key: s.key }];
    paths.push({ segments: top, text: s.key });
    paths.push(...schemaKeyPaths(s.schema, top));
  }
  return paths;
}

const escape = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Does `line` hold `key:` as a YAML key (block or flow style, active or in a `#` comment)? */
function lineHasKey(line: string, seg: KeySegment): boolean {
  if ('key' in seg) return new RegExp(`(?:^|[\\s{,#\\-\\[])["']?${escape(seg.key)}["']?:(?=\\s|$)`).test(line);
  return new RegExp(`(?:^|[\\s{,#\\-])${escape(seg.discriminator)}:\\s*["']?${escape(seg.value)}["']?(?=[\\s,}]|$)`).test(line);
}

/** The line (0-based) where each top-level key starts: `key:` or `# key:` at column 0. */
export function sectionStarts(lines: readonly string[], keys: readonly string[]): Map<string, number> {
  const starts = new Map<string, number>();
  for (const key of keys) {
    const re = new RegExp(`^(?:# ?)?${escape(key)}:(?=\\s|$)`);
    const i = lines.findIndex((l) => re.test(l));
    if (i >= 0) starts.set(key, i);
  }
  return starts;
}

/**
 * The key paths not found in `text` at a plausible place: inside the block of their top-level key
 * (from its line to the next top-level key), each segment on or after the line of the one before
 * (so `services[].probes[type=dns].expect_min_answers` needs a `type: dns` after `probes:` in the
 * services block, and `expect_min_answers:` after that).
 */
export function missingKeyPaths(text: string, paths: readonly KeyPath[], topKeys: readonly string[]): string[] {
  const lines = text.split('\n');
  const starts = sectionStarts(lines, topKeys);
  const ordered = [...starts.values()].sort((a, b) => a - b);
  const missing: string[] = [];
  for (const p of paths) {
    const first = p.segments[0];
    const start = first && 'key' in first ? starts.get(first.key) : undefined;
    if (start === undefined) {
      missing.push(p.text);
      continue;
    }
    const end = ordered.find((l) => l > start) ?? lines.length;
    let at = start;
    for (const seg of p.segments.slice(1)) {
      let found = -1;
      for (let i = at; i < end; i++) {
        if (lineHasKey(lines[i]!, seg)) {
          found = i;
          break;
        }
      }
      if (found < 0) {
        missing.push(p.text);
        break;
      }
      at = found;
    }
  }
  return missing;
}
