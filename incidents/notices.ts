import { VigilError } from '../core/index.js';
import type { CustomerMail } from './outbox.js';
import type { ReportLanguage } from './report.js';

/** Planned downtime must be announced at least this long ahead (MKBackup 22.2), else it counts as unplanned. */
export const PLANNED_NOTICE_MS = 12 * 3_600_000;

/** Whether a planned-downtime announcement is late: under 12 h before the start. */
export function plannedNoticeLate(announcedAtMs: number, startMs: number): boolean {
  return startMs - announcedAtMs < PLANNED_NOTICE_MS;
}

/** One calendar month after `fromMs` (UTC), the change-notice period (24Office 8.1). */
export function oneMonthAfter(fromMs: number): number {
  const d = new Date(fromMs);
  const target = new Date(fromMs);
  target.setUTCMonth(d.getUTCMonth() + 1);
  // 31 Jan + 1 month: JS rolls over into March; the contract month ends on the last day of February.
  if (target.getUTCDate() !== d.getUTCDate()) target.setUTCDate(0);
  return target.getTime();
}

/**
 * Checks a change notice's period: under one month it is refused (INC_NOTICE) unless `force`,
 * and then flagged as late. Returns whether it is late.
 */
export function checkChangeNotice(nowMs: number, effectiveMs: number, force: boolean): { late: boolean } {
  const late = effectiveMs < oneMonthAfter(nowMs);
  if (late && !force)
    throw new VigilError(
      'INC_NOTICE',
      `a change effective ${new Date(effectiveMs).toISOString()} gives under one month's notice (needs ${new Date(oneMonthAfter(nowMs)).toISOString()} or later); pass --force to send it flagged as late`,
    );
  return { late };
}

const CHANGE = {
  en: {
    subject: 'Notice of change',
    effective: 'Effective from',
    late: 'This notice is given at less than one month before the change.',
  },
  nl: {
    subject: 'Aankondiging van wijziging',
    effective: 'Ingaande',
    late: 'Deze aankondiging komt minder dan een maand voor de wijziging.',
  },
} as const;

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The change-notice mail to one contact, in the customer's language. */
export function changeNoticeMail(o: {
  to: string;
  customerName: string;
  language: ReportLanguage;
  effectiveMs: number;
  text: string;
  late: boolean;
}): CustomerMail {
  const t = CHANGE[o.language];
  const effective = new Date(o.effectiveMs).toISOString().slice(0, 10);
  const subject = `${t.subject}: ${effective}`;
  const lines = [
    o.customerName,
    '',
    o.text,
    '',
    `${t.effective}: ${effective}`,
    ...(o.late ? ['', t.late] : []),
  ];
  const html = `<!doctype html>\n<html lang="${o.language}"><head><meta charset="utf-8"><title>${esc(subject)}</title></head><body>${lines
    .filter((l) => l !== '')
    .map((l) => `<p>${esc(l)}</p>`)
    .join('')}</body></html>\n`;
  return { to: o.to, subject, text: lines.join('\n'), html, attachments: [] };
}
