import { storeSegment, writeSegment, type AuditDb } from '../core/index.js';
import { R } from './controls.js';
import { byCodeUnit, parseJsonl, toJsonl } from './jsonl.js';
import { findingAndReviewRecords, runCoverage, runRecords, type AnyDb } from './records-ops.js';
import { notificationRecords, signatureStateRecords, tokenRecords, userRecords } from './records-access.js';
import { downtimeRecords, probeHistoryRecords, slaIncidentRecords, slaRecords } from './records-service.js';
import type { EvidenceInputs } from './types.js';

/**
 * Reads every record file of the bundle from the store, as bytes (JSON Lines), keyed by bundle
 * path. A customer-scoped export (customer_coordinator) holds only that customer's SLA and
 * incident evidence: the scope is applied in the queries, not by filtering afterwards.
 */
export async function collectRecords(
  db: AnyDb,
  inputs: EvidenceInputs,
  auditPublicKeys: readonly string[],
): Promise<Map<string, Buffer>> {
  const p = inputs.period;
  const scoped = inputs.customerId !== undefined;
  const targets = scoped ? inputs.targets.filter((t) => t.customerId === inputs.customerId) : inputs.targets;
  const ids = scoped ? targets.map((t) => t.id) : undefined;
  const files = new Map<string, Buffer>();
  const put = (path: string, rows: Record<string, unknown>[]): void => void files.set(path, toJsonl(rows));

  const services = scoped ? [...new Set(targets.map((t) => t.serviceId))] : undefined;
  const downtimes = await downtimeRecords(db, p, services);
  put(R.downtimes, downtimes);
  put(
    R.sla,
    await slaRecords(db, p, ids, downtimes, new Map(inputs.targets.map((t) => [t.id, t.serviceId]))),
  );
  put(R.slaIncidents, await slaIncidentRecords(db, p, inputs.customerId));
  if (scoped) return files;

  const runs = await runRecords(db, p);
  put(R.analysis, runs.analysis);
  put(R.scans, runs.scans);
  put(R.coverage, runCoverage(runs.analysis, p));
  const fr = await findingAndReviewRecords(db, p);
  put(R.findings, fr.findings);
  put(R.reviews, fr.reviews);
  put(R.notifications, await notificationRecords(db, p));
  const probeIds = inputs.targets.filter((t) => t.kind === 'tls' || t.kind === 'backup').map((t) => t.id);
  put(R.probes, await probeHistoryRecords(db, p, probeIds));
  put(R.signatures, await signatureStateRecords(db));
  put(R.users, await userRecords(db, p));
  put(R.tokens, await tokenRecords(db, p));
  put(
    R.matrix,
    [...inputs.roleMatrix]
      .sort((a, b) => byCodeUnit(`${a.url} ${a.method}`, `${b.url} ${b.method}`))
      .map((m) => ({ method: m.method, url: m.url, permission: m.permission, roles: [...m.roles].sort() })),
  );
  // The audit segment in `vigil audit export`'s format, stamped with the period end (not "now").
  const seg = await storeSegment(db as unknown as AuditDb, { from: p.from, to: p.to });
  const lines: string[] = [];
  await writeSegment(seg, [...auditPublicKeys], (l) => void lines.push(l), p.to);
  files.set(R.audit, Buffer.from(lines.join(''), 'utf8'));
  return files;
}

/** Parses the record files back into rows (for the control mapping, at export and at verify). */
export function parseRecords(files: ReadonlyMap<string, Buffer>): Map<string, Record<string, unknown>[]> {
  const out = new Map<string, Record<string, unknown>[]>();
  for (const [path, buf] of files) if (path.endsWith('.jsonl')) out.set(path, parseJsonl(path, buf));
  return out;
}
