import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors.js';
import type { ConfigSection } from './section.js';
import { locate, position, readYamlSource, type YamlSource } from './yaml-source.js';
import { withConfigEnv } from './env.js';
import fg from 'fast-glob';

/** Where the items of one top-level key came from (several files when `include:`d arrays merge). */
type Origin = { src: YamlSource; start: number; count: number };

export interface LoadConfigOptions {
  sections: ConfigSection[];
  env?: NodeJS.ProcessEnv;
  /** Also run every section's `checkFiles` (what `vigil config check` does). */
  checkFiles?: boolean;
}

/** A validated configuration: transformed values per section, deep-frozen, plus the files read. */
export interface LoadedConfigFile {
  config: Readonly<Record<string, unknown>> & { readonly __file: string };
  files: string[];
  /** Problems that do not make the config invalid (only from `checkFiles`). */
  warnings: ConfigIssue[];
}

/** Renders a zod/issue path as `services[0].probes[1].interval`. */
export function pathString(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/**
 * Loads a config file and the files it `include:`s, validates it against every registered section
 * (strict: unknown keys are errors), runs every cross-reference check, and throws one ConfigError
 * carrying every problem found, each with its file, line and column (DESIGN.md §6).
 */
export function loadConfig(file: string, opts: LoadConfigOptions): LoadedConfigFile {
  const env = opts.env ?? process.env;
  const issues: ConfigIssue[] = [];
  const sources: YamlSource[] = [];
  const raw: Record<string, unknown> = {};
  const origins = new Map<string, Origin[]>();

  const readTree = (path: string, chain: string[]): void => {
    const abs = resolve(path);
    if (chain.includes(abs)) {
      issues.push({ file: abs, line: 1, col: 1, message: `include cycle: ${[...chain, abs].join(' -> ')}` });
      return;
    }
    const src = readYamlSource(abs, env, issues);
    if (!src) return;
    sources.push(src);
    const top = src.doc.toJS() as unknown;
    if (top === null || top === undefined) return;
    if (typeof top !== 'object' || Array.isArray(top)) {
      issues.push({
        file: abs,
        line: 1,
        col: 1,
        message: 'the config must be a mapping of keys (timezone:, store:, ...)',
      });
      return;
    }
    for (const [key, value] of Object.entries(top as Record<string, unknown>)) {
      if (key === 'include') continue;
      mergeKey(src, key, value);
    }
    const includes = (top as Record<string, unknown>).include;
    if (includes !== undefined) {
      const list = Array.isArray(includes) ? includes : [includes];
      list.forEach((inc: unknown, i) => {
        if (typeof inc !== 'string') {
          const node = locate(src, ['include', i]);
          issues.push({
            file: abs,
            ...position(src, node?.range?.[0] ?? 0),
            message: 'include: entries must be file paths',
          });
          return;
        }
        const target = resolve(dirname(abs), inc);
        if (!fg.isDynamicPattern(inc)) return readTree(target, [...chain, abs]);
        // A glob includes every match, in name order; one that matches nothing is reported.
        const matches = fg
          .sync(fg.convertPathToPattern(dirname(abs)) + '/' + inc, { onlyFiles: true })
          .sort();
        if (matches.length === 0) {
          const node = locate(src, ['include', i]);
          issues.push({
            file: abs,
            ...position(src, node?.range?.[0] ?? 0),
            message: `include: "${inc}" matches no file`,
          });
        }
        for (const m of matches) readTree(m, [...chain, abs]);
      });
    }
  };

  const mergeKey = (src: YamlSource, key: string, value: unknown): void => {
    const prev = origins.get(key);
    if (!prev) {
      raw[key] = value;
      origins.set(key, [{ src, start: 0, count: Array.isArray(value) ? value.length : 0 }]);
      return;
    }
    if (Array.isArray(raw[key]) && Array.isArray(value)) {
      const start = (raw[key] as unknown[]).length;
      raw[key] = [...(raw[key] as unknown[]), ...value];
      prev.push({ src, start, count: value.length });
      return;
    }
    const node = locate(src, [], key);
    const first = prev[0]!;
    const firstAt = position(first.src, locate(first.src, [], key)?.range?.[0] ?? 0);
    issues.push({
      file: src.file,
      ...position(src, node?.range?.[0] ?? 0),
      message: `${key} is already set in ${first.src.file}:${firstAt.line} (only lists merge across included files)`,
    });
  };

  readTree(file, []);
  const mainFile = resolve(file);

  const report = (path: (string | number)[], message: string, key?: string): void => {
    issues.push(locateIssue(mainFile, sources, origins, path, message, key));
  };

  const shape: Record<string, z.ZodType> = { include: z.union([z.string(), z.array(z.string())]).optional() };
  for (const s of opts.sections) shape[s.key] = s.optional ? s.schema.optional() : s.schema;
  const parsed = withConfigEnv(env, () => z.strictObject(shape).safeParse(raw));
  if (!parsed.success) {
    for (const iss of parsed.error.issues) {
      const path = iss.path.filter((p): p is string | number => typeof p !== 'symbol');
      if (iss.code === 'unrecognized_keys') {
        for (const k of iss.keys) report(path, `${pathString([...path, k])}: unknown key "${k}"`, k);
      } else {
        report(path, `${pathString(path) || '(top level)'}: ${iss.message}`);
      }
    }
  }
  // Cross-reference checks run even when some shapes are wrong, so every problem is reported in
  // one go: on the parsed config when it is valid, else on the best parse of each section.
  const checkInput = parsed.success
    ? (parsed.data as Record<string, unknown>)
    : bestEffort(raw, opts.sections);
  for (const s of opts.sections) {
    if (!s.check) continue;
    try {
      s.check(checkInput, (path, message) => report(path, `${pathString(path)}: ${message}`));
    } catch (err) {
      // A check may trip over a shape its schema already reported; with a valid config it is a bug.
      if (parsed.success) throw err;
    }
  }
  const warnings: ConfigIssue[] = [];
  if (opts.checkFiles && parsed.success) {
    const data = parsed.data as Record<string, unknown>;
    const warn = (path: (string | number)[], message: string): void => {
      warnings.push(locateIssue(mainFile, sources, origins, path, `${pathString(path)}: ${message}`));
    };
    for (const s of opts.sections)
      s.checkFiles?.(data, (path, message) => report(path, `${pathString(path)}: ${message}`), warn);
  }
  if (issues.length > 0) throw new ConfigError(sortIssues(dedupe(issues)));
  const config = deepFreeze({ ...(parsed.data as Record<string, unknown>), __file: mainFile });
  return {
    config: config as LoadedConfigFile['config'],
    files: sources.map((s) => s.file),
    warnings: sortIssues(warnings),
  };
}

/**
 * Each section's value parsed on its own; for a list that fails, its valid items parsed and its
 * invalid items left raw (so indices, and thus issue positions, stay right).
 */
function bestEffort(raw: Record<string, unknown>, sections: ConfigSection[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
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

function locateIssue(
  mainFile: string,
  sources: YamlSource[],
  origins: Map<string, Origin[]>,
  path: (string | number)[],
  message: string,
  key?: string,
): ConfigIssue {
  const top = path[0];
  const list = typeof top === 'string' ? origins.get(top) : undefined;
  if (!list || list.length === 0) {
    const main = sources.find((s) => s.file === mainFile) ?? sources[0];
    if (!main) return { file: mainFile, line: 1, col: 1, message };
    const node = path.length === 0 && key !== undefined ? locate(main, [], key) : undefined;
    return { file: main.file, ...position(main, node?.range?.[0] ?? 0), message };
  }
  let origin = list[0]!;
  let local = path;
  const idx = path[1];
  if (typeof idx === 'number' && list.length > 1) {
    origin = list.find((o) => idx >= o.start && idx < o.start + o.count) ?? origin;
    local = [top as string, idx - origin.start, ...path.slice(2)];
  }
  const node = locate(origin.src, local, key);
  return { file: origin.src.file, ...position(origin.src, node?.range?.[0] ?? 0), message };
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.file}:${i.line}:${i.col}:${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}

// Only plain objects and arrays are frozen: compiled values (regexes, time intervals, secrets)
// keep their own internal caches.
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value) || proto === Object.prototype || proto === null) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
