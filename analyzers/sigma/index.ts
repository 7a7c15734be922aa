export {
  compileSigmaRule,
  type CompiledSigmaRule,
  type SigmaPredicate,
  type SigmaFields,
} from './compile-rule.js';
export { compileCondition } from './condition.js';
export { compileFieldValue } from './compile-value.js';
export {
  loadSigmaRules,
  loadSigmaRuleSet,
  formatSigmaProblem,
  type SigmaProblem,
  type SigmaRuleSet,
} from './load-rules.js';
export { compileSigmaFile, type SigmaFileResult } from './compile-rule.js';
export { resolveLogsource, deepGet, type SigmaTarget } from './logsource.js';
