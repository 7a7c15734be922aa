import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { VigilError } from '../../core/index.js';
import { compileSigmaFile, type CompiledSigmaRule } from './compile-rule.js';

/** A rule file (or directory) that could not be used, with the line of the part at fault. */
export interface SigmaProblem {
  file: string;
  line: number;
  message: string;
}

/** Rules that compiled, what could not be used, and warnings (fields a log source never has). */
export interface SigmaRuleSet {
  rules: CompiledSigmaRule[];
  problems: SigmaProblem[];
  warnings: SigmaProblem[];
}

/** Rule files above this size are refused (a Sigma rule is a few KiB; a huge file is a mistake). */
const MAX_RULE_BYTES = 1 << 20;

/**
 * Compiles every `.yml`/`.yaml` rule under the given directories (recursively). A rule that
 * cannot be compiled, a missing directory, a symlink or an oversized file is a problem with its
 * file and line, never an exception: one bad rule must not stop the others (issue 10). Symlinks
 * are not followed (vigil runs as root; a link in a rules folder must not read other files).
 */
export function loadSigmaRuleSet(dirs: readonly string[]): SigmaRuleSet {
  const set: SigmaRuleSet = { rules: [], problems: [], warnings: [] };
  const walk = (d: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(d).sort();
    } catch (err) {
      set.problems.push({
        file: d,
        line: 0,
        message: `cannot read Sigma rules directory: ${(err as Error).message}`,
      });
      return;
    }
    for (const e of entries) {
      const p = join(d, e);
      const st = lstatSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isSymbolicLink()) {
        set.problems.push({ file: p, line: 0, message: 'symbolic link not followed' });
        continue;
      }
      if (st.isDirectory()) {
        walk(p);
        continue;
      }
      if (!/\.ya?ml$/.test(e)) continue;
      if (!st.isFile()) {
        set.problems.push({ file: p, line: 0, message: 'not a regular file' });
        continue;
      }
      if (st.size > MAX_RULE_BYTES) {
        set.problems.push({ file: p, line: 0, message: `larger than ${MAX_RULE_BYTES} bytes` });
        continue;
      }
      const r = compileSigmaFile(readFileSync(p, 'utf8'), p);
      set.rules.push(...r.rules);
      set.problems.push(...r.problems);
      set.warnings.push(...r.warnings);
    }
  };
  for (const d of dirs) {
    const st = lstatSync(d, { throwIfNoEntry: false });
    if (!st) set.problems.push({ file: d, line: 0, message: 'Sigma rules directory does not exist' });
    else if (!st.isDirectory()) set.problems.push({ file: d, line: 0, message: 'not a directory' });
    else walk(d);
  }
  return set;
}

/** `file:line: message` of a problem (line 0: the file or directory as a whole). */
export function formatSigmaProblem(p: SigmaProblem): string {
  return p.line > 0 ? `${p.file}:${p.line}: ${p.message}` : `${p.file}: ${p.message}`;
}

/** Compiles every rule under the directories; throws ANL_SIGMA naming every problem (tests, strict callers). */
export function loadSigmaRules(dirs: readonly string[]): CompiledSigmaRule[] {
  const set = loadSigmaRuleSet(dirs);
  if (set.problems.length > 0)
    throw new VigilError('ANL_SIGMA', set.problems.map(formatSigmaProblem).join('\n'));
  return set.rules;
}
