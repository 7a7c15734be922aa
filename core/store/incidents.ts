import type { Kysely } from 'kysely';
import type { Incident, IncidentPriority } from '../types.js';

export interface IncidentsTable {
  id: string;
  kind: string;
  customer_id: string;
  service_id: string | null;
  priority: string;
  title: string;
  detected_at: number;
  reported_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
  accepted_at: number | null;
  timeline_json: string;
}

export interface IncidentsDb {
  incidents: IncidentsTable;
}

const ms = (iso: string | undefined): number | null => (iso === undefined ? null : Date.parse(iso));
const iso = (v: number | null): string | undefined =>
  v === null ? undefined : new Date(Number(v)).toISOString();

function toRow(i: Incident): IncidentsTable {
  return {
    id: i.id,
    kind: i.kind,
    customer_id: i.customerId,
    service_id: i.serviceId ?? null,
    priority: i.priority,
    title: i.title,
    detected_at: Date.parse(i.detectedAt),
    reported_at: Date.parse(i.reportedAt),
    acknowledged_at: ms(i.acknowledgedAt),
    resolved_at: ms(i.resolvedAt),
    accepted_at: ms(i.acceptedAt),
    timeline_json: JSON.stringify(i.timeline),
  };
}

function fromRow(r: IncidentsTable): Incident {
  const out: Incident = {
    id: r.id,
    kind: r.kind as Incident['kind'],
    customerId: r.customer_id,
    priority: r.priority as IncidentPriority,
    title: r.title,
    detectedAt: iso(r.detected_at)!,
    reportedAt: iso(r.reported_at)!,
    timeline: JSON.parse(r.timeline_json) as Incident['timeline'],
  };
  if (r.service_id !== null) out.serviceId = r.service_id;
  const ack = iso(r.acknowledged_at);
  if (ack) out.acknowledgedAt = ack;
  const res = iso(r.resolved_at);
  if (res) out.resolvedAt = res;
  const acc = iso(r.accepted_at);
  if (acc) out.acceptedAt = acc;
  return out;
}

/** Inserts or replaces an incident by id (the whole record, timeline included). */
export async function upsertIncident(db: Kysely<IncidentsDb>, incident: Incident): Promise<void> {
  const row = toRow(incident);
  const { id: _id, ...rest } = row;
  await db
    .insertInto('incidents')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(rest))
    .execute();
}

export async function getIncident(db: Kysely<IncidentsDb>, id: string): Promise<Incident | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/**
 * Incidents that may overlap [fromMs, toMs): detected or reported before `toMs` and not accepted
 * before `fromMs` (an unaccepted incident is still running). Earliest first.
 */
export async function listIncidents(
  db: Kysely<IncidentsDb>,
  q: { serviceId?: string; customerId?: string; kind?: Incident['kind']; fromMs: number; toMs: number },
): Promise<Incident[]> {
  let query = db
    .selectFrom('incidents')
    .selectAll()
    .where((eb) => eb.or([eb('detected_at', '<', q.toMs), eb('reported_at', '<', q.toMs)]))
    .where((eb) => eb.or([eb('accepted_at', 'is', null), eb('accepted_at', '>', q.fromMs)]));
  if (q.serviceId !== undefined) query = query.where('service_id', '=', q.serviceId);
  if (q.customerId !== undefined) query = query.where('customer_id', '=', q.customerId);
  if (q.kind !== undefined) query = query.where('kind', '=', q.kind);
  const rows = await query.orderBy('detected_at').orderBy('id').execute();
  return rows.map(fromRow);
}
