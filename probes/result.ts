import type { ProbeErrorKind, ProbePhases, ProbeResult } from '../core/index.js';
import type { ProbeTarget } from './types.js';

export const ZERO_PHASES: Readonly<ProbePhases> = Object.freeze({
  resolve: 0,
  connect: 0,
  tls: 0,
  processing: 0,
  transfer: 0,
});

/** Rounds to microseconds: finer digits are noise and bloat every stored row. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * Builds a ProbeResult. loopDelayMs is filled by the scheduler, which measures it around the run.
 */
export function makeResult(
  target: ProbeTarget,
  startedAt: Date,
  fields: {
    ok: boolean;
    phases?: ProbePhases;
    totalMs: number;
    status?: number;
    error?: { kind: ProbeErrorKind; message: string };
    tls?: ProbeResult['tls'];
  },
): ProbeResult {
  const p = fields.phases ?? ZERO_PHASES;
  const out: ProbeResult = {
    targetId: target.id,
    location: target.location,
    startedAt: startedAt.toISOString(),
    ok: fields.ok,
    totalMs: roundMs(fields.totalMs),
    phases: {
      resolve: roundMs(p.resolve),
      connect: roundMs(p.connect),
      tls: roundMs(p.tls),
      processing: roundMs(p.processing),
      transfer: roundMs(p.transfer),
    },
    loopDelayMs: 0,
  };
  if (fields.status !== undefined) out.status = fields.status;
  if (fields.error) out.error = fields.error;
  if (fields.tls) out.tls = fields.tls;
  return out;
}
