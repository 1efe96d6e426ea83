import type { CalendarResult, WorkCalendar } from './calendar.ts';
import { dateOf, parseMonth } from './calendar-date.ts';

// 大同 第七条(九) (S2): 每月5日为主任或副主任接待代表日；如遇节假日，推至休息后的第一天.
// The day of month is each congress's setting (receptionDayOfMonth, default 5); the reception day is
// the first working day on or after it on the China working-day calendar (a 调休 Saturday is a working day).

export interface ReceptionDay {
  /** 'YYYY-MM' */
  month: string;
  /** The set day of that month, before any move for a rest day. */
  setDay: string;
  date: string;
}

export function receptionDayOf(
  cal: WorkCalendar,
  month: string,
  dayOfMonth: number,
): CalendarResult<ReceptionDay> {
  const m = parseMonth(month);
  if (!m) {
    return {
      ok: false,
      error: { code: 'invalid_date', message: `“${month}”不是有效的月份（应为 YYYY-MM）`, date: month },
    };
  }
  if (!Number.isInteger(dayOfMonth) || dayOfMonth < 1 || dayOfMonth > 28) {
    return {
      ok: false,
      error: { code: 'invalid_date', message: `接待日应为每月 1 至 28 日，收到 ${dayOfMonth}`, date: month },
    };
  }
  const setDay = dateOf(m.year, m.month, dayOfMonth);
  const r = cal.nextWorkdayOnOrAfter(setDay);
  if (!r.ok) return r;
  return { ok: true, value: { month, setDay, date: r.value }, provisional: r.provisional };
}
