import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../src/statute/calendar.ts';
import { addDays, dateOf, dayNumber } from '../../src/statute/calendar-date.ts';
import { formatDate } from '../../src/statute/date-text.ts';
import { receptionDayOf } from '../../src/statute/reception-day.ts';

const cal = new WorkCalendar();

const receptionDay = (month: string, dayOfMonth = 5) => {
  const r = receptionDayOf(cal, month, dayOfMonth);
  if (!r.ok) throw new Error(r.error.message);
  return r;
};

// Checked by hand against 国办发明电〔2024〕12号 (2025) and the 2026 notice (国务院办公厅, 2025-11):
// 2025: 春节 01-28…02-04 (01-26 Sun, 02-08 Sat worked); 清明 04-04…06; 劳动节 05-01…05 (04-27 Sun worked);
//       端午 05-31…06-02; 国庆·中秋 10-01…08 (09-28 Sun, 10-11 Sat worked).
// 2026: 元旦 01-01…03 (01-04 Sun worked); 春节 02-15…23 (02-14, 02-28 Sat worked); 清明 04-04…06;
//       劳动节 05-01…05 (05-09 Sat worked); 端午 06-19…21; 中秋 09-25…27; 国庆 10-01…07 (09-20 Sun, 10-10 Sat worked).
const EXPECTED_5TH: Record<string, string> = {
  '2025-01': '2025-01-06（星期一）', // the 5th is a Sunday
  '2025-02': '2025-02-05（星期三）', // the first working day after the Spring Festival holiday
  '2025-03': '2025-03-05（星期三）',
  '2025-04': '2025-04-07（星期一）', // inside 清明 (a Saturday)
  '2025-05': '2025-05-06（星期二）', // inside the May Day holiday (a Monday)
  '2025-06': '2025-06-05（星期四）',
  '2025-07': '2025-07-07（星期一）', // a Saturday
  '2025-08': '2025-08-05（星期二）',
  '2025-09': '2025-09-05（星期五）',
  '2025-10': '2025-10-09（星期四）', // inside National Day and Mid-autumn (a Sunday)
  '2025-11': '2025-11-05（星期三）',
  '2025-12': '2025-12-05（星期五）',
  '2026-01': '2026-01-05（星期一）',
  '2026-02': '2026-02-05（星期四）',
  '2026-03': '2026-03-05（星期四）',
  '2026-04': '2026-04-07（星期二）', // inside 清明 (a Sunday)
  '2026-05': '2026-05-06（星期三）', // inside the May Day holiday (a Tuesday)
  '2026-06': '2026-06-05（星期五）',
  '2026-07': '2026-07-06（星期一）', // a Sunday
  '2026-08': '2026-08-05（星期三）',
  '2026-09': '2026-09-07（星期一）', // a Saturday
  '2026-10': '2026-10-08（星期四）', // inside National Day (a Monday)
  '2026-11': '2026-11-05（星期四）',
  '2026-12': '2026-12-07（星期一）', // a Saturday
};

describe('the reception day (大同 第七条(九), S2)', () => {
  it.each(Object.entries(EXPECTED_5TH))('%s: %s', (month, expected) => {
    const r = receptionDay(month);
    expect(formatDate(r.value.date)).toBe(expected);
    expect(r.value.setDay).toBe(`${month}-05`);
    expect(r.provisional).toBe(false);
  });

  it('falls on a 调休 make-up working Saturday when the set day is one', () => {
    expect(receptionDay('2026-02', 14).value.date).toBe('2026-02-14');
    expect(receptionDay('2026-02', 28).value.date).toBe('2026-02-28');
    expect(receptionDay('2026-10', 10).value.date).toBe('2026-10-10');
    expect(receptionDay('2025-02', 8).value.date).toBe('2025-02-08');
    // and on a make-up working Sunday
    expect(receptionDay('2026-01', 4).value.date).toBe('2026-01-04');
  });

  it('honours another day of month', () => {
    expect(receptionDay('2026-10', 1).value.date).toBe('2026-10-08');
    expect(receptionDay('2026-03', 10).value.date).toBe('2026-03-10');
    expect(receptionDay('2026-03', 14).value.date).toBe('2026-03-16');
  });

  it('is provisional in a year with no published arrangement', () => {
    const r = receptionDay('2030-10');
    expect(r.value.date).toBe('2030-10-07');
    expect(r.provisional).toBe(true);
  });

  it('refuses a bad month or day of month with an error value', () => {
    expect(receptionDayOf(cal, '2026-13', 5)).toMatchObject({ ok: false, error: { code: 'invalid_date' } });
    expect(receptionDayOf(cal, '2026-1', 5)).toMatchObject({ ok: false, error: { code: 'invalid_date' } });
    expect(receptionDayOf(cal, '2026-01', 31)).toMatchObject({ ok: false, error: { code: 'invalid_date' } });
    expect(receptionDayOf(cal, '1800-01', 5)).toMatchObject({
      ok: false,
      error: { code: 'outside_calendar' },
    });
  });

  it('property: always a working day on or after the set day, and never more than 15 days after it', () => {
    const { publishedFrom, provisionalTo } = cal.coverage;
    fc.assert(
      fc.property(
        fc.integer({ min: publishedFrom, max: provisionalTo - 1 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        (year, month, dayOfMonth) => {
          const m = `${year}-${String(month).padStart(2, '0')}`;
          const r = receptionDayOf(cal, m, dayOfMonth);
          if (!r.ok) return false;
          const set = dateOf(year, month, dayOfMonth);
          const work = cal.isWorkday(r.value.date);
          return (
            work.ok &&
            work.value &&
            r.value.date >= set &&
            dayNumber(r.value.date) - dayNumber(set) <= 15 &&
            r.value.date <= addDays(set, 15)
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
