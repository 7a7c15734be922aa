import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { VigilError } from '../../core/index.js';
import { compileSigmaRule, type CompiledSigmaRule } from './compile-rule.js';

/** Compiles every `.yml`/`.yaml` rule under the given directories (recursively). */
export function loadSigmaRules(dirs: string[]): CompiledSigmaRule[] {
  const out: CompiledSigmaRule[] = [];
  const walk = (d: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(d).sort();
    } catch (err) {
      throw new VigilError('ANL_SIGMA', `cannot read Sigma rules directory ${d}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    for (const e of entries) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e)) out.push(compileSigmaRule(readFileSync(p, 'utf8'), p));
    }
  };
  for (const d of dirs) walk(d);
  return out;
}
