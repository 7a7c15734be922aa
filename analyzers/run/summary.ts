import type { Finding } from '../../core/index.js';
import type { RecordedAnalysisInput } from '../../core/index.js';

/** What a run report shows at a glance: counts per detector, new findings, top sources, sensor health. */
export interface RunSummary {
  [k: string]: unknown;
  perDetector: Record<string, number>;
  newPerDetector: Record<string, number>;
  perSeverity: Record<string, number>;
  topSources: { src: string; findings: number }[];
  sensorHealth: { title: string; severity: string }[];
  sensorHealthTotal: number;
  recordsPerPath: Record<string, number>;
  records: number;
  badRecords: number;
}

const bump = (m: Record<string, number>, k: string): void => {
  m[k] = (m[k] ?? 0) + 1;
};

export function summarise(
  findings: Finding[],
  fresh: Finding[],
  recordsPerPath: Record<string, number>,
  inputs: RecordedAnalysisInput[],
): RunSummary {
  const perDetector: Record<string, number> = {};
  const newPerDetector: Record<string, number> = {};
  const perSeverity: Record<string, number> = {};
  const bySrc = new Map<string, number>();
  for (const f of findings) {
    bump(perDetector, f.detector);
    bump(perSeverity, f.severity);
    if (f.src) bySrc.set(f.src, (bySrc.get(f.src) ?? 0) + 1);
  }
  for (const f of fresh) bump(newPerDetector, f.detector);
  return {
    perDetector,
    newPerDetector,
    perSeverity,
    topSources: [...bySrc.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([src, n]) => ({ src, findings: n })),
    sensorHealth: findings
      .filter((f) => f.detector === 'sensor-health')
      .slice(0, 50)
      .map((f) => ({ title: f.title, severity: f.severity })),
    // the list above shows the first 50; the count says how many there are
    sensorHealthTotal: perDetector['sensor-health'] ?? 0,
    recordsPerPath,
    records: inputs.reduce((a, i) => a + i.records, 0),
    badRecords: inputs.reduce((a, i) => a + i.badRecords, 0),
  };
}
