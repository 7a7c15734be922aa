import type { Alert, Finding, Severity } from '../../core/index.js';
import type { FileScanResult, ScanHit } from './types.js';
import type { FileSighting } from './file-logs.js';
import type { HashEntry } from './hash-lists.js';

/** A finding before the store gives it id, run and status (core/store analysis-runs `NewFinding`). */
export type ScanFinding = Omit<Finding, 'id' | 'runId' | 'status'>;

const DETECTOR: Record<ScanHit['engine'], string> = {
  clamav: 'scanner.clamav',
  yara: 'scanner.yara',
  hash: 'scanner.hash-list',
};

/**
 * One finding per hit. The key is engine + signature + path, so a file found again in the next
 * run (infected files are rescanned every run until removed) updates the finding's count and
 * lastSeen instead of adding a row.
 */
export function findingsFromResult(r: FileScanResult, at: string, severity: Severity): ScanFinding[] {
  return r.hits.map((h) => {
    const details: Record<string, unknown> = { engine: h.engine, signature: h.name, size: r.size };
    if (h.tags?.length) details.tags = h.tags;
    if (h.meta && Object.keys(h.meta).length > 0) details.meta = h.meta;
    if (h.strings?.length) details.strings = h.strings.slice(0, 50);
    if (h.list) details.list = h.list;
    if (h.digest) details.digest = h.digest;
    if (r.quarantineId) details.quarantineId = r.quarantineId;
    return {
      detector: DETECTOR[h.engine],
      key: `${h.engine}|${h.name}|${r.path}`,
      severity,
      title: `${h.engine === 'clamav' ? 'ClamAV' : h.engine === 'yara' ? 'YARA' : 'Hash list'}: ${h.name} in ${r.path}`,
      firstSeen: at,
      lastSeen: at,
      count: 1,
      evidence: [{ file: r.path, ...(h.strings?.[0] ? { offset: h.strings[0].offset } : {}) }],
      details,
    };
  });
}

/** A file an IDS saw whose digest is on a hash list. Keyed by log and record offset: a re-read dedups. */
export function findingFromSighting(s: FileSighting, entry: HashEntry, severity: Severity): ScanFinding {
  const at = s.ts ?? new Date().toISOString();
  const f: ScanFinding = {
    detector: 'scanner.hash-list',
    key: `${s.source}|${s.log}|${s.offset}|${entry.digest}`,
    severity,
    title: `Hash list: ${entry.name} transferred${s.filename ? ` as ${s.filename}` : ''} (seen by ${s.source})`,
    firstSeen: at,
    lastSeen: at,
    count: 1,
    evidence: [{ file: s.log, offset: s.offset }],
    details: {
      digest: `${entry.kind}:${entry.digest}`,
      list: entry.list,
      listLine: entry.line,
      filename: s.filename,
    },
  };
  if (s.src) f.src = s.src;
  if (s.dst) f.dst = s.dst;
  return f;
}

/** The alert for a scan that could not vouch for some files: errors are never silent. */
export function scanErrorAlert(
  run: { id: string; status: string },
  errors: FileScanResult[],
  at: string,
): Alert {
  const sample = errors.slice(0, 10).map((e) => `${e.path}: ${e.reason ?? 'error'}`);
  return {
    labels: {
      alertname: 'VigilScanError',
      component: 'scanners',
      severity: run.status === 'failed' ? 'critical' : 'warning',
    },
    annotations: {
      summary: `Scan run ${run.id} is ${run.status}: ${errors.length} file(s) could not be scanned`,
      description:
        sample.join('\n') +
        (errors.length > sample.length ? `\n… and ${errors.length - sample.length} more` : ''),
      run_id: run.id,
    },
    startsAt: at,
  };
}

/** The alert for an infected file: an immediate response to alerts is part of S10. */
export function infectedAlert(r: FileScanResult, runId: string, at: string): Alert {
  return {
    labels: { alertname: 'VigilMalwareFound', component: 'scanners', severity: 'critical', path: r.path },
    annotations: {
      summary: `${r.hits.map((h) => h.name).join(', ')} in ${r.path}`,
      description: r.quarantineId
        ? `moved to quarantine as ${r.quarantineId}`
        : 'left in place (no quarantine configured)',
      run_id: runId,
    },
    startsAt: at,
  };
}
