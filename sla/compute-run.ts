import { VigilError, calendarMonthRange, zonedParts } from '../core/index.js';
import { evaluateWindow } from './evaluate.js';
import { figuresJson, type FiguresJson } from './figures-json.js';
import { DEFAULT_TIMEZONE, intervalResolver } from './intervals.js';
import { readPolicyFile } from './policy-file.js';
import { readResultsFile } from './results-file.js';
import type { SlaSample } from './timeline.js';

export interface ComputeRunResult {
  json: FiguresJson;
  /** 0 met (availability and latency), 1 not met (DESIGN.md §7). */
  exitCode: 0 | 1;
}

function parseIso(flag: string, v: string): number {
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) throw new VigilError('SLA_ARGS', `${flag} "${v}" is not an ISO 8601 time`);
  return ms;
}

/**
 * The default window when --from/--to are not given: for a calendar-month policy the month (in
 * the policy's zone) of the median sample (robust to a few samples from a neighbouring month); for a rolling policy the rolling span ending one
 * probe interval after the latest sample.
 */
function defaultWindow(
  samples: readonly SlaSample[],
  window: 'calendar_month' | { rolling: number },
  tz: string,
  intervalMs: number,
): [number, number] {
  if (samples.length === 0)
    throw new VigilError('SLA_ARGS', 'the results file holds no results: give --from and --to');
  let max = -Infinity;
  for (const s of samples) max = Math.max(max, s.ts);
  if (window === 'calendar_month') {
    const ts = samples.map((s) => s.ts).sort((a, b) => a - b);
    const p = zonedParts(ts[ts.length >> 1]!, tz);
    return calendarMonthRange(p.year, p.month, tz);
  }
  return [max + intervalMs - window.rolling, max + intervalMs];
}

/** `vigil sla compute`: pure computation from a results file and a policy file. */
export async function runSlaCompute(opts: {
  results: string;
  policy: string;
  from?: string;
  to?: string;
}): Promise<ComputeRunResult> {
  const pf = await readPolicyFile(opts.policy);
  const samples = await readResultsFile(opts.results);
  const tz = pf.policy.timezone ?? pf.timezone ?? DEFAULT_TIMEZONE;
  if ((opts.from === undefined) !== (opts.to === undefined))
    throw new VigilError('SLA_ARGS', '--from and --to go together');
  const [fromMs, toMs] =
    opts.from !== undefined && opts.to !== undefined
      ? [parseIso('--from', opts.from), parseIso('--to', opts.to)]
      : defaultWindow(samples, pf.policy.window, tz, pf.probeIntervalMs);
  if (toMs < fromMs) throw new VigilError('SLA_ARGS', `--to ${opts.to} is before --from ${opts.from}`);
  const ev = evaluateWindow({
    policy: pf.policy,
    resolve: intervalResolver(pf.timeIntervals, tz),
    probeIntervalMs: pf.probeIntervalMs,
    samples,
    planned: pf.planned,
    fromMs,
    toMs,
  });
  const json = figuresJson(ev);
  return { json, exitCode: json.availabilityMet && json.latencyMet ? 0 : 1 };
}
