import { inScope, type PlannedDowntime } from '../../core/index.js';
import { listPlannedDowntimes, serviceMonthReport } from '../../sla/index.js';
import { overviewData } from '../overview-data.js';
import type { UiOptions } from './context.js';

/** One service on a status page: state now and availability per calendar month, newest first. */
export interface StatusService {
  id: string;
  state: 'up' | 'down' | 'unknown';
  objective: number;
  months: Array<{ month: string; availability: number | null; excludedSeconds: number }>;
}

/** What a customer's status page, feed and badge show: nothing of any other customer. */
export interface StatusData {
  customer: string;
  name: string;
  services: StatusService[];
  /** Planned downtime of the customer's services, with whether it counts (announced too late). */
  downtimes: Array<PlannedDowntime & { counted: boolean; ahead: boolean }>;
}

/** `YYYY-MM` of the month `back` months before the one holding `ms` in `tz`. */
export function monthBack(ms: number, tz: string, back: number): string {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit' })
    .format(ms)
    .split('-')
    .map(Number) as [number, number];
  const idx = y * 12 + (m - 1) - back;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

/**
 * The figures of a status page. Availability per month comes from `serviceMonthReport`, the
 * code `vigil sla report` and the report API run, so the page shows the contract's figure.
 */
export async function statusData(o: UiOptions, customer: string, months = 13): Promise<StatusData> {
  const now = o.clock.now();
  const services = o.overview.services.filter((s) => s.customer === customer);
  const overview = await overviewData({ ...o.overview, listOpenAlerts: () => [] }, customer);
  const out: StatusService[] = [];
  for (const svc of services) {
    const list: StatusService['months'] = [];
    for (let back = 0; back < months; back++) {
      const month = monthBack(now, svc.timezone, back);
      const r = await serviceMonthReport({
        store: o.overview.store,
        service: svc,
        timeIntervals: o.overview.timeIntervals,
        month,
        nowMs: now,
      });
      list.push({ month, availability: r.availability, excludedSeconds: r.excludedSeconds });
    }
    out.push({
      id: svc.id,
      state:
        overview.services.find((s) => s.id === svc.id && inScope(customer, s.customer))?.state ?? 'unknown',
      objective: svc.policy.availability,
      months: list,
    });
  }
  const downtimes = services.length
    ? await listPlannedDowntimes(o.overview.store.db, {
        fromMs: 0,
        toMs: 8.64e15,
        serviceIds: services.map((s) => s.id),
      })
    : [];
  return {
    customer,
    name: o.customerNames.get(customer) ?? customer,
    services: out,
    downtimes: downtimes
      .map((d) => {
        const svc = services.find((s) => s.id === d.serviceId)!;
        return {
          ...d,
          counted: Date.parse(d.start) - Date.parse(d.announcedAt) < svc.policy.planned_notice,
          ahead: Date.parse(d.end) > now,
        };
      })
      .sort((a, b) => Date.parse(b.start) - Date.parse(a.start)),
  };
}
