import { z } from 'zod';
import { errorMessage } from '../errors.js';
import type { ConfigSection } from './section.js';
import { withConfigEnv } from './env.js';

type Path = (string | number)[];
/** Reports a problem at a path of the whole config; `key` points at a key itself (unknown keys). */
export type PathReporter = (path: Path, message: string, key?: string) => void;

/** Renders a zod/issue path as `services[0].probes[1].interval`. */
export function pathString(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/**
 * Parses the merged top-level mapping against every section (strict) and runs every section's
 * cross-check on the parsed values, reporting each problem. Returns the parsed config, or
 * undefined when any shape is wrong.
 *
 * The checks always see parsed values (durations in ms, secrets as Secret): a section whose shape
 * is wrong is left out, except that a list keeps its valid items parsed and its invalid items raw,
 * so references to them are still checked and indices (thus positions) stay right. A check that
 * throws is reported as a problem, never swallowed.
 */
export function validateSections(
  raw: Record<string, unknown>,
  sections: readonly ConfigSection[],
  env: NodeJS.ProcessEnv,
  report: PathReporter,
): Record<string, unknown> | undefined {
  const shape: Record<string, z.ZodType> = { include: z.union([z.string(), z.array(z.string())]).optional() };
  for (const s of sections) shape[s.key] = s.optional ? s.schema.optional() : s.schema;
  const parsed = withConfigEnv(env, () => z.strictObject(shape).safeParse(raw));
  const failed = new Set<string>();
  if (!parsed.success) {
    for (const iss of parsed.error.issues.flatMap((i) => unwrapUnion(i))) {
      const path = iss.path.filter((p): p is string | number => typeof p !== 'symbol');
      failed.add(String(path[0] ?? ''));
      if (iss.code === 'unrecognized_keys') {
        for (const k of iss.keys) report(path, `${pathString([...path, k])}: unknown key "${k}"`, k);
      } else {
        report(path, `${pathString(path) || '(top level)'}: ${iss.message}`);
      }
    }
  }
  const checkInput = parsed.success
    ? (parsed.data as Record<string, unknown>)
    : withConfigEnv(env, () => bestEffort(raw, sections));
  for (const s of sections) {
    if (!s.check) continue;
    try {
      s.check(checkInput, (path, message) => report(path, `${pathString(path)}: ${message}`));
    } catch (err) {
      // An invalid list item is passed raw and may trip a check; its problem is already reported,
      // but the reader must know the check stopped there. On valid input a throw is a bug: still
      // a problem in the output (exit 2), never a silent pass.
      report(
        [s.key],
        failed.has(s.key)
          ? `${s.key}: further checks stopped at a value with the problems above (${errorMessage(err)}); fix them and check again`
          : `${s.key}: internal error in the cross-check (${errorMessage(err)}); please report this`,
      );
    }
  }
  return parsed.success ? (parsed.data as Record<string, unknown>) : undefined;
}

type Issue = z.core.$ZodIssue;

/**
 * zod reports a union none of whose branches matched as one "Invalid input". When exactly one
 * branch matched the shape at the union's own level (its problems are all deeper, e.g. an unset
 * `{env: X}` inside `auth: {basic: ...}`), that branch is what was meant: report its problems.
 */
function unwrapUnion(iss: Issue): Issue[] {
  if (iss.code !== 'invalid_union' || !Array.isArray(iss.errors) || iss.errors.length === 0) return [iss];
  const shaped = iss.errors.filter((branch) => branch.every((b) => b.path.length > 0));
  if (shaped.length !== 1) return [iss];
  return shaped[0]!.flatMap((b) => unwrapUnion({ ...b, path: [...iss.path, ...b.path] } as Issue));
}

/**
 * Each section's value parsed on its own: kept when valid, left out when not, except that a list
 * keeps its valid items parsed and its invalid items raw.
 */
function bestEffort(
  raw: Record<string, unknown>,
  sections: readonly ConfigSection[],
): Record<string, unknown> {
  const known = new Set(sections.map((s) => s.key));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!known.has(k)) out[k] = v;
  for (const s of sections) {
    if (!(s.key in raw)) continue;
    const r = s.schema.safeParse(raw[s.key]);
    if (r.success) out[s.key] = r.data;
    else if (Array.isArray(raw[s.key])) {
      const element = arrayElement(s.schema);
      if (element) {
        out[s.key] = (raw[s.key] as unknown[]).map((item) => {
          const e = element.safeParse(item);
          return e.success ? e.data : item;
        });
      }
    }
  }
  return out;
}

/** The element schema of an array schema, looking through optional/default wrappers. */
function arrayElement(schema: z.ZodType): z.ZodType | undefined {
  let cur: z.ZodType | undefined = schema;
  for (let i = 0; i < 5 && cur; i++) {
    if (cur instanceof z.ZodArray) return cur.element as z.ZodType;
    const def: { innerType?: z.ZodType } = (cur as unknown as { _zod: { def: { innerType?: z.ZodType } } })
      ._zod.def;
    cur = def.innerType;
  }
  return undefined;
}
