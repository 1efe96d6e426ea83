import type { CalendarResult, WorkCalendar } from './calendar.ts';
import { correspondingDay, parseDate } from './calendar-date.ts';

// Counting periods (民法典 第二百零一条至第二百零三条; regulations/README.md, "Counting time"):
// - 第二百零一条: a period counted in months does not count the day it starts from;
// - 第二百零二条: it ends on the corresponding day of the last month, or that month's last day when it has none;
// - 第二百零三条: a last day that is a statutory rest day moves to the day after the rest ends.

export interface PeriodEnd {
  /** The corresponding day (or month end) before any move for a rest day. */
  plainEnd: string;
  /** The last day of the period: plainEnd, or the first working day after the rest it falls in. */
  endsOn: string;
  /** True when the last day was moved off a rest day. */
  moved: boolean;
}

/** The last day of a period of `months` months counted from `startsOn`. */
export function monthsPeriodEnd(
  cal: WorkCalendar,
  startsOn: string,
  months: number,
): CalendarResult<PeriodEnd> {
  if (!parseDate(startsOn)) {
    return {
      ok: false,
      error: {
        code: 'invalid_date',
        message: `“${startsOn}”不是有效的日期（应为 YYYY-MM-DD）`,
        date: startsOn,
      },
    };
  }
  if (!Number.isInteger(months) || months < 1 || months > 120) {
    return {
      ok: false,
      error: {
        code: 'invalid_date',
        message: `期间月数应为 1 至 120 的整数，收到 ${months}`,
        date: startsOn,
      },
    };
  }
  const plainEnd = correspondingDay(startsOn, months);
  const r = cal.nextWorkdayOnOrAfter(plainEnd);
  if (!r.ok) return r;
  return {
    ok: true,
    value: { plainEnd, endsOn: r.value, moved: r.value !== plainEnd },
    provisional: r.provisional,
  };
}

/** The last day of a period that ends on a given date (a date set by hand, e.g. an approved extension). */
export function fixedPeriodEnd(cal: WorkCalendar, endsOn: string): CalendarResult<PeriodEnd> {
  const r = cal.nextWorkdayOnOrAfter(endsOn);
  if (!r.ok) return r;
  return {
    ok: true,
    value: { plainEnd: endsOn, endsOn: r.value, moved: r.value !== endsOn },
    provisional: r.provisional,
  };
}
