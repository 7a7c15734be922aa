import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { VigilError } from '../errors.js';
import type { AnalysisInput, AnalysisRun, Finding, FindingEvidence, Severity } from '../types.js';

/**
 * The repository of analysis runs, their inputs, findings, per-input checkpoints and reviews,
 * shared by the IDS analyzers and the virus/YARA scanners (DESIGN.md §4, §5 "Analysis cadence").
 *
 * Exactly-once: a run writes the findings read from an input and that input's new checkpoint in
 * ONE transaction (`commitAnalysis`, or `db.transaction()` around `upsertFindings` +
 * `setCheckpoint`), so a crash either keeps both or neither: the next run re-reads from the old
 * checkpoint, and the stable `(detector, key)` makes a finding it already holds an update, never a
 * second row.
 */

export interface AnalysisRunsTable {
  id: string;
  analyzer: string;
  scheduled_for: number;
  started_at: number;
  finished_at: number | null;
  status: AnalysisRun['status'];
  findings: number;
  new_findings: number;
  summary_json: string | null;
  reviewed_by: string | null;
  reviewed_at: number | null;
  review_note: string | null;
}

export interface AnalysisInputsTable {
  id?: number;
  run_id: string;
  path: string;
  sha256: string;
  from_offset: number;
  to_offset: number;
  records: number;
  bad_records: number;
  errors_json: string | null;
}

export interface FindingsTable {
  id: string;
  run_id: string;
  last_run_id: string;
  detector: string;
  key: string;
  severity: Severity;
  title: string;
  src: string | null;
  dst: string | null;
  customer_id: string | null;
  first_seen: number;
  last_seen: number;
  count: number;
  evidence_json: string;
  status: Finding['status'];
  details_json: string | null;
}

export interface AnalysisCheckpointsTable {
  analyzer: string;
  input_key: string;
  path: string;
  dev: string | null;
  ino: string | null;
  head_hash: string | null;
  offset: number;
  state_json: string | null;
  updated_at: number;
}

export interface AnalysisRunReviewsTable {
  id?: number;
  run_id: string;
  reviewed_by: string;
  reviewed_at: number;
  note: string;
}

export interface AnalysisDb {
  analysis_runs: AnalysisRunsTable;
  analysis_inputs: AnalysisInputsTable;
  findings: FindingsTable;
  analysis_checkpoints: AnalysisCheckpointsTable;
  analysis_run_reviews: AnalysisRunReviewsTable;
}

/** An input's bad records, as `{line, message}` (line 0 when the whole file is unusable). */
export interface AnalysisInputError {
  line: number;
  message: string;
}

/** An input as recorded for a run, with the first bad records (for the report). */
export interface RecordedAnalysisInput extends AnalysisInput {
  errors?: AnalysisInputError[];
}

/** A finding before it is stored: the store assigns `id`, `runId` and `status`. */
export type NewFinding = Omit<Finding, 'id' | 'runId' | 'status'> & Partial<Pick<Finding, 'status'>>;

/** Where a run left off in one input. `inputKey` names the input's identity (see the analyzers' checkpoint docs). */
export interface Checkpoint {
  analyzer: string;
  inputKey: string;
  path: string;
  dev?: string;
  ino?: string;
  /** SHA-256 of the first bytes, to recognise the same file after a move or on a filesystem without stable inodes. */
  headHash?: string;
  offset: number;
  /** Reader state needed to resume at `offset` (e.g. the Zeek header in force there). */
  state?: Record<string, unknown>;
  updatedAt?: string;
}

/** A run as stored, with the summary the runner attached (counts per detector, sensor health). */
export interface StoredAnalysisRun extends AnalysisRun {
  newFindings: number;
  summary?: Record<string, unknown>;
}

/** How many evidence entries a finding keeps; the count keeps counting past it. */
export const MAX_EVIDENCE = 20;

const toMs = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new VigilError('ANL_TIME', `invalid timestamp "${iso}"`);
  return ms;
};
const iso = (ms: number | null): string | undefined => (ms === null ? undefined : new Date(Number(ms)).toISOString());

/** Starts a run; returns it with status `running`. */
export async function createRun(
  db: Kysely<AnalysisDb>,
  opts: { analyzer: string; scheduledFor: string | Date; startedAt?: string | Date; id?: string },
): Promise<StoredAnalysisRun> {
  const id = opts.id ?? randomUUID();
  const scheduled = typeof opts.scheduledFor === 'string' ? toMs(opts.scheduledFor) : opts.scheduledFor.getTime();
  const started =
    opts.startedAt === undefined ? Date.now() : typeof opts.startedAt === 'string' ? toMs(opts.startedAt) : opts.startedAt.getTime();
  await db
    .insertInto('analysis_runs')
    .values({
      id,
      analyzer: opts.analyzer,
      scheduled_for: scheduled,
      started_at: started,
      finished_at: null,
      status: 'running',
      findings: 0,
      new_findings: 0,
      summary_json: null,
      reviewed_by: null,
      reviewed_at: null,
      review_note: null,
    })
    .execute();
  const run = await getRun(db, id);
  if (!run) throw new VigilError('ANL_STORE', `run ${id} vanished right after it was created`);
  return run;
}

/**
 * Ends a run: records its inputs (path, SHA-256 of the bytes read, offsets, record and bad record
 * counts) and how many findings it produced. `findings` defaults to the findings last touched by it.
 */
export async function finishRun(
  db: Kysely<AnalysisDb>,
  id: string,
  opts: {
    status: Exclude<AnalysisRun['status'], 'running'>;
    inputs: RecordedAnalysisInput[];
    findings?: number;
    newFindings?: number;
    summary?: Record<string, unknown>;
    finishedAt?: string | Date;
  },
): Promise<StoredAnalysisRun> {
  const finished =
    opts.finishedAt === undefined ? Date.now() : typeof opts.finishedAt === 'string' ? toMs(opts.finishedAt) : opts.finishedAt.getTime();
  return db.transaction().execute(async (trx) => {
    const touched = await trx
      .selectFrom('findings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('last_run_id', '=', id)
      .executeTakeFirst();
    const created = await trx
      .selectFrom('findings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('run_id', '=', id)
      .executeTakeFirst();
    const res = await trx
      .updateTable('analysis_runs')
      .set({
        status: opts.status,
        finished_at: finished,
        findings: opts.findings ?? Number(touched?.n ?? 0),
        new_findings: opts.newFindings ?? Number(created?.n ?? 0),
        summary_json: opts.summary ? JSON.stringify(opts.summary) : null,
      })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new VigilError('ANL_RUN_UNKNOWN', `no analysis run with id "${id}"`);
    for (let i = 0; i < opts.inputs.length; i += 200) {
      await trx
        .insertInto('analysis_inputs')
        .values(
          opts.inputs.slice(i, i + 200).map((inp) => ({
            run_id: id,
            path: inp.path,
            sha256: inp.sha256,
            from_offset: inp.fromOffset,
            to_offset: inp.toOffset,
            records: inp.records,
            bad_records: inp.badRecords,
            errors_json: inp.errors && inp.errors.length > 0 ? JSON.stringify(inp.errors) : null,
          })),
        )
        .execute();
    }
    const run = await getRun(trx, id);
    if (!run) throw new VigilError('ANL_RUN_UNKNOWN', `no analysis run with id "${id}"`);
    return run;
  });
}

/** A run with its inputs, or undefined. */
export async function getRun(db: Kysely<AnalysisDb>, id: string): Promise<StoredAnalysisRun | undefined> {
  const row = await db.selectFrom('analysis_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const inputs = await db.selectFrom('analysis_inputs').selectAll().where('run_id', '=', id).orderBy('id').execute();
  return runFromRow(row, inputs);
}

function runFromRow(row: AnalysisRunsTable, inputs: AnalysisInputsTable[]): StoredAnalysisRun {
  const run: StoredAnalysisRun = {
    id: row.id,
    analyzer: row.analyzer,
    scheduledFor: iso(row.scheduled_for)!,
    startedAt: iso(row.started_at)!,
    status: row.status,
    inputs: inputs.map((i) => {
      const inp: RecordedAnalysisInput = {
        path: i.path,
        sha256: i.sha256,
        fromOffset: Number(i.from_offset),
        toOffset: Number(i.to_offset),
        records: Number(i.records),
        badRecords: Number(i.bad_records),
      };
      if (i.errors_json) inp.errors = JSON.parse(i.errors_json) as AnalysisInputError[];
      return inp;
    }),
    findings: Number(row.findings),
    newFindings: Number(row.new_findings),
  };
  if (row.finished_at !== null) run.finishedAt = iso(row.finished_at)!;
  if (row.summary_json) run.summary = JSON.parse(row.summary_json) as Record<string, unknown>;
  if (row.reviewed_by !== null) run.reviewedBy = row.reviewed_by;
  if (row.reviewed_at !== null) run.reviewedAt = iso(row.reviewed_at)!;
  if (row.review_note !== null) run.reviewNote = row.review_note;
  return run;
}

/**
 * Marks runs of an analyzer still `running` as `failed` (a process killed mid-run leaves them so;
 * nothing it read was committed, and the next run re-reads it). Returns how many.
 */
export async function failStaleRuns(db: Kysely<AnalysisDb>, analyzer: string, startedBeforeMs = Date.now()): Promise<number> {
  const res = await db
    .updateTable('analysis_runs')
    .set({ status: 'failed', finished_at: Date.now() })
    .where('analyzer', '=', analyzer)
    .where('status', '=', 'running')
    .where('started_at', '<', startedBeforeMs)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Runs newest first, optionally of one analyzer, with their inputs. */
export async function listRuns(
  db: Kysely<AnalysisDb>,
  q: { analyzer?: string; limit?: number; sinceMs?: number; unreviewed?: boolean } = {},
): Promise<StoredAnalysisRun[]> {
  let query = db.selectFrom('analysis_runs').selectAll();
  if (q.analyzer) query = query.where('analyzer', '=', q.analyzer);
  if (q.sinceMs !== undefined) query = query.where('started_at', '>=', q.sinceMs);
  if (q.unreviewed) query = query.where('reviewed_by', 'is', null);
  const rows = await query.orderBy('started_at', 'desc').orderBy('id').limit(q.limit ?? 100).execute();
  if (rows.length === 0) return [];
  const inputs = await db
    .selectFrom('analysis_inputs')
    .selectAll()
    .where('run_id', 'in', rows.map((r) => r.id))
    .orderBy('id')
    .execute();
  return rows.map((r) => runFromRow(r, inputs.filter((i) => i.run_id === r.id)));
}

/** The latest run of an analyzer that finished (ok or partial; a failed run does not count). */
export async function lastFinishedRun(db: Kysely<AnalysisDb>, analyzer: string): Promise<StoredAnalysisRun | undefined> {
  const row = await db
    .selectFrom('analysis_runs')
    .select('id')
    .where('analyzer', '=', analyzer)
    .where('status', 'in', ['ok', 'partial'])
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? getRun(db, row.id) : undefined;
}

/**
 * Records a security officer's review (sign-off) of a run: kept in the review history and shown
 * on the run. Throws ANL_RUN_UNKNOWN for an unknown run, ANL_REVIEW for an empty name.
 */
export async function reviewRun(
  db: Kysely<AnalysisDb>,
  id: string,
  review: { by: string; note?: string; at?: string | Date },
): Promise<StoredAnalysisRun> {
  if (review.by.trim() === '') throw new VigilError('ANL_REVIEW', 'a review needs the reviewer\'s name (--by)');
  const at = review.at === undefined ? Date.now() : typeof review.at === 'string' ? toMs(review.at) : review.at.getTime();
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('analysis_runs')
      .set({ reviewed_by: review.by, reviewed_at: at, review_note: review.note ?? '' })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new VigilError('ANL_RUN_UNKNOWN', `no analysis run with id "${id}"`);
    await trx.insertInto('analysis_run_reviews').values({ run_id: id, reviewed_by: review.by, reviewed_at: at, note: review.note ?? '' }).execute();
    return (await getRun(trx, id))!;
  });
}

/** Every review of a run, oldest first. */
export async function listRunReviews(
  db: Kysely<AnalysisDb>,
  runId: string,
): Promise<{ by: string; at: string; note: string }[]> {
  const rows = await db.selectFrom('analysis_run_reviews').selectAll().where('run_id', '=', runId).orderBy('id').execute();
  return rows.map((r) => ({ by: r.reviewed_by, at: iso(r.reviewed_at)!, note: r.note }));
}

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
    firstSeen: iso(r.first_seen)!,
    lastSeen: iso(r.last_seen)!,
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
export async function upsertFindings(db: Kysely<AnalysisDb>, runId: string, findings: NewFinding[]): Promise<UpsertResult> {
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
      .where((eb) => eb.or(batch.map((f) => eb.and([eb('detector', '=', f.detector), eb('key', '=', f.key)]))))
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
          evidence_json: JSON.stringify(mergeEvidence(JSON.parse(row.evidence_json) as FindingEvidence[], f.evidence)),
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
  if (q.minSeverity) query = query.where('severity', 'in', SEVERITY_ORDER.slice(0, SEVERITY_ORDER.indexOf(q.minSeverity) + 1));
  const rows = await query.orderBy('last_seen', 'desc').orderBy('id').limit(q.limit ?? 10_000).execute();
  return rows
    .map(findingFromRow)
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
}

/** Sets the triage status of a finding (new, triaged, false_positive, incident). */
export async function setFindingStatus(db: Kysely<AnalysisDb>, id: string, status: Finding['status']): Promise<void> {
  const res = await db.updateTable('findings').set({ status }).where('id', '=', id).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw new VigilError('ANL_FINDING_UNKNOWN', `no finding with id "${id}"`);
}

function checkpointFromRow(r: AnalysisCheckpointsTable): Checkpoint {
  const c: Checkpoint = { analyzer: r.analyzer, inputKey: r.input_key, path: r.path, offset: Number(r.offset), updatedAt: iso(r.updated_at)! };
  if (r.dev !== null) c.dev = r.dev;
  if (r.ino !== null) c.ino = r.ino;
  if (r.head_hash !== null) c.headHash = r.head_hash;
  if (r.state_json !== null) c.state = JSON.parse(r.state_json) as Record<string, unknown>;
  return c;
}

/** The checkpoint of one input of an analyzer, or undefined when it was never read. */
export async function getCheckpoint(db: Kysely<AnalysisDb>, analyzer: string, inputKey: string): Promise<Checkpoint | undefined> {
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
  const rows = await db.selectFrom('analysis_checkpoints').selectAll().where('analyzer', '=', analyzer).orderBy('input_key').execute();
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
  batch: { findings: NewFinding[]; checkpoints: Checkpoint[] },
): Promise<UpsertResult> {
  return db.transaction().execute(async (trx) => {
    const res = await upsertFindings(trx, runId, batch.findings);
    for (const cp of batch.checkpoints) await setCheckpoint(trx, cp);
    return res;
  });
}
