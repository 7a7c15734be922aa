// @ts-check
/**
 * `vigil/node-protocol`: built-in modules are imported with the `node:` prefix (DESIGN.md §9), so
 * a reader never wonders whether `events` is the built-in or a package. Fixable.
 */
import { builtinModules } from 'node:module';

const BUILTINS = new Set(builtinModules);

/** @type {import('eslint').Rule.RuleModule} */
const nodeProtocol = {
  meta: {
    type: 'suggestion',
    fixable: 'code',
    docs: { description: 'Import node built-ins with the node: prefix' },
    schema: [],
    messages: { prefix: "import 'node:{{name}}', not '{{name}}'" },
  },
  create(context) {
    /** @param {import('estree').Node | null | undefined} source */
    function check(source) {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const name = source.value;
      if (!BUILTINS.has(name) || name.startsWith('node:')) return;
      const quote = context.sourceCode.getText(source)[0] ?? "'";
      context.report({
        node: source,
        messageId: 'prefix',
        data: { name },
        fix: (fixer) => fixer.replaceText(source, `${quote}node:${name}${quote}`),
      });
    }
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

export default nodeProtocol;
