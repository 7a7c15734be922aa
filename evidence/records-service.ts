import { byCodeUnit } from './jsonl.js';
import type { AnyDb } from './records-ops.js';
import type { Period } from './types.js';

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const MIN = 60_000;

function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * Measured availability per service and UTC month from the minute roll-ups: a minute is down when
 * more of its samples failed than succeeded; consecutive down minutes form a down interval, and a
 * planned downtime overlapping it is listed as its exclusion. `targetIds` limits the services (a
 * customer scope). The contractual figures with the service's SLA policy are `vigil sla report`.
 */
export async function slaRecords(
  db: AnyDb,
  p: Period,
  targetIds: readonly string[] | undefined,
  downtimes: readonly Row[],
  serviceOf: ReadonlyMap<string, string>,
): Promise<Row[]> {
  if (targetIds?.length === 0) return [];
  const out: Row[] = [];
  // Month by month, counted in the store (GROUP BY): a month of 1,000 services is 43 million
  // minute rows, which must not be carried into memory; only the down minutes are read.
  for (let m = monthStart(p.from); m < p.to; m = nextMonth(m)) {
    const from = Math.max(m, p.from);
    const to = Math.min(nextMonth(m), p.to);
    let counts = db
      .selectFrom('probe_rollups')
      .select((eb) => ['target_id', eb.fn.count('minute_at').as('measured')])
      .where('minute_at', '>=', from)
      .where('minute_at', '<', to)
      .groupBy('target_id');
    let downs = db
      .selectFrom('probe_rollups')
      .select(['target_id', 'minute_at'])
      .where('minute_at', '>=', from)
      .where('minute_at', '<', to)
      .whereRef('fail_count', '>', 'ok_count');
    if (targetIds) {
      counts = counts.where('target_id', 'in', targetIds);
      downs = downs.where('target_id', 'in', targetIds);
    }
    const measured = new Map((await counts.execute()).map((r) => [String(r.target_id), Number(r.measured)]));
    const down = new Map<string, number[]>();
    for (const r of await downs.orderBy('target_id').orderBy('minute_at').execute()) {
      const list = down.get(String(r.target_id)) ?? [];
      list.push(Number(r.minute_at));
      down.set(String(r.target_id), list);
    }
    for (const target of [...measured.keys()].sort()) {
      const service = serviceOf.get(target) ?? target.split('/')[0]!;
      const minutes = down.get(target) ?? [];
      const intervals: { from: number; to: number }[] = [];
      for (const at of minutes) {
        const last = intervals.at(-1);
        if (last && last.to === at) last.to = at + MIN;
        else intervals.push({ from: at, to: at + MIN });
      }
      const exclusions = downtimes
        .filter((d) => d.serviceId === service)
        .filter((d) => intervals.some((i) => i.from < (d.endAt as number) && (d.startAt as number) < i.to))
        .map((d) => ({ plannedDowntimeId: d.id, from: d.startAt, to: d.endAt }));
      const n = measured.get(target)!;
      out.push({
        service,
        target,
        month: new Date(m).toISOString().slice(0, 7),
        measuredMinutes: n,
        downMinutes: minutes.length,
        availability: n === 0 ? null : Math.round(((n - minutes.length) / n) * 1e6) / 1e6,
        downIntervals: intervals,
        exclusions,
      });
    }
  }
  return out.sort(
    (a, b) => byCodeUnit(String(a.target), String(b.target)) || byCodeUnit(String(a.month), String(b.month)),
  );
}

/** Planned downtimes overlapping the period, with their notice (announced → start). */
export async function downtimeRecords(db: AnyDb, p: Period, serviceIds?: readonly string[]): Promise<Row[]> {
  let q = db
    .selectFrom('planned_downtimes')
    .selectAll()
    .where('end_at', '>', p.from)
    .where('start_at', '<', p.to);
  if (serviceIds?.length === 0) return [];
  if (serviceIds) q = q.where('service_id', 'in', serviceIds);
  const rows = await q.orderBy('start_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    serviceId: r.service_id,
    startAt: num(r.start_at),
    endAt: num(r.end_at),
    announcedAt: num(r.announced_at),
    noticeMs: Number(r.start_at) - Number(r.announced_at),
    reason: r.reason,
  }));
}

/** SLA incidents (the SLA clock: detected, reported, acknowledged, resolved, accepted) in the period. */
export async function slaIncidentRecords(db: AnyDb, p: Period, customerId?: string): Promise<Row[]> {
  let q = db
    .selectFrom('incidents')
    .selectAll()
    .where('detected_at', '>=', p.from)
    .where('detected_at', '<', p.to);
  if (customerId !== undefined) q = q.where('customer_id', '=', customerId);
  const rows = await q.orderBy('detected_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    customerId: r.customer_id,
    serviceId: r.service_id ?? null,
    priority: r.priority,
    title: r.title,
    detectedAt: num(r.detected_at),
    reportedAt: num(r.reported_at),
    acknowledgedAt: num(r.acknowledged_at),
    resolvedAt: num(r.resolved_at),
    acceptedAt: num(r.accepted_at),
    timeline: JSON.parse(String(r.timeline_json)) as unknown,
  }));
}

/** TLS and backup probe history: results of targets of those kinds, and any result with TLS details. */
export async function probeHistoryRecords(db: AnyDb, p: Period, ids: readonly string[]): Promise<Row[]> {
  let q = db
    .selectFrom('probe_results')
    .select([
      'target_id',
      'location',
      'started_at',
      'ok',
      'status',
      'error_kind',
      'error_message',
      'tls_json',
    ])
    .where('started_at', '>=', p.from)
    .where('started_at', '<', p.to);
  q = ids.length
    ? q.where((eb) => eb.or([eb('target_id', 'in', ids), eb('tls_json', 'is not', null)]))
    : q.where('tls_json', 'is not', null);
  const rows = await q.orderBy('target_id').orderBy('started_at').orderBy('location').execute();
  return rows.map((r) => ({
    targetId: r.target_id,
    location: r.location,
    startedAt: num(r.started_at),
    ok: Number(r.ok) === 1,
    status: num(r.status),
    errorKind: r.error_kind ?? null,
    errorMessage: r.error_message ?? null,
    tls: r.tls_json == null ? null : (JSON.parse(String(r.tls_json)) as unknown),
  }));
}
