import { intersectMs, mergeMs, subtractMs, totalMsOf, type MsRange } from './ranges.js';
import { buildTimeline, type SlaSample } from './timeline.js';
import { latencyFigures, type LatencyFigures, type LatencyTargets } from './latency.js';

/** Why a stretch of time is left out of the SLA (kept in reports so every figure can be recomputed). */
export interface Exclusion {
  from: number;
  to: number;
  kind: 'maintenance' | 'planned_downtime';
  /** The time interval's name, or the planned downtime's id and reason. */
  reason: string;
}

export interface ComputeInput {
  samples: readonly SlaSample[];
  fromMs: number;
  toMs: number;
  stalenessMs: number;
  quorum?: number;
  /** Maintenance and planned downtime announced in time; may reach outside the window. */
  exclusions: readonly Exclusion[];
  /** Service hours as ranges; undefined when the policy has none (then all time counts). */
  serviceHours?: readonly MsRange[];
  availabilityObjective: number;
  latency: LatencyTargets;
}

export interface SlaFigures extends LatencyFigures {
  eligibleSeconds: number;
  upSeconds: number;
  downSeconds: number;
  unknownSeconds: number;
  excludedSeconds: number;
  availability: number | null;
  coverage: number | null;
  serviceHoursAvailability: number | null;
  serviceHoursSeconds: number;
  serviceHoursDownSeconds: number;
  availabilityMet: boolean;
  budgetRemainingSeconds: number;
  /** Down time inside eligible time, as merged [from, to) epoch-ms ranges. */
  down: MsRange[];
  /** Eligible time with no known state (data gaps), merged. */
  unknown: MsRange[];
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/**
 * The SLA figures of one service over [fromMs, toMs) exactly as DESIGN.md §5 counts them:
 * eligible = window − exclusions; availability = up / (up + down) over eligible time, unknown time
 * left out of both and reported as coverage. The error budget is (1 − objective) × measured time,
 * so `availabilityMet` ⇔ `budgetRemainingSeconds ≥ 0`. Pure: same input, same output.
 */
export function computeSla(input: ComputeInput): SlaFigures {
  const window: MsRange[] = input.toMs > input.fromMs ? [[input.fromMs, input.toMs]] : [];
  const excluded = intersectMs(
    input.exclusions.map((e) => [e.from, e.to] as const),
    window,
  );
  const eligible = subtractMs(window, excluded);
  const tl = buildTimeline(input.samples, { stalenessMs: input.stalenessMs, quorum: input.quorum });
  const upMs = totalMsOf(intersectMs(tl.up, eligible));
  const down = intersectMs(tl.down, eligible);
  const downMs = totalMsOf(down);
  const unknown = subtractMs(subtractMs(eligible, tl.up), tl.down);
  const eligibleMs = totalMsOf(eligible);
  const sh = input.serviceHours ? intersectMs(eligible, mergeMs(input.serviceHours)) : eligible;
  const shUp = totalMsOf(intersectMs(tl.up, sh));
  const shDown = totalMsOf(intersectMs(tl.down, sh));
  const measured = upMs + downMs;
  const budgetMs = (1 - input.availabilityObjective) * measured - downMs;
  const lat = latencyFigures(input.samples, eligible, input.latency);
  return {
    eligibleSeconds: eligibleMs / 1000,
    upSeconds: upMs / 1000,
    downSeconds: downMs / 1000,
    unknownSeconds: (eligibleMs - measured) / 1000,
    excludedSeconds: totalMsOf(excluded) / 1000,
    availability: ratio(upMs, measured),
    coverage: ratio(measured, eligibleMs),
    serviceHoursAvailability: ratio(shUp, shUp + shDown),
    serviceHoursSeconds: totalMsOf(sh) / 1000,
    serviceHoursDownSeconds: shDown / 1000,
    // Rounded to the ms to keep float noise from flipping a verdict that is exactly on target.
    availabilityMet: Math.round(budgetMs) >= 0,
    budgetRemainingSeconds: Math.round(budgetMs) / 1000,
    ...lat,
    down,
    unknown,
  };
}
