import type { Kysely } from 'kysely';
import type { Incident } from '../types.js';
import type { IncidentsTable } from './incidents.js';

/** Lifecycle states of an incident (S9), in order; `accepted` ends it. */
export const INCIDENT_STATES = ['detected', 'reported', 'acknowledged', 'resolved', 'accepted'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** An incident with what the incidents domain tracks beyond the core `Incident` (issue 12). */
export interface IncidentRecord extends Incident {
  state: IncidentState;
  /** The detector (or `alert:<alertname>`) that opened it: related findings join the open incident. */
  detector?: string;
  owner?: string;
  openedBy: string;
  /** Last update sent to the customer (or the opening), ms: the cadence counts from here. */
  lastUpdateAt?: number;
  /** The `lastUpdateAt` a reminder / escalation was sent for, so each is sent once per period. */
  remindedAt?: number;
  escalatedAt?: number;
}

/** The incidents table with the columns of migration 0700. */
export interface IncidentRecordsTable extends IncidentsTable {
  state: string;
  detector: string | null;
  owner: string | null;
  opened_by: string | null;
  last_update_at: number | null;
  reminded_at: number | null;
  escalated_at: number | null;
}

/** One message to a customer, kept as evidence: content hash and delivery result. */
export interface IncidentMessagesTable {
  id: number | undefined;
  incident_id: string | null;
  customer_id: string;
  /** `security-report`, `update`, `final-report`, `planned-downtime`, `change-notice`. */
  kind: string;
  /** `email` or `webhook`. */
  channel: string;
  recipient: string;
  subject: string;
  content_sha256: string;
  created_at: number;
  delivered_at: number | null;
  /** `pending`, `delivered`, or `failed: <reason>`. */
  result: string;
  /** What is sent (JSON; attachments base64): a pending message is resent from it after a restart. */
  payload: string;
  attempts: number;
  next_attempt_at: number;
  /** JSON array of `{at, ok, reason?}`: every attempt. */
  attempt_log: string;
}

export interface IncidentRecordsDb {
  incidents: IncidentRecordsTable;
  incident_messages: IncidentMessagesTable;
}

const isoOf = (v: number | null): string | undefined =>
  v === null ? undefined : new Date(Number(v)).toISOString();
const msOf = (v: string | undefined): number | null => (v === undefined ? null : Date.parse(v));
const num = (v: number | null): number | undefined => (v === null ? undefined : Number(v));

function toRecordRow(i: IncidentRecord): IncidentRecordsTable {
  return {
    id: i.id,
    kind: i.kind,
    customer_id: i.customerId,
    service_id: i.serviceId ?? null,
    priority: i.priority,
    title: i.title,
    detected_at: Date.parse(i.detectedAt),
    reported_at: Date.parse(i.reportedAt),
    acknowledged_at: msOf(i.acknowledgedAt),
    resolved_at: msOf(i.resolvedAt),
    accepted_at: msOf(i.acceptedAt),
    timeline_json: JSON.stringify(i.timeline),
    state: i.state,
    detector: i.detector ?? null,
    owner: i.owner ?? null,
    opened_by: i.openedBy,
    last_update_at: i.lastUpdateAt ?? null,
    reminded_at: i.remindedAt ?? null,
    escalated_at: i.escalatedAt ?? null,
  };
}

function fromRecordRow(r: IncidentRecordsTable): IncidentRecord {
  const out: IncidentRecord = {
    id: r.id,
    kind: r.kind as Incident['kind'],
    customerId: r.customer_id,
    priority: r.priority as Incident['priority'],
    title: r.title,
    detectedAt: isoOf(r.detected_at)!,
    reportedAt: isoOf(r.reported_at)!,
    timeline: JSON.parse(r.timeline_json) as Incident['timeline'],
    state: r.state as IncidentState,
    openedBy: r.opened_by ?? 'unknown',
  };
  const opt = {
    serviceId: r.service_id ?? undefined,
    acknowledgedAt: isoOf(r.acknowledged_at),
    resolvedAt: isoOf(r.resolved_at),
    acceptedAt: isoOf(r.accepted_at),
    detector: r.detector ?? undefined,
    owner: r.owner ?? undefined,
    lastUpdateAt: num(r.last_update_at),
    remindedAt: num(r.reminded_at),
    escalatedAt: num(r.escalated_at),
  };
  for (const [k, v] of Object.entries(opt))
    if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}

/** Inserts or replaces an incident record (all columns). */
export async function saveIncidentRecord(db: Kysely<IncidentRecordsDb>, i: IncidentRecord): Promise<void> {
  const row = toRecordRow(i);
  const { id: _id, ...rest } = row;
  await db
    .insertInto('incidents')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(rest))
    .execute();
}

export async function getIncidentRecord(
  db: Kysely<IncidentRecordsDb>,
  id: string,
): Promise<IncidentRecord | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRecordRow(row) : undefined;
}

/** Incidents, newest first; `customerIds` restricts to those customers (customer scope), `open` to unaccepted. */
export async function queryIncidentRecords(
  db: Kysely<IncidentRecordsDb>,
  q: { customerIds?: readonly string[]; open?: boolean; kind?: Incident['kind']; detector?: string } = {},
): Promise<IncidentRecord[]> {
  let query = db.selectFrom('incidents').selectAll();
  if (q.customerIds !== undefined) {
    if (q.customerIds.length === 0) return [];
    query = query.where('customer_id', 'in', q.customerIds);
  }
  if (q.open) query = query.where('state', '!=', 'accepted');
  if (q.kind !== undefined) query = query.where('kind', '=', q.kind);
  if (q.detector !== undefined) query = query.where('detector', '=', q.detector);
  const rows = await query.orderBy('detected_at', 'desc').orderBy('id').execute();
  return rows.map(fromRecordRow);
}

/** Records a message to a customer; returns its id. */
export async function insertIncidentMessage(
  db: Kysely<IncidentRecordsDb>,
  m: Omit<IncidentMessagesTable, 'id'>,
): Promise<number> {
  const row = await db.insertInto('incident_messages').values(m).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Records one delivery attempt of a message: result, attempt count and log, next attempt time. */
export async function recordIncidentMessageAttempt(
  db: Kysely<IncidentRecordsDb>,
  m: {
    id: number;
    result: string;
    deliveredAt: number | null;
    attempts: number;
    nextAttemptAt: number;
    attemptLog: string;
  },
): Promise<void> {
  await db
    .updateTable('incident_messages')
    .set({
      result: m.result,
      delivered_at: m.deliveredAt,
      attempts: m.attempts,
      next_attempt_at: m.nextAttemptAt,
      attempt_log: m.attemptLog,
    })
    .where('id', '=', m.id)
    .execute();
}

/** Pending messages due for an attempt, oldest first. */
export async function dueIncidentMessages(
  db: Kysely<IncidentRecordsDb>,
  nowMs: number,
): Promise<Array<IncidentMessagesTable & { id: number }>> {
  const rows = await db
    .selectFrom('incident_messages')
    .selectAll()
    .where('result', '=', 'pending')
    .where('next_attempt_at', '<=', nowMs)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    attempts: Number(r.attempts),
    next_attempt_at: Number(r.next_attempt_at),
  }));
}

/** Messages, oldest first, optionally of one incident or customer. */
export async function listIncidentMessages(
  db: Kysely<IncidentRecordsDb>,
  q: { incidentId?: string; customerIds?: readonly string[] } = {},
): Promise<Array<IncidentMessagesTable & { id: number }>> {
  let query = db.selectFrom('incident_messages').selectAll();
  if (q.incidentId !== undefined) query = query.where('incident_id', '=', q.incidentId);
  if (q.customerIds !== undefined) {
    if (q.customerIds.length === 0) return [];
    query = query.where('customer_id', 'in', q.customerIds);
  }
  const rows = await query.orderBy('id').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Sets only the cadence marks of an incident (no read-modify-write of the whole record). */
export async function setIncidentCadenceMarks(
  db: Kysely<IncidentRecordsDb>,
  id: string,
  marks: { remindedAt: number; escalatedAt?: number },
): Promise<void> {
  await db
    .updateTable('incidents')
    .set({
      reminded_at: marks.remindedAt,
      ...(marks.escalatedAt !== undefined ? { escalated_at: marks.escalatedAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}
