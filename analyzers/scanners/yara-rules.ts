import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fg from 'fast-glob';
import type { YaraX, CompilerOptions } from '@litko/yara-x';
import { VigilError, errorMessage } from '../../core/index.js';

// @litko/yara-x is a CommonJS napi module; load it the way Node loads CJS from ESM.
const yarax = createRequire(import.meta.url)('@litko/yara-x') as typeof import('@litko/yara-x');

/** External variables common rule sets (LOKI, THOR, signature-base) expect, defined for every file. */
export const STANDARD_EXTERNALS = ['filename', 'filepath', 'extension', 'filetype', 'owner'] as const;

/** One problem in a rule file, located. */
export interface RuleIssue {
  file: string;
  line: number;
  col: number;
  message: string;
}

export interface CompiledRules {
  rules: YaraX;
  files: string[];
  /** SHA-256 over every rule file's path and content and the external names: changes force a full rescan. */
  fingerprint: string;
  warnings: RuleIssue[];
  /** The externals some rule actually uses (see `externalsInUse`). */
  usedExternals: Set<string>;
}

/**
 * Compiles every `*.yar` / `*.yara` under the given folders into one rule set with the standard
 * externals plus `extra`. Each file is validated on its own first so an error names its file and
 * line; a duplicate rule across files is located through the line map of the joined source.
 * Throws SCN_YARA_COMPILE listing every problem.
 */
export async function compileRuleDirs(
  dirs: string[],
  extra: Record<string, string | number> = {},
): Promise<CompiledRules> {
  const files: string[] = [];
  for (const dir of dirs) {
    const found = await fg(['**/*.yar', '**/*.yara'], {
      cwd: dir,
      absolute: true,
      onlyFiles: true,
      followSymbolicLinks: false,
    });
    if (found.length === 0) {
      const exists = await readFile(dir).catch((err: NodeJS.ErrnoException) => err.code);
      if (exists === 'ENOENT')
        throw new VigilError('SCN_YARA_RULES', `scanners.yara.rules: folder ${dir} does not exist`);
    }
    files.push(...found.sort());
  }
  const defineVariables: Record<string, string | number> = { ...extra };
  for (const name of STANDARD_EXTERNALS) defineVariables[name] = '';
  const options: CompilerOptions = { defineVariables };
  const issues: RuleIssue[] = [];
  const warnings: RuleIssue[] = [];
  const sources: string[] = [];
  const hash = createHash('sha256').update(JSON.stringify(Object.keys(defineVariables).sort()));
  for (const file of files) {
    let src: string;
    try {
      src = await readFile(file, 'utf8');
    } catch (err) {
      issues.push({ file, line: 0, col: 0, message: `cannot read: ${errorMessage(err)}` });
      continue;
    }
    hash.update(file).update('\0').update(src).update('\0');
    const result = yarax.validate(src, options);
    for (const e of result.errors) issues.push(locate(file, e.message));
    for (const w of result.warnings) warnings.push(locate(file, w.message));
    sources.push(src.endsWith('\n') ? src : `${src}\n`);
  }
  if (issues.length === 0) {
    try {
      const joined = sources.join('');
      const rules = yarax.compile(joined, options);
      return {
        rules,
        files,
        fingerprint: hash.digest('hex'),
        warnings,
        usedExternals: externalsInUse(joined, defineVariables),
      };
    } catch (err) {
      issues.push(locateJoined(files, sources, errorMessage(err)));
    }
  }
  throw new VigilError(
    'SCN_YARA_COMPILE',
    `YARA rules do not compile:\n${issues.map(formatRuleIssue).join('\n')}`,
  );
}

/**
 * Which externals the rules refer to: a rule set that still compiles without a variable does not
 * use it. Needed because @litko/yara-x 0.3 turns a string external that looks like an integer or a
 * boolean ("2024", "true") into that type, so for such values the scanner must know whether any
 * rule reads the variable (then the file is an error) or not (then the value is left out).
 */
function externalsInUse(source: string, vars: Record<string, string | number>): Set<string> {
  const used = new Set<string>();
  for (const name of Object.keys(vars)) {
    const without = { ...vars };
    delete without[name];
    if (yarax.validate(source, { defineVariables: without }).errors.length > 0) used.add(name);
  }
  return used;
}

/** `file:line:col: message`, as `vigil config check` prints problems. */
export function formatRuleIssue(i: RuleIssue): string {
  return `${i.file}:${i.line}:${i.col}: ${i.message}`;
}

/** YARA-X puts the place in the message (" --> line:4:1"); the first line is the summary. */
function locate(file: string, message: string): RuleIssue {
  const m = /--> line:(\d+):(\d+)/.exec(message);
  const summary = message.split('\n')[0]?.replace(/^Compilation error \(\w+\): /, '') ?? message;
  return { file, line: m ? Number(m[1]) : 0, col: m ? Number(m[2]) : 0, message: summary };
}

/** Maps a line of the joined source back to the rule file it came from. */
function locateJoined(files: string[], sources: string[], message: string): RuleIssue {
  const at = locate('(joined rules)', message);
  let start = 1;
  for (let i = 0; i < sources.length; i++) {
    const lines = (sources[i] ?? '').split('\n').length - 1;
    if (at.line >= start && at.line < start + lines)
      return { ...at, file: files[i] ?? at.file, line: at.line - start + 1 };
    start += lines;
  }
  return at;
}
