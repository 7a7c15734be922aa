import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { errorMessage, secret } from '../../core/index.js';
import { compileScript } from './script-source.js';

/** A script read and checked at config load: its path and the code the script thread runs. */
export interface LoadedScript {
  path: string;
  code: string;
}

/**
 * Reads and checks a script file when the config is loaded, so `vigil config check` reports every
 * import or call outside the subset as `file:line:col` (and an agent receives the code with its
 * config, not a path on the server). Relative paths are taken from the working directory, as
 * ca_file is.
 */
export const scriptFile = () =>
  z
    .string()
    .min(1)
    .transform((path, ctx): LoadedScript => {
      let source: string;
      try {
        source = readFileSync(path, 'utf8');
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `cannot read script ${path}: ${errorMessage(err)}` });
        return z.NEVER;
      }
      const compiled = compileScript(source);
      for (const i of compiled.issues)
        ctx.addIssue({ code: 'custom', message: `${path}:${i.line}:${i.col}: ${i.message}` });
      if (!compiled.code) return z.NEVER;
      return { path, code: compiled.code };
    });

/** The files a script may open(), read at load: absolute path → base64 contents. */
export const scriptFiles = () =>
  z
    .array(z.string().min(1))
    .default([])
    .transform((paths, ctx): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const p of paths) {
        try {
          out[resolve(p)] = readFileSync(p).toString('base64');
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: `cannot read ${p}: ${errorMessage(err)}` });
        }
      }
      return out;
    });

/** `__ENV` of a script: names as k6 allows them, every value a secret (never printed). */
export const scriptEnv = () =>
  z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'), secret())
    .default({});
