import { VigilError } from '../../core/index.js';
import type { SigmaPredicate } from './compile-rule.js';

type Tok = { t: 'id' | 'lp' | 'rp' | 'and' | 'or' | 'not' | 'of' | 'one' | 'all'; v: string };

function lex(s: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(\(|\)|[A-Za-z0-9_*.-]+)/y;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < s.length && (m = re.exec(s))) {
    pos = re.lastIndex;
    const w = m[1]!;
    const lw = w.toLowerCase();
    if (w === '(') out.push({ t: 'lp', v: w });
    else if (w === ')') out.push({ t: 'rp', v: w });
    else if (lw === 'and' || lw === 'or' || lw === 'not' || lw === 'of' || lw === 'all')
      out.push({ t: lw, v: w });
    else if (w === '1' || lw === 'any') out.push({ t: 'one', v: w });
    else out.push({ t: 'id', v: w });
  }
  if (s.slice(pos).trim() !== '') throw new Error(`unexpected "${s.slice(pos).trim()}"`);
  return out;
}

/** Compiles a Sigma condition (and, or, not, parentheses, `1 of`/`all of` pattern or `them`). */
export function compileCondition(
  cond: string,
  searches: Map<string, SigmaPredicate>,
  file: string,
): SigmaPredicate {
  const fail = (msg: string): never => {
    throw new VigilError('ANL_SIGMA', `${file}: condition "${cond}": ${msg}`);
  };
  let toks: Tok[] = [];
  try {
    toks = lex(cond);
  } catch (err) {
    fail((err as Error).message);
  }
  let i = 0;
  const peek = (): Tok | undefined => toks[i];
  const select = (pattern: string): SigmaPredicate[] => {
    const names = [...searches.keys()].filter((n) =>
      pattern === 'them'
        ? !n.startsWith('_')
        : new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(n),
    );
    if (names.length === 0) fail(`"${pattern}" names no search`);
    return names.map((n) => searches.get(n)!);
  };
  const atom = (): SigmaPredicate => {
    const tk = toks[i++];
    if (!tk) return fail('ends too early');
    if (tk.t === 'lp') {
      const e = orExpr();
      if (toks[i++]?.t !== 'rp') fail('missing ")"');
      return e;
    }
    if (tk.t === 'one' || tk.t === 'all') {
      if (toks[i++]?.t !== 'of') fail(`"${tk.v}" must be followed by "of"`);
      const pat = toks[i++];
      if (!pat || pat.t !== 'id') return fail('"of" needs a pattern or "them"');
      const ps = select(pat.v);
      return tk.t === 'one' ? (f) => ps.some((p) => p(f)) : (f) => ps.every((p) => p(f));
    }
    if (tk.t === 'id') {
      const p = searches.get(tk.v);
      if (!p) return fail(`no search named "${tk.v}"`);
      return p;
    }
    return fail(`unexpected "${tk.v}"`);
  };
  const notExpr = (): SigmaPredicate => {
    if (peek()?.t === 'not') {
      i++;
      const e = notExpr();
      return (f) => !e(f);
    }
    return atom();
  };
  const andExpr = (): SigmaPredicate => {
    const parts = [notExpr()];
    while (peek()?.t === 'and') {
      i++;
      parts.push(notExpr());
    }
    return parts.length === 1 ? parts[0]! : (f) => parts.every((p) => p(f));
  };
  const orExpr = (): SigmaPredicate => {
    const parts = [andExpr()];
    while (peek()?.t === 'or') {
      i++;
      parts.push(andExpr());
    }
    return parts.length === 1 ? parts[0]! : (f) => parts.some((p) => p(f));
  };
  const e = orExpr();
  if (i < toks.length) fail(`unexpected "${toks[i]!.v}"`);
  return e;
}
