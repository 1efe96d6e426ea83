import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../src/statute/calendar.ts';
import {
  addDays,
  correspondingDay,
  dayNumber,
  fromDayNumber,
  isDateShift,
  shiftedDate,
} from '../../src/statute/calendar-date.ts';
import { shiftWords } from '../../src/statute/date-text.ts';
import {
  checkExtension,
  extensionCapOn,
  reHandlingDueOn,
  reportFeedbackDueOn,
  suggestionDueOn,
} from '../../src/statute/feedback-deadlines.ts';
import { monthsPeriodEnd } from '../../src/statute/periods.ts';

const cal = new WorkCalendar();

const due = (start: string, months = 3) => {
  const r = monthsPeriodEnd(cal, start, months);
  if (!r.ok) throw new Error(r.error.message);
  return r;
};

describe('counting a period in months (民法典 第二百零一至二百零三条)', () => {
  it('ends on the corresponding day when it is a working day', () => {
    expect(due('2026-08-10').value).toEqual({ plainEnd: '2026-11-10', endsOn: '2026-11-10', moved: false });
  });

  it('交办 07-05: three months end on 10-05, moved off the National Day holiday', () => {
    expect(due('2026-07-05').value).toEqual({ plainEnd: '2026-10-05', endsOn: '2026-10-08', moved: true });
    expect(due('2025-07-05').value).toEqual({ plainEnd: '2025-10-05', endsOn: '2025-10-09', moved: true });
  });

  it('ends on the month end when the last month has no corresponding day (11-30 + 3 → 02-28 / 02-29)', () => {
    expect(correspondingDay('2025-11-30', 3)).toBe('2026-02-28');
    expect(correspondingDay('2023-11-30', 3)).toBe('2024-02-29');
    expect(due('2023-11-30').value.endsOn).toBe('2024-02-29');
    // 05-31 + 3 → 08-31, a Sunday → 09-01
    expect(due('2025-05-31').value).toEqual({ plainEnd: '2025-08-31', endsOn: '2025-09-01', moved: true });
  });

  it('ends on a 调休 make-up working Saturday or Sunday, not after it', () => {
    // 2025-11-30 + 3 → 2026-02-28, a Saturday worked for the Spring Festival
    expect(due('2025-11-30').value).toEqual({ plainEnd: '2026-02-28', endsOn: '2026-02-28', moved: false });
    // 2025-10-04 + 3 → 2026-01-04, a Sunday worked for New Year: the period crosses the year
    expect(due('2025-10-04').value).toEqual({ plainEnd: '2026-01-04', endsOn: '2026-01-04', moved: false });
    // 2026-06-20 + 3 → 2026-09-20, a Sunday worked for National Day
    expect(due('2026-06-20').value.endsOn).toBe('2026-09-20');
  });

  it('moves across the year and out of the Spring Festival holiday', () => {
    expect(due('2025-11-16').value).toEqual({ plainEnd: '2026-02-16', endsOn: '2026-02-24', moved: true });
    expect(due('2024-10-29').value).toEqual({ plainEnd: '2025-01-29', endsOn: '2025-02-05', moved: true });
  });

  it('is marked provisional when it consulted a provisional year', () => {
    const r = due('2030-07-01');
    expect(r.value.endsOn).toBe('2030-10-04');
    expect(r.provisional).toBe(true);
    expect(due('2026-07-05').provisional).toBe(false);
  });

  it('refuses a bad start date or month count', () => {
    expect(monthsPeriodEnd(cal, '2026-02-30', 3)).toMatchObject({
      ok: false,
      error: { code: 'invalid_date' },
    });
    expect(monthsPeriodEnd(cal, '2026-02-01', 0)).toMatchObject({
      ok: false,
      error: { code: 'invalid_date' },
    });
    expect(monthsPeriodEnd(cal, '2100-11-01', 3)).toMatchObject({
      ok: false,
      error: { code: 'outside_calendar' },
    });
  });

  it('property: the end is never before the plain corresponding day and is always a working day', () => {
    const from = dayNumber(`${cal.coverage.publishedFrom}-01-01`);
    const to = dayNumber(`${cal.coverage.provisionalTo - 1}-06-30`);
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), fc.integer({ min: 1, max: 6 }), (n, months) => {
        const start = fromDayNumber(n);
        const r = monthsPeriodEnd(cal, start, months);
        if (!r.ok) return false;
        const work = cal.isWorkday(r.value.endsOn);
        return (
          r.value.plainEnd === correspondingDay(start, months) &&
          r.value.endsOn >= r.value.plainEnd &&
          r.value.endsOn <= addDays(r.value.plainEnd, 15) &&
          work.ok &&
          work.value
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the statutory clocks (S8, S8a)', () => {
  it('S8: three months from 交办; re-handling by the set months; S8a: three months from the transfer', () => {
    expect(suggestionDueOn(cal, '2026-07-05')).toMatchObject({ ok: true, value: { endsOn: '2026-10-08' } });
    expect(reHandlingDueOn(cal, '2026-08-31', 1)).toMatchObject({
      ok: true,
      value: { endsOn: '2026-09-30' },
    });
    expect(reHandlingDueOn(cal, '2026-08-31', 2)).toMatchObject({
      ok: true,
      value: { endsOn: '2026-11-02' },
    });
    expect(reHandlingDueOn(cal, '2026-08-01', 2)).toMatchObject({
      ok: true,
      value: { endsOn: '2026-10-08' },
    });
    expect(reportFeedbackDueOn(cal, '2026-03-05')).toMatchObject({
      ok: true,
      value: { endsOn: '2026-06-05' },
    });
  });

  it('S8: an extension may reach six months from 交办 and no further', () => {
    // 交办 2026-04-01: six months end on 10-01, moved off National Day to 10-08
    expect(extensionCapOn(cal, '2026-04-01')).toMatchObject({ ok: true, value: { endsOn: '2026-10-08' } });
    const ok = checkExtension(cal, '2026-04-01', '2026-07-01', '2026-10-03');
    expect(ok).toMatchObject({ ok: true, dueOn: { endsOn: '2026-10-08' } });
    expect(checkExtension(cal, '2026-04-01', '2026-07-01', '2026-10-09')).toMatchObject({
      ok: false,
      reason: 'past_cap',
    });
    expect(checkExtension(cal, '2026-04-01', '2026-07-01', '2026-06-30')).toMatchObject({
      ok: false,
      reason: 'not_after_current',
    });
    expect(checkExtension(cal, '2026-04-01', '2026-07-01', '2026-09-31')).toMatchObject({
      ok: false,
      reason: 'invalid_date',
    });
  });
});

// "延期一个月": a deadline moved by a shift, months counted as the law counts them.
describe('shiftedDate', () => {
  it('moves by months to the corresponding day, or the month end when there is none', () => {
    expect(shiftedDate('2027-03-02', 'P1M')).toBe('2027-04-02');
    expect(shiftedDate('2027-01-31', 'P1M')).toBe('2027-02-28');
    expect(shiftedDate('2027-11-30', 'P3M')).toBe('2028-02-29');
  });

  it('moves by days across months and years', () => {
    expect(shiftedDate('2027-03-02', 'P14D')).toBe('2027-03-16');
    expect(shiftedDate('2027-12-25', 'P10D')).toBe('2028-01-04');
  });

  it('moves months first, then days ("一个半月", "一个月零十天")', () => {
    expect(shiftedDate('2027-03-02', 'P1M15D')).toBe('2027-04-17');
    // 31 January: a month is 28 February (no 31st), then ten days.
    expect(shiftedDate('2027-01-31', 'P1M10D')).toBe('2027-03-10');
  });

  it('is no shift for a date or anything else, and reads back as said', () => {
    expect(shiftedDate('2027-03-02', '2027-04-01')).toBeNull();
    expect(isDateShift('P1Y')).toBe(false);
    expect(isDateShift('P2M')).toBe(true);
    expect(shiftWords('P1M')).toBe('1个月');
    expect(shiftWords('P14D')).toBe('14天');
    expect(shiftWords('P1M15D')).toBe('1个半月');
    expect(shiftWords('P2M10D')).toBe('2个月10天');
    expect(isDateShift('P0M')).toBe(false);
    expect(isDateShift('P')).toBe(false);
    expect(shiftWords('2027-04-01')).toBeNull();
  });
});
