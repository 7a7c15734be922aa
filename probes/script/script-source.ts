import * as acorn from 'acorn';
import {
  K6_MODULES,
  RESPONSE_OUTSIDE,
  moduleMembers,
  outsideMemberMessage,
  outsideModuleMessage,
} from './k6-subset.js';

/** A problem in a script, 1-based line and column. */
export interface ScriptIssue {
  line: number;
  col: number;
  message: string;
}

/** A script checked against the subset and, when clean, rewritten to run in a vm context. */
export interface CompiledScript {
  issues: ScriptIssue[];
  /** `(async function (__k6_mod, __k6_exports) {...})`, same lines as the source; absent on issues. */
  code?: string;
}

type AnyNode = acorn.Node & Record<string, unknown>;

const isNode = (v: unknown): v is AnyNode =>
  typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';

/** Visits every node depth-first (ESTree children are the node-valued fields). */
function walk(node: AnyNode, visit: (n: AnyNode) => void): void {
  visit(node);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc') continue;
    if (Array.isArray(value)) {
      for (const v of value) if (isNode(v)) walk(v, visit);
    } else if (isNode(value)) walk(value, visit);
  }
}

const nameOf = (n: unknown): string | undefined => {
  if (!isNode(n)) return undefined;
  if (n.type === 'Identifier') return n.name as string;
  if (n.type === 'Literal' && typeof n.value === 'string') return n.value;
  return undefined;
};

/** The identifiers a declaration pattern binds (`const {a, b: [c]} = …` → a, c). */
function boundNames(pattern: AnyNode, out: string[] = []): string[] {
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name as string);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties as AnyNode[])
        boundNames((p.type === 'RestElement' ? p.argument : p.value) as AnyNode, out);
      break;
    case 'ArrayPattern':
      for (const e of pattern.elements as (AnyNode | null)[]) if (e) boundNames(e, out);
      break;
    case 'RestElement':
      boundNames(pattern.argument as AnyNode, out);
      break;
    case 'AssignmentPattern':
      boundNames(pattern.left as AnyNode, out);
      break;
  }
  return out;
}

/** Replaces a range by spaces, keeping newlines, so every later line and column stays put. */
function blank(chars: string[], start: number, end: number, text = ''): void {
  for (let i = start; i < end; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
  for (let i = 0; i < text.length; i++) chars[start + i] = text[i]!;
}

/**
 * Parses a k6 script as an ES module, reports every import or call outside vigil's k6 subset
 * with its line, and rewrites the module into a function vm can run: imports become bindings
 * from `__k6_mod(spec)` (declared on line 1, since ES imports are hoisted), exports become
 * properties of `__k6_exports`. Lines and columns stay those of the file (only line 1 shifts).
 */
export function compileScript(source: string): CompiledScript {
  let program: AnyNode;
  try {
    program = acorn.parse(source, {
      ecmaVersion: 'latest',
      sourceType: 'module',
      locations: true,
      allowHashBang: true,
    }) as unknown as AnyNode;
  } catch (err) {
    const e = err as { loc?: { line: number; column: number }; message?: string };
    return {
      issues: [
        {
          line: e.loc?.line ?? 1,
          col: (e.loc?.column ?? 0) + 1,
          message: `syntax error: ${(e.message ?? String(err)).replace(/ \(\d+:\d+\)$/, '')}`,
        },
      ],
    };
  }
  const issues: ScriptIssue[] = [];
  const at = (n: acorn.Node, message: string): void => {
    issues.push({ line: n.loc!.start.line, col: n.loc!.start.column + 1, message });
  };
  // UTF-16 units, as acorn's offsets and V8's columns count them.
  const chars = source.split('');
  const index = (i: number): number => i;
  const bindings: string[] = [];
  const tail: string[] = [];
  const moduleOf = new Map<string, string>();

  for (const stmt of program.body as AnyNode[]) {
    if (stmt.type === 'ImportDeclaration') {
      const spec = (stmt.source as AnyNode).value as string;
      const allowed = K6_MODULES[spec];
      if (!allowed) at(stmt, outsideModuleMessage(spec));
      for (const s of stmt.specifiers as AnyNode[]) {
        const local = (s.local as AnyNode).name as string;
        const m = JSON.stringify(spec);
        if (s.type === 'ImportNamespaceSpecifier') {
          moduleOf.set(local, spec);
          bindings.push(`const ${local} = __k6_mod(${m});`);
        } else if (s.type === 'ImportDefaultSpecifier') {
          if (allowed && !allowed.includes('default'))
            at(s, `${spec} has no default export in vigil; import { ${moduleMembers(spec).join(', ')} }`);
          moduleOf.set(local, spec);
          bindings.push(`const ${local} = __k6_mod(${m}).default;`);
        } else {
          const imported = nameOf(s.imported) ?? local;
          if (allowed && !allowed.includes(imported)) at(s, outsideMemberMessage(spec, imported));
          bindings.push(`const ${local} = __k6_mod(${m})[${JSON.stringify(imported)}];`);
        }
      }
      blank(chars, index(stmt.start), index(stmt.end));
    } else if (
      stmt.type === 'ExportAllDeclaration' ||
      (stmt.type === 'ExportNamedDeclaration' && stmt.source)
    ) {
      at(stmt, "re-exports from other modules are outside vigil's k6 subset (one self-contained script)");
    } else if (stmt.type === 'ExportNamedDeclaration') {
      const decl = stmt.declaration as AnyNode | null;
      if (decl) {
        blank(chars, index(stmt.start), index(decl.start));
        const names =
          decl.type === 'VariableDeclaration'
            ? (decl.declarations as AnyNode[]).flatMap((d) => boundNames(d.id as AnyNode))
            : [(decl.id as AnyNode).name as string];
        for (const n of names) tail.push(`__k6_exports[${JSON.stringify(n)}] = ${n};`);
      } else {
        for (const s of stmt.specifiers as AnyNode[]) {
          tail.push(`__k6_exports[${JSON.stringify(nameOf(s.exported))}] = ${nameOf(s.local)};`);
        }
        blank(chars, index(stmt.start), index(stmt.end));
      }
    } else if (stmt.type === 'ExportDefaultDeclaration') {
      const decl = stmt.declaration as AnyNode;
      const named = (decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') && decl.id;
      if (named) {
        blank(chars, index(stmt.start), index(decl.start));
        tail.push(`__k6_exports.default = ${(decl.id as AnyNode).name as string};`);
      } else {
        // "export default" and "__k6_default =" have the same length: columns stay put.
        blank(chars, index(stmt.start), index(decl.start), '__k6_default =');
        tail.push('__k6_exports.default = __k6_default;');
      }
    }
  }

  walk(program, (n) => {
    if (n.type === 'ImportExpression') at(n, "dynamic import() is outside vigil's k6 subset");
    else if (n.type === 'MetaProperty' && nameOf(n.meta) === 'import')
      at(n, "import.meta is outside vigil's k6 subset");
    else if (
      n.type === 'CallExpression' &&
      nameOf(n.callee) === 'require' &&
      (n.callee as AnyNode).type === 'Identifier'
    )
      at(n, 'require() is not available in a k6 script; use import');
    else if (n.type === 'MemberExpression' && !n.computed) {
      const obj = n.object as AnyNode;
      const prop = nameOf(n.property);
      const spec = obj.type === 'Identifier' ? moduleOf.get(obj.name as string) : undefined;
      if (spec && prop && K6_MODULES[spec] && !moduleMembers(spec).includes(prop))
        at(n, outsideMemberMessage(spec, prop));
    } else if (n.type === 'CallExpression') {
      const callee = n.callee as AnyNode;
      const prop =
        callee.type === 'MemberExpression' && !callee.computed ? nameOf(callee.property) : undefined;
      if (prop && RESPONSE_OUTSIDE.includes(prop))
        at(
          callee.property as AnyNode,
          `res.${prop}() is outside vigil's k6 subset (no HTML parsing); match the body with a check instead`,
        );
    }
  });

  if (issues.length > 0) return { issues: issues.sort((a, b) => a.line - b.line || a.col - b.col) };
  const head = `(async function (__k6_mod, __k6_exports) {"use strict"; let __k6_default; ${bindings.join(' ')}`;
  const body = chars.join('').replace(/^#!/, '//');
  return { issues, code: `${head}${body}\n;${tail.join(' ')}\n})` };
}
