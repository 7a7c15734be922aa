import type { Kysely } from 'kysely';
import type { Period } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;
type Row = Record<string, unknown>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const DAY = 86_400_000;

/** Analysis and scan runs started in the period, each with its inputs (scans: analyzer `scanner.*`). */
export async function runRecords(db: AnyDb, p: Period): Promise<{ analysis: Row[]; scans: Row[] }> {
  const runs = await db
    .selectFrom('analysis_runs')
    .selectAll()
    .where('started_at', '>=', p.from)
    .where('started_at', '<', p.to)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
  const inputs = await db
    .selectFrom('analysis_inputs')
    .innerJoin('analysis_runs', 'analysis_runs.id', 'analysis_inputs.run_id')
    .select([
      'analysis_inputs.run_id as run_id',
      'analysis_inputs.path as path',
      'analysis_inputs.sha256 as sha256',
      'analysis_inputs.from_offset as from_offset',
      'analysis_inputs.to_offset as to_offset',
      'analysis_inputs.records as records',
      'analysis_inputs.bad_records as bad_records',
    ])
    .where('analysis_runs.started_at', '>=', p.from)
    .where('analysis_runs.started_at', '<', p.to)
    .orderBy('analysis_inputs.run_id')
    .orderBy('analysis_inputs.path')
    .orderBy('analysis_inputs.from_offset')
    .execute();
  const byRun = new Map<string, Row[]>();
  for (const i of inputs) {
    const list = byRun.get(String(i.run_id)) ?? [];
    list.push({
      path: i.path,
      sha256: i.sha256,
      fromOffset: num(i.from_offset),
      toOffset: num(i.to_offset),
      records: num(i.records),
      badRecords: num(i.bad_records),
    });
    byRun.set(String(i.run_id), list);
  }
  const rows = runs.map((r) => ({
    id: r.id,
    analyzer: r.analyzer,
    scheduledFor: num(r.scheduled_for),
    startedAt: num(r.started_at),
    finishedAt: num(r.finished_at),
    status: r.status,
    findings: num(r.findings),
    newFindings: num(r.new_findings),
    reviewedBy: r.reviewed_by ?? null,
    reviewedAt: num(r.reviewed_at),
    inputs: byRun.get(String(r.id)) ?? [],
  }));
  const isScan = (r: Row): boolean => String(r.analyzer).startsWith('scanner.');
  return { analysis: rows.filter((r) => !isScan(r)), scans: rows.filter(isScan) };
}

/** Findings seen in the period, and the reviews (sign-offs) of runs in it. */
export async function findingAndReviewRecords(
  db: AnyDb,
  p: Period,
): Promise<{ findings: Row[]; reviews: Row[] }> {
  const findings = await db
    .selectFrom('findings')
    .select([
      'id',
      'run_id',
      'detector',
      'severity',
      'title',
      'src',
      'dst',
      'customer_id',
      'first_seen',
      'last_seen',
      'count',
      'status',
    ])
    .where('last_seen', '>=', p.from)
    .where('first_seen', '<', p.to)
    .orderBy('first_seen')
    .orderBy('id')
    .execute();
  const reviews = await db
    .selectFrom('analysis_run_reviews')
    .select(['run_id', 'reviewed_by', 'reviewed_at', 'note'])
    .where('reviewed_at', '>=', p.from)
    .where('reviewed_at', '<', p.to)
    .orderBy('reviewed_at')
    .orderBy('run_id')
    .execute();
  return {
    findings: findings.map((f) => ({
      id: f.id,
      runId: f.run_id,
      detector: f.detector,
      severity: f.severity,
      title: f.title,
      src: f.src ?? null,
      dst: f.dst ?? null,
      customerId: f.customer_id ?? null,
      firstSeen: num(f.first_seen),
      lastSeen: num(f.last_seen),
      count: num(f.count),
      status: f.status,
    })),
    reviews: reviews.map((r) => ({
      runId: r.run_id,
      reviewedBy: r.reviewed_by,
      reviewedAt: num(r.reviewed_at),
      note: r.note,
    })),
  };
}

/**
 * The "at least 4 analysis runs in every 24 h" proof: one row per 24 h window from the period
 * start, with the count of finished runs started in it and whether it held ≥ 4 (else: a gap).
 */
export function runCoverage(runs: readonly Row[], p: Period): Row[] {
  const out: Row[] = [];
  for (let w = p.from; w < p.to; w += DAY) {
    const end = Math.min(w + DAY, p.to);
    const n = runs.filter(
      (r) =>
        (r.startedAt as number) >= w &&
        (r.startedAt as number) < end &&
        (r.status === 'ok' || r.status === 'partial'),
    ).length;
    out.push({ windowFrom: w, windowTo: end, runs: n, required: 4, ok: n >= 4 });
  }
  return out;
}
