import {
  compileTimeInterval,
  isActiveAt,
  type CompiledTimeInterval,
  type NamedTimeIntervalSpec,
} from '../core/index.js';

/** Named, compiled time intervals: the alerting section's and vigil's top-level ones. */
export type IntervalIndex = ReadonlyMap<string, CompiledTimeInterval>;

/**
 * Compiles the alerting section's intervals (default zone UTC, as Alertmanager) and the vigil
 * top-level ones (default zone the top-level `timezone`) into one namespace; the config check
 * has already rejected duplicate names.
 */
export function compileIntervals(
  alerting: readonly NamedTimeIntervalSpec[],
  shared: readonly NamedTimeIntervalSpec[],
  sharedZone: string | undefined,
): IntervalIndex {
  const out = new Map<string, CompiledTimeInterval>();
  for (const spec of alerting) out.set(spec.name, compileTimeInterval(spec, { defaultLocation: 'UTC' }));
  for (const spec of shared)
    out.set(spec.name, compileTimeInterval(spec, { defaultLocation: sharedZone ?? 'UTC' }));
  return out;
}

/** Whether any of the named intervals is active at `atMs` (Alertmanager TimeMuteStage/TimeActiveStage). */
export function anyActive(index: IntervalIndex, names: readonly string[], atMs: number): boolean {
  const list = names.map((n) => index.get(n)).filter((x): x is CompiledTimeInterval => x !== undefined);
  return list.length > 0 && isActiveAt(list, atMs);
}
