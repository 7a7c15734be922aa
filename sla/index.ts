export { computeSla, type ComputeInput, type Exclusion, type SlaFigures } from './compute.js';
export { buildTimeline, verdict, type SlaSample, type Timeline, type TimelineOptions } from './timeline.js';
export { latencyFigures, nearestRank, type LatencyFigures, type LatencyTargets } from './latency.js';
export { mergeMs, intersectMs, subtractMs, totalMsOf, type MsRange } from './ranges.js';
export {
  planExclusions,
  type ExclusionPlan,
  type IntervalResolver,
  type LateAnnouncement,
  type PlannedWindow,
} from './exclusions.js';
export {
  slaConfigSections,
  slaPolicySchema,
  slaPoliciesSchema,
  checkPolicyIntervals,
  type SlaPolicy,
} from './config.js';
export { evaluateWindow, applyLoopDelayPolicy, type WindowEvaluation } from './evaluate.js';
export { figuresJson, isoPairs, type FiguresJson } from './figures-json.js';
export { intervalResolver, monthRange, DEFAULT_TIMEZONE } from './intervals.js';
export { readPolicyFile, parsePolicyText, policyFileSchema, type PolicyFile } from './policy-file.js';
export { readResultsFile, parseResultLine } from './results-file.js';
export { runSlaCompute, type ComputeRunResult } from './compute-run.js';
export { slaServicesFrom, timeIntervalsFrom, type SlaService } from './services.js';
export { toSample } from './samples.js';
export {
  outageAlert,
  latencyAlert,
  burnRateAlerts,
  lastDownEnd,
  BURN_RATE_RULES,
  type DesiredAlert,
} from './alert-rules.js';
export { createSlaEvaluator, type SlaEvaluator, type SlaEvaluatorOptions } from './evaluator.js';
export { incidentAvailability, type IncidentAvailability } from './incident-availability.js';
export { announcePlannedDowntime, announceSchema, type Announcement } from './planned-downtime.js';
export { slaHttp, type SlaHttpOptions } from './http.js';
export {
  buildReport,
  recomputeReport,
  reportCsv,
  reportHtml,
  reportPdf,
  serviceMonthReport,
  type ReportInput,
  type SlaReport,
} from './report/index.js';
export {
  upsertRollups,
  queryRollups,
  latencyBucket,
  bucketValue,
  upsertIncident,
  getIncident,
  listIncidents,
  insertPlannedDowntime,
  listPlannedDowntimes,
  type ProbeRollup,
} from './store.js';
export {
  computeFromRollups,
  computeFromMinuteCounts,
  type RollupFigures,
  type MinuteCounts,
  type RollupWindow,
} from './rollup-compute.js';
export { queryMinuteCounts } from './minute-query.js';
export { computeFromAggregates, type AggregateRequest } from './aggregate-compute.js';
export { servicesMonthFigures, monthOf, type ServiceMonthFigures } from './month-figures.js';
export { querySlaSamples } from './sample-query.js';
