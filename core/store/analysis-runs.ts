import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { VigilError } from '../errors.js';
import type { AnalysisInput, AnalysisRun, Finding, Severity } from '../types.js';

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

const toMs = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new VigilError('ANL_TIME', `invalid timestamp "${iso}"`);
  return ms;
};
const iso = (ms: number | null): string | undefined =>
  ms === null ? undefined : new Date(Number(ms)).toISOString();

/** Starts a run; returns it with status `running`. */
export async function createRun(
  db: Kysely<AnalysisDb>,
  opts: { analyzer: string; scheduledFor: string | Date; startedAt?: string | Date; id?: string },
): Promise<StoredAnalysisRun> {
  const id = opts.id ?? randomUUID();
  const scheduled =
    typeof opts.scheduledFor === 'string' ? toMs(opts.scheduledFor) : opts.scheduledFor.getTime();
  const started =
    opts.startedAt === undefined
      ? Date.now()
      : typeof opts.startedAt === 'string'
        ? toMs(opts.startedAt)
        : opts.startedAt.getTime();
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
    opts.finishedAt === undefined
      ? Date.now()
      : typeof opts.finishedAt === 'string'
        ? toMs(opts.finishedAt)
        : opts.finishedAt.getTime();
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
    if (Number(res.numUpdatedRows) === 0)
      throw new VigilError('ANL_RUN_UNKNOWN', `no analysis run with id "${id}"`);
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

/**
 * Records how far a running run has got (files, bytes, records) in its summary, so a scheduled
 * run's progress is visible in its run record while it runs; `finishRun` replaces it.
 */
export async function setRunProgress(
  db: Kysely<AnalysisDb>,
  id: string,
  progress: Record<string, unknown>,
): Promise<void> {
  await db
    .updateTable('analysis_runs')
    .set({ summary_json: JSON.stringify({ progress }) })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

/** A run with its inputs, or undefined. */
export async function getRun(db: Kysely<AnalysisDb>, id: string): Promise<StoredAnalysisRun | undefined> {
  const row = await db.selectFrom('analysis_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const inputs = await db
    .selectFrom('analysis_inputs')
    .selectAll()
    .where('run_id', '=', id)
    .orderBy('id')
    .execute();
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
export async function failStaleRuns(
  db: Kysely<AnalysisDb>,
  analyzer: string,
  startedBeforeMs = Date.now(),
): Promise<number> {
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
  const rows = await query
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(q.limit ?? 100)
    .execute();
  if (rows.length === 0) return [];
  const inputs = await db
    .selectFrom('analysis_inputs')
    .selectAll()
    .where(
      'run_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('id')
    .execute();
  return rows.map((r) =>
    runFromRow(
      r,
      inputs.filter((i) => i.run_id === r.id),
    ),
  );
}

/** The latest run of an analyzer that finished (ok or partial; a failed run does not count). */
export async function lastFinishedRun(
  db: Kysely<AnalysisDb>,
  analyzer: string,
): Promise<StoredAnalysisRun | undefined> {
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
  if (review.by.trim() === '')
    throw new VigilError('ANL_REVIEW', "a review needs the reviewer's name (--by)");
  const at =
    review.at === undefined
      ? Date.now()
      : typeof review.at === 'string'
        ? toMs(review.at)
        : review.at.getTime();
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('analysis_runs')
      .set({ reviewed_by: review.by, reviewed_at: at, review_note: review.note ?? '' })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0)
      throw new VigilError('ANL_RUN_UNKNOWN', `no analysis run with id "${id}"`);
    await trx
      .insertInto('analysis_run_reviews')
      .values({ run_id: id, reviewed_by: review.by, reviewed_at: at, note: review.note ?? '' })
      .execute();
    return (await getRun(trx, id))!;
  });
}

/** Every review of a run, oldest first. */
export async function listRunReviews(
  db: Kysely<AnalysisDb>,
  runId: string,
): Promise<{ by: string; at: string; note: string }[]> {
  const rows = await db
    .selectFrom('analysis_run_reviews')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ by: r.reviewed_by, at: iso(r.reviewed_at)!, note: r.note }));
}

export {
  upsertFindings,
  listFindings,
  setFindingStatus,
  getCheckpoint,
  setCheckpoint,
  listCheckpoints,
  commitAnalysis,
  MAX_EVIDENCE,
  type UpsertResult,
  type FindingQuery,
} from './analysis-findings.js';
