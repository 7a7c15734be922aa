import { computeSla, type SlaFigures } from './compute.js';
import {
  planExclusions,
  type ExclusionPlan,
  type IntervalResolver,
  type PlannedWindow,
} from './exclusions.js';
import type { SlaPolicy } from './config.js';
import type { SlaSample } from './timeline.js';

export interface WindowEvaluation {
  figures: SlaFigures;
  plan: ExclusionPlan;
  fromMs: number;
  toMs: number;
}

/** Applies the policy's `loop_delay_exclusion` to samples: off, the probe's flag, or a threshold. */
export function applyLoopDelayPolicy(
  samples: readonly SlaSample[],
  rule: boolean | number,
): readonly SlaSample[] {
  if (rule === true) return samples;
  if (rule === false) return samples.map((s) => (s.loopDelayFlagged ? { ...s, loopDelayFlagged: false } : s));
  return samples.map((s) =>
    !s.loopDelayFlagged && s.loopDelayMs !== undefined && s.loopDelayMs > rule
      ? { ...s, loopDelayFlagged: true }
      : s,
  );
}

/**
 * One policy over one window: exclusions from the policy's maintenance intervals and planned
 * downtimes (12 h rule), service hours, then the pure computation of DESIGN.md §5.
 */
export function evaluateWindow(args: {
  policy: SlaPolicy;
  resolve: IntervalResolver;
  probeIntervalMs: number;
  samples: readonly SlaSample[];
  planned: readonly PlannedWindow[];
  fromMs: number;
  toMs: number;
}): WindowEvaluation {
  const { policy } = args;
  const planArgs: Parameters<typeof planExclusions>[0] = {
    maintenance: policy.maintenance,
    plannedNoticeMs: policy.planned_notice,
    planned: args.planned,
    resolve: args.resolve,
    fromMs: args.fromMs,
    toMs: args.toMs,
  };
  if (policy.service_hours !== undefined) planArgs.serviceHours = policy.service_hours;
  const plan = planExclusions(planArgs);
  const input: Parameters<typeof computeSla>[0] = {
    samples: applyLoopDelayPolicy(args.samples, policy.loop_delay_exclusion),
    fromMs: args.fromMs,
    toMs: args.toMs,
    stalenessMs: policy.staleness ?? 2 * args.probeIntervalMs,
    exclusions: plan.exclusions,
    availabilityObjective: policy.availability,
    latency: { averageMs: policy.latency.average_ms },
  };
  if (policy.quorum !== undefined) input.quorum = policy.quorum;
  if (policy.latency.p95_ms !== undefined) input.latency.p95Ms = policy.latency.p95_ms;
  if (policy.latency.p99_ms !== undefined) input.latency.p99Ms = policy.latency.p99_ms;
  if (plan.serviceHours) input.serviceHours = plan.serviceHours;
  return { figures: computeSla(input), plan, fromMs: args.fromMs, toMs: args.toMs };
}
