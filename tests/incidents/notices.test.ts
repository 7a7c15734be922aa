import { describe, expect, it } from 'vitest';
import {
  checkChangeNotice,
  changeNoticeMail,
  oneMonthAfter,
  plannedNoticeLate,
} from '../../incidents/index.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;

describe('notice periods', () => {
  it('planned downtime: 11 h 59 min ahead is late (counts as unplanned), 12 h is not', () => {
    expect(plannedNoticeLate(NOW, NOW + 12 * 60 * MIN - MIN)).toBe(true);
    expect(plannedNoticeLate(NOW, NOW + 12 * 60 * MIN)).toBe(false);
  });

  it('change notice: 29 days is refused (or flagged with force), 31 days is fine', () => {
    expect(() => checkChangeNotice(NOW, NOW + 29 * DAY, false)).toThrow(/under one month's notice/);
    expect(checkChangeNotice(NOW, NOW + 29 * DAY, true)).toEqual({ late: true });
    expect(checkChangeNotice(NOW, NOW + 31 * DAY, false)).toEqual({ late: false });
  });

  it('one month is a calendar month, ending at the month end when the day does not exist', () => {
    expect(new Date(oneMonthAfter(Date.parse('2026-01-31T12:00:00Z'))).toISOString()).toBe(
      '2026-02-28T12:00:00.000Z',
    );
    expect(new Date(oneMonthAfter(NOW)).toISOString()).toBe('2026-04-02T09:00:00.000Z');
  });

  it('a late change notice says so, in the customer language', () => {
    const m = changeNoticeMail({
      to: 'a@x',
      customerName: 'ACME',
      language: 'nl',
      effectiveMs: NOW + 29 * DAY,
      text: 'New <mail> relay',
      late: true,
    });
    expect(m.subject).toBe('Aankondiging van wijziging: 2026-03-31');
    expect(m.text).toContain('minder dan een maand');
    expect(m.html).toContain('New &lt;mail&gt; relay');
  });
});
