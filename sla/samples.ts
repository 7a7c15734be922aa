import type { ProbeResult } from '../core/index.js';
import type { SlaSample } from './timeline.js';

/** A stored ProbeResult as an SLA sample. */
export function toSample(r: ProbeResult): SlaSample {
  const s: SlaSample = {
    ts: Date.parse(r.startedAt),
    ok: r.ok,
    totalMs: r.totalMs,
    location: r.location,
    loopDelayMs: r.loopDelayMs,
  };
  if (r.loopDelayFlagged) s.loopDelayFlagged = true;
  return s;
}
