import { dirname, resolve } from 'node:path';
import { ConfigError, VigilError, type ConfigIssue } from '../errors.js';
import type { ConfigSection } from './section.js';
import {
  locate,
  notAConfig,
  position,
  readYamlSource,
  scalarsAsText,
  type YamlSource,
} from './yaml-source.js';
import { pathString, validateSections } from './validate-sections.js';
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

  const known = new Set(['include', ...opts.sections.map((s) => s.key)]);

  /** `at`: where the file was included from (the `include:` entry), for problems with the file as a whole. */
  const readTree = (path: string, chain: string[], at?: { src: YamlSource; index: number }): void => {
    const abs = resolve(path);
    const whole = (message: string): void => {
      const node = at ? locate(at.src, ['include', at.index]) : undefined;
      issues.push(
        at
          ? { file: at.src.file, ...position(at.src, node?.range?.[0] ?? 0), message }
          : { file: abs, line: 1, col: 1, message },
      );
    };
    if (chain.includes(abs)) {
      issues.push({ file: abs, line: 1, col: 1, message: `include cycle: ${[...chain, abs].join(' -> ')}` });
      return;
    }
    const own: ConfigIssue[] = [];
    const src = readYamlSource(abs, env, own);
    if (!src) return whole(own.map((i) => i.message).join('; '));
    // A file that is not a vigil config (a password file, a binary) is refused as a whole: its
    // lines must never come back as "unknown keys" or YAML errors quoting them.
    const refusal = notAConfig(src, known, at ? 'included file' : 'config file');
    if (refusal) return whole(refusal);
    issues.push(...own);
    sources.push(src);
    for (const s of opts.sections) {
      const wanted = s.scalarsAsText?.bind(s);
      if (wanted) scalarsAsText(src, (path) => path[0] === s.key && wanted(path));
    }
    const top = src.doc.toJS() as unknown;
    if (top === null || top === undefined) return;
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
        if (!fg.isDynamicPattern(inc)) return readTree(target, [...chain, abs], { src, index: i });
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
        for (const m of matches) readTree(m, [...chain, abs], { src, index: i });
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

  const data = validateSections(raw, opts.sections, env, report);
  // File checks (Sigma rules compiled, folders present) only on a config whose shape is right.
  const warnings: ConfigIssue[] = [];
  if (opts.checkFiles && data && issues.length === 0) {
    const warn = (path: (string | number)[], message: string): void => {
      warnings.push(locateIssue(mainFile, sources, origins, path, `${pathString(path)}: ${message}`));
    };
    for (const s of opts.sections)
      s.checkFiles?.(data, (path, message) => report(path, `${pathString(path)}: ${message}`), warn);
  }
  if (issues.length > 0) throw new ConfigError(sortIssues(dedupe(issues)));
  // A failed parse always reports at least one issue; this guards that promise.
  if (!data) throw new VigilError('CFG_INTERNAL', 'the config did not parse but no problem was reported');
  const config = deepFreeze({ ...data, __file: mainFile });
  return {
    config: config as LoadedConfigFile['config'],
    files: sources.map((s) => s.file),
    warnings: sortIssues(warnings),
  };
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
