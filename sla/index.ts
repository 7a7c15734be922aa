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
export { slaConfigSections, slaPolicySchema, slaPoliciesSchema, checkPolicyIntervals, type SlaPolicy } from './config.js';
