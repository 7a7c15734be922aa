export type {
  LogRecord,
  LogSource,
  BadRecord,
  Detector,
  DetectorContext,
  DetectorFactory,
  DetectedFinding,
} from './types.js';
export {
  analyzersSections,
  analyzersSchema,
  checkSchedule,
  MIN_RUNS_PER_DAY,
  type AnalyzersConfig,
} from './config.js';
export * from './readers/index.js';
export { detectorRegistry, beaconScore, type DetectorType } from './detectors/index.js';
export {
  compileSigmaRule,
  compileSigmaFile,
  loadSigmaRules,
  loadSigmaRuleSet,
  type CompiledSigmaRule,
} from './sigma/index.js';
export { AssetMap, type CustomerNetworks } from './assets.js';
export { loadIntel, IntelSet, type Indicator, type IndicatorType, type IntelFile } from './intel.js';
export { runAnalysis, type RunAnalysisOptions, type RunAnalysisResult } from './run/runner.js';
export { catLogs, catExitCode, type CatLogsResult, type CatLogsOptions } from './run/cat-logs.js';
export { walkInputs, expandInputs, type SkippedInput } from './run/inputs.js';
export { formatProgress, type ProgressReport } from './run/progress.js';
export { analyzersComponent, type AnalyzersComponentOptions } from './run/component.js';
export { AlertTail, alertOf, type AlertTailOptions } from './run/tail.js';
export { checkDeadMan, type DeadManCheck } from './run/dead-man.js';
export { runReportHtml, runReportJson, type RunReport } from './run/report.js';
export * from './scanners/index.js';
