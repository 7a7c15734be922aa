import { readdirSync, statSync } from 'node:fs';
import { join, isAbsolute, resolve, sep } from 'node:path';
import { VigilError } from '../../core/index.js';

// Go's filepath.Glob (src/path/filepath/match.go): `*`, `?`, `[...]` and `\` escapes within one
// path element; no `**`, no braces; results sorted per directory. An element without magic
// characters is taken as is.

const hasMeta = (s: string) => /[*?[\\]/.test(s);

/** filepath.Match for one path element, as a RegExp; throws for a malformed pattern. */
function elementRegExp(p: string): RegExp {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      i++;
      if (i >= p.length) throw new VigilError('ALR_TEMPLATE_GLOB', `syntax error in pattern: ${p}`);
      re += escapeRe(p[i]!);
    } else if (c === '[') {
      const close = p.indexOf(']', i + 2);
      if (close < 0) throw new VigilError('ALR_TEMPLATE_GLOB', `syntax error in pattern: ${p}`);
      let body = p.slice(i + 1, close);
      const neg = body.startsWith('^');
      if (neg) body = body.slice(1);
      re += `[${neg ? '^' : ''}${body.replace(/[\]\\^]/g, (x) => `\\${x}`)}]`;
      i = close;
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, 'u');
}

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Expands a Go glob (relative patterns against `cwd`); sorted, empty when nothing matches. */
export function goGlob(pattern: string, cwd = process.cwd()): string[] {
  const abs = isAbsolute(pattern) ? pattern : resolve(cwd, pattern);
  const parts = abs.split(sep);
  let found = [parts[0] === '' ? sep : parts[0]!];
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    const next: string[] = [];
    for (const dir of found) {
      if (!hasMeta(part)) {
        next.push(join(dir, part));
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        continue; // Go's Glob ignores I/O errors such as a directory it cannot read
      }
      const re = elementRegExp(part);
      for (const n of names) if (re.test(n)) next.push(join(dir, n));
    }
    found = next;
  }
  return found.filter((f) => {
    try {
      statSync(f);
      return true;
    } catch {
      return false;
    }
  });
}
