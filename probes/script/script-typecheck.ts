import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { errorMessage } from '../../core/index.js';

/** One type-check finding in a script. `error` only for scripts that opt in with `// @ts-check`. */
export interface TypeIssue {
  file: string;
  line: number;
  col: number;
  severity: 'error' | 'warning';
  message: string;
}

export type TypeCheckOutcome = { issues: TypeIssue[] } | { skipped: string };

/** Declarations of the modules vigil adds to k6's (docs/probes.md), for the checker. */
const VIGIL_MODULES = `
declare module 'https://jslib.k6.io/totp/1.0.0/index.js' {
  export class TOTP {
    constructor(secret: string, digits?: number);
    gen(timeStep?: number, bias?: number): Promise<string>;
    verify(code: string, timeStep?: number): Promise<boolean>;
  }
}
declare module 'k6/x/totp' {
  export function totp(secret: string, digits?: number, period?: number): string;
  export default totp;
}
`;
const VIGIL_DTS = '/__vigil__/vigil-k6.d.ts';
const MAX_PER_FILE = 20;

type TS = typeof import('typescript');

/**
 * Type-checks scripts against @types/k6 with TypeScript's checker, when both can be loaded (they
 * are development dependencies; without them this is skipped with a note). As TypeScript does for
 * JavaScript, findings are errors only in a script that opts in with `// @ts-check`; in others
 * they are warnings, since plain k6 scripts (res.json().field, say) are not written to type-check.
 */
export function typeCheckScripts(paths: string[]): TypeCheckOutcome {
  if (paths.length === 0) return { issues: [] };
  const require = createRequire(import.meta.url);
  let ts: TS;
  let k6Types: string;
  try {
    ts = require('typescript') as TS;
    k6Types = dirname(require.resolve('@types/k6/package.json'));
  } catch (err) {
    return {
      skipped: `scripts not type-checked: TypeScript or @types/k6 is not installed (${errorMessage(err).split('\n')[0]})`,
    };
  }
  const options: import('typescript').CompilerOptions = {
    allowJs: true,
    checkJs: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'],
    types: ['k6'],
    typeRoots: [dirname(k6Types)],
    baseUrl: '/',
    paths: { k6: [join(k6Types, 'index.d.ts')], 'k6/*': [join(k6Types, '*', 'index.d.ts')] },
    skipLibCheck: true,
    strict: false,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    name === VIGIL_DTS ? ts.createSourceFile(name, VIGIL_MODULES, lang) : getSourceFile(name, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === VIGIL_DTS || fileExists(name);
  const roots = paths.map((p) => resolve(p));
  const program = ts.createProgram([...roots, VIGIL_DTS], options, host);
  const issues: TypeIssue[] = [];
  for (const [i, root] of roots.entries()) {
    const sf = program.getSourceFile(root);
    if (!sf) continue;
    const severity = /^\s*(?:#!.*\n\s*)?\/\/\s*@ts-check\b/.test(sf.text) ? 'error' : 'warning';
    const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    for (const d of diags.slice(0, MAX_PER_FILE)) {
      const pos =
        d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
      issues.push({
        file: paths[i]!,
        line: pos.line + 1,
        col: pos.character + 1,
        severity,
        message: `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ').replace(/\s+/g, ' ')}`,
      });
    }
  }
  return { issues };
}
