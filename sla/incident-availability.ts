import type { Incident } from '../core/index.js';
import { intersectMs, subtractMs, totalMsOf, type MsRange } from './ranges.js';

export interface IncidentAvailability {
  /** 1 − incident downtime / eligible time; null when there is no eligible time. */
  availability: number | null;
  downSeconds: number;
  incidents: { id: string; from: string; to: string; open: boolean; seconds: number }[];
}

/**
 * Availability as the contract counts incidents (S9, MKBackup 23.1f): an availability incident's
 * downtime runs from the earlier of detection and report to the customer's acceptance; an
 * incident not yet accepted runs to the end of the window. Excluded time (maintenance, planned
 * downtime) is left out as for probe-measured availability.
 */
export function incidentAvailability(
  incidents: readonly Incident[],
  fromMs: number,
  toMs: number,
  excluded: readonly MsRange[],
): IncidentAvailability {
  const eligible = subtractMs([[fromMs, toMs]], excluded);
  const spans: MsRange[] = [];
  const list: IncidentAvailability['incidents'] = [];
  for (const i of incidents) {
    if (i.kind !== 'availability') continue;
    const start = Math.min(Date.parse(i.detectedAt), Date.parse(i.reportedAt));
    const end = i.acceptedAt !== undefined ? Date.parse(i.acceptedAt) : toMs;
    const part = intersectMs([[start, end]], eligible);
    if (part.length === 0) continue;
    spans.push(...part);
    list.push({
      id: i.id,
      from: new Date(Math.max(start, fromMs)).toISOString(),
      to: new Date(Math.min(end, toMs)).toISOString(),
      open: i.acceptedAt === undefined,
      seconds: totalMsOf(part) / 1000,
    });
  }
  const downMs = totalMsOf(spans);
  const eligibleMs = totalMsOf(eligible);
  return {
    availability: eligibleMs === 0 ? null : 1 - downMs / eligibleMs,
    downSeconds: downMs / 1000,
    incidents: list,
  };
}
