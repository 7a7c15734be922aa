// @ts-check
/** The local ESLint plugin `vigil`: rules for vigil's own conventions (DESIGN.md §2, §9). */
import layers from './layers.js';
import nodeProtocol from './node-protocol.js';

/** @type {import('eslint').ESLint.Plugin} */
const plugin = {
  meta: { name: 'eslint-plugin-vigil' },
  rules: { layers, 'node-protocol': nodeProtocol },
};

export default plugin;
