import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  VigilError,
  getIncidentRecord,
  queryIncidentRecords,
  saveIncidentRecord,
  setIncidentCadenceMarks,
  type Clock,
  type IncidentPriority,
  type IncidentRecord,
  type IncidentRecordsDb,
  type IncidentState,
} from '../core/index.js';
import { addEntry, advance, reopen } from './lifecycle.js';

/** What opening an incident needs; `reportedAtMs` when the customer reported it (23.1f). */
export interface OpenIncident {
  kind: IncidentRecord['kind'];
  customerId: string;
  serviceId?: string;
  priority: IncidentPriority;
  title: string;
  detector?: string;
  actor: string;
  /** Defaults to now. */
  detectedAtMs?: number;
  /** The customer reported it: the incident starts as `reported`, at this time. */
  reportedByCustomerAtMs?: number;
  text?: string;
}

/** Which customers a caller may see: undefined means all (DESIGN S12 customer scope). */
export type CustomerFilter = readonly string[] | undefined;

/** A fresh incident id: `INC-` date and 8 hex digits, sortable by day and unguessable. */
export function newIncidentId(nowMs: number): string {
  const day = new Date(nowMs).toISOString().slice(0, 10).replace(/-/g, '');
  return `INC-${day}-${randomBytes(4).toString('hex')}`;
}

/** The incidents of the store with their enforced lifecycle; every step stamped with actor and time. */
export class IncidentService {
  constructor(
    private readonly db: Kysely<IncidentRecordsDb>,
    private readonly clock: Clock,
  ) {}

  /** Opens an incident (by a rule, by hand, or reported by the customer). */
  async open(o: OpenIncident): Promise<IncidentRecord> {
    const now = this.clock.now();
    const detected = o.detectedAtMs ?? now;
    const byCustomer = o.reportedByCustomerAtMs;
    const state: IncidentState = byCustomer !== undefined ? 'reported' : 'detected';
    const detectedAt = new Date(
      byCustomer !== undefined ? Math.min(detected, byCustomer) : detected,
    ).toISOString();
    const reportedAt = new Date(byCustomer ?? detected).toISOString();
    const text = o.text ?? (byCustomer !== undefined ? `reported by the customer: ${o.title}` : o.title);
    const rec: IncidentRecord = {
      id: newIncidentId(now),
      kind: o.kind,
      customerId: o.customerId,
      priority: o.priority,
      title: o.title,
      detectedAt,
      reportedAt,
      state,
      openedBy: o.actor,
      lastUpdateAt: now,
      timeline: [{ at: new Date(byCustomer ?? detected).toISOString(), actor: o.actor, kind: state, text }],
    };
    if (o.serviceId !== undefined) rec.serviceId = o.serviceId;
    if (o.detector !== undefined) rec.detector = o.detector;
    await saveIncidentRecord(this.db, rec);
    return rec;
  }

  /** One incident, if the caller's customer filter lets it be seen (else INC_NOT_FOUND, not a hint). */
  async get(id: string, customers?: CustomerFilter): Promise<IncidentRecord> {
    const rec = await getIncidentRecord(this.db, id);
    if (!rec || (customers !== undefined && !customers.includes(rec.customerId))) {
      throw new VigilError('INC_NOT_FOUND', `no incident ${id}`);
    }
    return rec;
  }

  async list(q: { customers?: CustomerFilter; open?: boolean } = {}): Promise<IncidentRecord[]> {
    return queryIncidentRecords(this.db, {
      ...(q.customers !== undefined ? { customerIds: q.customers } : {}),
      ...(q.open ? { open: true } : {}),
    });
  }

  /** Moves the incident one lifecycle step, optionally recording a measure taken. */
  async step(
    id: string,
    to: IncidentState,
    actor: string,
    o: { measure?: string; customers?: CustomerFilter } = {},
  ) {
    return this.change(id, o.customers, (i, now) => {
      let out = advance(i, to, actor, now);
      if (o.measure !== undefined) out = addEntry(out, 'measure', actor, now, o.measure);
      if (to === 'acknowledged' && out.owner === undefined) out.owner = actor;
      return out;
    });
  }

  /** Records an update (sent to the customer) and optionally a measure; restarts the cadence. */
  async update(
    id: string,
    actor: string,
    text: string,
    o: { measure?: string; customers?: CustomerFilter } = {},
  ) {
    return this.change(id, o.customers, (i, now) => {
      let out = addEntry(i, 'update', actor, now, text);
      if (o.measure !== undefined) out = addEntry(out, 'measure', actor, now, o.measure);
      return { ...out, lastUpdateAt: now };
    });
  }

  /** Records a measure taken. */
  async measure(id: string, actor: string, text: string, customers?: CustomerFilter) {
    return this.change(id, customers, (i, now) => addEntry(i, 'measure', actor, now, text));
  }

  /** The customer rejects the resolution: reopens with the reason. */
  async reject(id: string, actor: string, reason: string, customers?: CustomerFilter) {
    return this.change(id, customers, (i, now) => reopen(i, actor, now, reason));
  }

  /** Saves a changed record as is (cadence bookkeeping, joined findings). */
  async save(rec: IncidentRecord): Promise<void> {
    await saveIncidentRecord(this.db, rec);
  }

  /** Records that the reminder (and escalation) for an update period went out. */
  async markCadence(id: string, marks: { remindedAt: number; escalatedAt?: number }): Promise<void> {
    await setIncidentCadenceMarks(this.db, id, marks);
  }

  private async change(
    id: string,
    customers: CustomerFilter,
    f: (i: IncidentRecord, now: number) => IncidentRecord,
  ): Promise<IncidentRecord> {
    const rec = await this.get(id, customers);
    const out = f(rec, this.clock.now());
    await saveIncidentRecord(this.db, out);
    return out;
  }
}
