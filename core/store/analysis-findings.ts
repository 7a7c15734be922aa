import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { VigilError } from '../errors.js';
import type { Finding, FindingEvidence, Severity } from '../types.js';
import type {
  AnalysisCheckpointsTable,
  AnalysisDb,
  Checkpoint,
  FindingsTable,
  NewFinding,
} from './analysis-runs.js';

/**
 * Findings and checkpoints of analysis runs (re-exported by core/store/analysis-runs.ts). A finding
 * is unique per `(detector, key)`; a checkpoint per `(analyzer, inputKey)`. `commitAnalysis`
 * writes both in one transaction: the exactly-once guarantee of the runs rests on it.
 */

/** How many evidence entries a finding keeps; the count keeps counting past it. */
export const MAX_EVIDENCE = 20;

const toMs = (text: string): number => {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new VigilError('ANL_TIME', `invalid timestamp "${text}"`);
  return ms;
};
const iso = (ms: number): string => new Date(Number(ms)).toISOString();

/** What `upsertFindings` did: new rows, rows updated by a re-sight, and the stored findings. */
export interface UpsertResult {
  inserted: number;
  updated: number;
  /** Every upserted finding as stored now (merged with what was there). */
  findings: Finding[];
}

function mergeEvidence(a: FindingEvidence[], b: FindingEvidence[]): FindingEvidence[] {
  const seen = new Set(a.map((e) => `${e.file}|${e.line ?? ''}|${e.offset ?? ''}`));
  const out = [...a];
  for (const e of b) {
    if (out.length >= MAX_EVIDENCE) break;
    const k = `${e.file}|${e.line ?? ''}|${e.offset ?? ''}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(e);
    }
  }
  return out;
}

function findingFromRow(r: FindingsTable): Finding {
  const f: Finding = {
    id: r.id,
    runId: r.run_id,
    detector: r.detector,
    key: r.key,
    severity: r.severity,
    title: r.title,
    firstSeen: iso(r.first_seen),
    lastSeen: iso(r.last_seen),
    count: Number(r.count),
    evidence: JSON.parse(r.evidence_json) as FindingEvidence[],
    status: r.status,
  };
  if (r.src !== null) f.src = r.src;
  if (r.dst !== null) f.dst = r.dst;
  if (r.customer_id !== null) f.customerId = r.customer_id;
  if (r.details_json !== null) f.details = JSON.parse(r.details_json) as Record<string, unknown>;
  return f;
}

/**
 * Stores findings of a run. A finding whose `(detector, key)` is already stored is a re-sight:
 * its count grows by the new count, firstSeen/lastSeen widen, evidence is merged (up to
 * MAX_EVIDENCE), severity, title and details take the new values, and a triage status is kept.
 * Callers hand each record's contribution once (the checkpoint guarantees it), so counts are exact.
 * Findings with the same key inside one call are merged first.
 */
export async function upsertFindings(
  db: Kysely<AnalysisDb>,
  runId: string,
  findings: NewFinding[],
): Promise<UpsertResult> {
  const merged = new Map<string, NewFinding>();
  for (const f of findings) {
    const k = `${f.detector}\u0000${f.key}`;
    const prev = merged.get(k);
    if (!prev) merged.set(k, { ...f, evidence: f.evidence.slice(0, MAX_EVIDENCE) });
    else
      merged.set(k, {
        ...f,
        count: prev.count + f.count,
        firstSeen: prev.firstSeen < f.firstSeen ? prev.firstSeen : f.firstSeen,
        lastSeen: prev.lastSeen > f.lastSeen ? prev.lastSeen : f.lastSeen,
        evidence: mergeEvidence(prev.evidence, f.evidence),
      });
  }
  let inserted = 0;
  let updated = 0;
  const out: Finding[] = [];
  const all = [...merged.values()];
  for (let i = 0; i < all.length; i += 200) {
    const batch = all.slice(i, i + 200);
    const existing = await db
      .selectFrom('findings')
      .selectAll()
      .where((eb) =>
        eb.or(batch.map((f) => eb.and([eb('detector', '=', f.detector), eb('key', '=', f.key)]))),
      )
      .execute();
    const byKey = new Map(existing.map((r) => [`${r.detector}\u0000${r.key}`, r]));
    for (const f of batch) {
      const row = byKey.get(`${f.detector}\u0000${f.key}`);
      if (!row) {
        const fresh: FindingsTable = {
          id: randomUUID(),
          run_id: runId,
          last_run_id: runId,
          detector: f.detector,
          key: f.key,
          severity: f.severity,
          title: f.title,
          src: f.src ?? null,
          dst: f.dst ?? null,
          customer_id: f.customerId ?? null,
          first_seen: toMs(f.firstSeen),
          last_seen: toMs(f.lastSeen),
          count: f.count,
          evidence_json: JSON.stringify(f.evidence),
          status: f.status ?? 'new',
          details_json: f.details ? JSON.stringify(f.details) : null,
        };
        await db.insertInto('findings').values(fresh).execute();
        inserted++;
        out.push(findingFromRow(fresh));
      } else {
        const next: Partial<FindingsTable> = {
          last_run_id: runId,
          severity: f.severity,
          title: f.title,
          src: f.src ?? row.src,
          dst: f.dst ?? row.dst,
          customer_id: f.customerId ?? row.customer_id,
          first_seen: Math.min(Number(row.first_seen), toMs(f.firstSeen)),
          last_seen: Math.max(Number(row.last_seen), toMs(f.lastSeen)),
          count: Number(row.count) + f.count,
          evidence_json: JSON.stringify(
            mergeEvidence(JSON.parse(row.evidence_json) as FindingEvidence[], f.evidence),
          ),
          details_json: f.details ? JSON.stringify(f.details) : row.details_json,
        };
        await db.updateTable('findings').set(next).where('id', '=', row.id).execute();
        updated++;
        out.push(findingFromRow({ ...row, ...next }));
      }
    }
  }
  return { inserted, updated, findings: out };
}

/** Query for `listFindings`. Times are ISO; `runId` matches findings created or re-seen by the run. */
export interface FindingQuery {
  runId?: string;
  /** Only findings first created by this run. */
  newInRun?: string;
  detector?: string;
  customerId?: string;
  minSeverity?: Severity;
  since?: string;
  status?: Finding['status'];
  limit?: number;
}

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Findings matching the query, most severe first, then newest. */
export async function listFindings(db: Kysely<AnalysisDb>, q: FindingQuery = {}): Promise<Finding[]> {
  let query = db.selectFrom('findings').selectAll();
  if (q.runId) {
    const runId = q.runId;
    query = query.where((eb) => eb.or([eb('run_id', '=', runId), eb('last_run_id', '=', runId)]));
  }
  if (q.newInRun) query = query.where('run_id', '=', q.newInRun);
  if (q.detector) query = query.where('detector', '=', q.detector);
  if (q.customerId) query = query.where('customer_id', '=', q.customerId);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.since) query = query.where('last_seen', '>=', toMs(q.since));
  if (q.minSeverity)
    query = query.where('severity', 'in', SEVERITY_ORDER.slice(0, SEVERITY_ORDER.indexOf(q.minSeverity) + 1));
  const rows = await query
    .orderBy('last_seen', 'desc')
    .orderBy('id')
    .limit(q.limit ?? 10_000)
    .execute();
  return rows
    .map(findingFromRow)
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
}

/** Sets the triage status of a finding (new, triaged, false_positive, incident). */
export async function setFindingStatus(
  db: Kysely<AnalysisDb>,
  id: string,
  status: Finding['status'],
): Promise<void> {
  const res = await db.updateTable('findings').set({ status }).where('id', '=', id).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0)
    throw new VigilError('ANL_FINDING_UNKNOWN', `no finding with id "${id}"`);
}

function checkpointFromRow(r: AnalysisCheckpointsTable): Checkpoint {
  const c: Checkpoint = {
    analyzer: r.analyzer,
    inputKey: r.input_key,
    path: r.path,
    offset: Number(r.offset),
    updatedAt: iso(r.updated_at),
  };
  if (r.dev !== null) c.dev = r.dev;
  if (r.ino !== null) c.ino = r.ino;
  if (r.head_hash !== null) c.headHash = r.head_hash;
  if (r.state_json !== null) c.state = JSON.parse(r.state_json) as Record<string, unknown>;
  return c;
}

/** The checkpoint of one input of an analyzer, or undefined when it was never read. */
export async function getCheckpoint(
  db: Kysely<AnalysisDb>,
  analyzer: string,
  inputKey: string,
): Promise<Checkpoint | undefined> {
  const row = await db
    .selectFrom('analysis_checkpoints')
    .selectAll()
    .where('analyzer', '=', analyzer)
    .where('input_key', '=', inputKey)
    .executeTakeFirst();
  return row ? checkpointFromRow(row) : undefined;
}

/** Every checkpoint of an analyzer. */
export async function listCheckpoints(db: Kysely<AnalysisDb>, analyzer: string): Promise<Checkpoint[]> {
  const rows = await db
    .selectFrom('analysis_checkpoints')
    .selectAll()
    .where('analyzer', '=', analyzer)
    .orderBy('input_key')
    .execute();
  return rows.map(checkpointFromRow);
}

/**
 * Writes (inserts or replaces) a checkpoint. Call it inside the transaction that stores the
 * findings read up to `offset` (or use `commitAnalysis`), so both land or neither does.
 */
export async function setCheckpoint(db: Kysely<AnalysisDb>, cp: Checkpoint): Promise<void> {
  const row: AnalysisCheckpointsTable = {
    analyzer: cp.analyzer,
    input_key: cp.inputKey,
    path: cp.path,
    dev: cp.dev ?? null,
    ino: cp.ino ?? null,
    head_hash: cp.headHash ?? null,
    offset: cp.offset,
    state_json: cp.state ? JSON.stringify(cp.state) : null,
    updated_at: cp.updatedAt ? toMs(cp.updatedAt) : Date.now(),
  };
  await db
    .insertInto('analysis_checkpoints')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['analyzer', 'input_key']).doUpdateSet({
        path: row.path,
        dev: row.dev,
        ino: row.ino,
        head_hash: row.head_hash,
        offset: row.offset,
        state_json: row.state_json,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** Stores findings and the checkpoints of the inputs they were read from in one transaction. */
export async function commitAnalysis(
  db: Kysely<AnalysisDb>,
  runId: string,
  batch: {
    findings: NewFinding[];
    checkpoints: Checkpoint[];
    /** Checkpoints superseded by one of `checkpoints` under another key (a file that grew or was rotated). */
    deleteCheckpoints?: { analyzer: string; inputKey: string }[];
  },
): Promise<UpsertResult> {
  return db.transaction().execute(async (trx) => {
    const res = await upsertFindings(trx, runId, batch.findings);
    for (const d of batch.deleteCheckpoints ?? [])
      await trx
        .deleteFrom('analysis_checkpoints')
        .where('analyzer', '=', d.analyzer)
        .where('input_key', '=', d.inputKey)
        .execute();
    for (const cp of batch.checkpoints) await setCheckpoint(trx, cp);
    return res;
  });
}
