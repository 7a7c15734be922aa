import { csvRow as row } from '../../core/index.js';
import type { SlaReport } from './build-report.js';

/**
 * CSV (RFC 4180, text cells neutralised against formula injection — core `csvCell`): a `summary` block of key,value rows, then one row per local day, then every
 * down interval and exclusion, each block headed by a `section` row.
 */
export function reportCsv(r: SlaReport): string {
  const lines: string[] = [row(['section', 'summary']), row(['key', 'value'])];
  const summary: [string, unknown][] = [
    ['service', r.service],
    ['customer', r.customer],
    ['period', r.period],
    ['from', r.from],
    ['to', r.to],
    ['eligibleSeconds', r.eligibleSeconds],
    ['upSeconds', r.upSeconds],
    ['downSeconds', r.downSeconds],
    ['unknownSeconds', r.unknownSeconds],
    ['excludedSeconds', r.excludedSeconds],
    ['availability', r.availability],
    ['coverage', r.coverage],
    ['serviceHoursAvailability', r.serviceHoursAvailability],
    ['incidentAvailability', r.incidentMeasured.availability],
    ['avgResponseMs', r.avgResponseMs],
    ['p50Ms', r.p50Ms],
    ['p95Ms', r.p95Ms],
    ['p99Ms', r.p99Ms],
    ['latencySamples', r.latencySamples],
    ['availabilityMet', r.availabilityMet],
    ['latencyMet', r.latencyMet],
    ['budgetRemainingSeconds', r.budgetRemainingSeconds],
  ];
  for (const kv of summary) lines.push(row(kv));
  lines.push(row(['section', 'daily']));
  lines.push(
    row([
      'date',
      'eligibleSeconds',
      'upSeconds',
      'downSeconds',
      'unknownSeconds',
      'availability',
      'avgResponseMs',
      'p50Ms',
      'p95Ms',
      'p99Ms',
      'latencySamples',
      'budgetRemainingSeconds',
    ]),
  );
  for (const d of r.daily) {
    lines.push(
      row([
        d.date,
        d.eligibleSeconds,
        d.upSeconds,
        d.downSeconds,
        d.unknownSeconds,
        d.availability,
        d.avgResponseMs,
        d.p50Ms,
        d.p95Ms,
        d.p99Ms,
        d.latencySamples,
        d.budgetRemainingSeconds,
      ]),
    );
  }
  lines.push(row(['section', 'down_intervals']), row(['from', 'to']));
  for (const [f, t] of r.downIntervals) lines.push(row([f, t]));
  lines.push(row(['section', 'exclusions']), row(['from', 'to', 'kind', 'reason']));
  for (const e of r.exclusions) lines.push(row([e.from, e.to, e.kind, e.reason]));
  lines.push(
    row(['section', 'unplanned_announcements']),
    row(['id', 'start', 'end', 'announcedAt', 'reason', 'note']),
  );
  for (const u of r.unplannedAnnouncements)
    lines.push(row([u.id, u.start, u.end, u.announcedAt, u.reason, u.note]));
  return `${lines.join('\r\n')}\r\n`;
}
