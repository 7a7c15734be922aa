export {
  compileSigmaRule,
  type CompiledSigmaRule,
  type SigmaPredicate,
  type SigmaFields,
} from './compile-rule.js';
export { compileCondition } from './condition.js';
export { compileFieldValue } from './compile-value.js';
export { loadSigmaRules } from './load-rules.js';
