// @ts-check
/**
 * `vigil/layers`: the direction of dependencies of DESIGN.md §2, enforced so it stays true.
 *
 * A file's layer is its top-level folder. core ← domains (probes, sla, analyzers, alerting,
 * incidents, evidence) ← server, dashboards ← app; tests and bench may import anything. A domain never
 * imports another domain. Across folders, import only the folder's `index.js`/`index.ts`;
 * within one's own folder anything goes. Only relative (and absolute) specifiers are ours:
 * packages and node built-ins are always allowed.
 */
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

export const DOMAINS = ['probes', 'sla', 'analyzers', 'alerting', 'incidents', 'evidence'];

/** Which of our folders each layer may import (besides itself); `*` means any. */
export const DEFAULT_ALLOWED = {
  core: [],
  ...Object.fromEntries(DOMAINS.map((d) => [d, ['core']])),
  server: ['core'],
  dashboards: ['core', ...DOMAINS],
  app: ['*'],
  tests: ['*'],
  bench: ['*'],
};

/** Layers whose files may import another folder's internals (tests reach what they test). */
export const DEFAULT_DEEP_ALLOWED = ['tests', 'bench'];

/** @param {string[]} list */
function describeAllowed(list) {
  return list.length === 0
    ? 'only node built-ins and packages'
    : `only ${list.map((l) => `${l}/`).join(', ')} (and node built-ins and packages)`;
}

/** @type {import('eslint').Rule.RuleModule} */
const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layering of DESIGN.md §2: allowed folder imports, no deep imports' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          allowed: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
          deepAllowed: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      domainToDomain:
        '{{from}}/ must not import {{to}}/: a domain never imports another domain; ' +
        'pass core types and wire them in app/ (DESIGN.md §2)',
      notAllowed: '{{from}}/ must not import {{to}}/: {{from}}/ may import {{allowed}} (DESIGN.md §2)',
      deep: '{{from}}/ must import {{to}}/ through its index: import {{index}}, not {{spec}}',
    },
  },

  create(context) {
    const opts = context.options[0] ?? {};
    const root = resolve(opts.root ?? context.cwd);
    /** @type {Record<string, string[]>} */
    const allowed = opts.allowed ?? DEFAULT_ALLOWED;
    const deepAllowed = opts.deepAllowed ?? DEFAULT_DEEP_ALLOWED;
    const file = context.physicalFilename;
    const fromRel = relative(root, file);
    if (fromRel.startsWith('..') || isAbsolute(fromRel)) return {};
    const fromParts = fromRel.split(sep);
    // Files at the top level (configs) and folders without a rule (scripts/, bin/) are unrestricted.
    const from = fromParts.length > 1 ? fromParts[0] : undefined;
    const fromAllowed = from === undefined ? undefined : allowed[from];
    if (from === undefined || fromAllowed === undefined) return {};

    /** @param {import('estree').Node | null | undefined} source */
    function check(source) {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const spec = source.value;
      if (!spec.startsWith('.') && !isAbsolute(spec)) return;
      const targetRel = relative(root, resolve(dirname(file), spec));
      if (targetRel.startsWith('..') || isAbsolute(targetRel) || targetRel === '') return;
      const [to, ...rest] = targetRel.split(sep);
      if (to === undefined || to === from) return;
      const data = { from, to, spec };
      if (from !== undefined && DOMAINS.includes(from) && DOMAINS.includes(to)) {
        context.report({ node: source, messageId: 'domainToDomain', data });
        return;
      }
      if (!fromAllowed?.includes('*') && !fromAllowed?.includes(to)) {
        context.report({
          node: source,
          messageId: 'notAllowed',
          data: { ...data, allowed: describeAllowed(fromAllowed ?? []) },
        });
        return;
      }
      if (deepAllowed.includes(from ?? '') || !(to in allowed)) return;
      const inner = rest.join('/');
      if (inner === 'index.js' || inner === 'index.ts') return;
      const ext = /\.ts$/.test(spec) ? '.ts' : '.js';
      let index = relative(dirname(file), resolve(root, to, `index${ext}`))
        .split(sep)
        .join('/');
      if (!index.startsWith('.')) index = `./${index}`;
      context.report({ node: source, messageId: 'deep', data: { ...data, index } });
    }

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

export default layers;
