import type { CalendarResult, WorkCalendar } from './calendar.ts';
import { parseDate } from './calendar-date.ts';
import { DEFAULT_CONGRESS_SETTINGS } from './congress-settings.ts';
import { formatDate, formatStatutoryDate } from './date-text.ts';
import { fixedPeriodEnd, monthsPeriodEnd, type PeriodEnd } from './periods.ts';

// The statutory clocks for answering deputies, each counted as 民法典 第二百零一至二百零三条 say (periods.ts):
// - S8, 《代表法》第五十一条第二款 (as amended 2025-03-11; 第四十二条 in the 2015 text; 第三款 now requires the
//   handling report be made public): 自交办之日起三个月内答复；涉及面广、处理难度大的，应当自交办之日起六个月内
//   答复 — three months from 交办, an extension at most to six months from 交办;
// - S8 re-handling after 不满意: its own clock of the congress's reHandlingMonths (local 办理办法);
// - S8a, 山西 第二十七条: feedback on an inspection or research report within three months of its transfer.

export type DeadlineKind = 'S8' | 'S8a' | 'S8-rehandle';

export const S8_MONTHS = 3;
export const S8A_MONTHS = 3;

/** S8: the answer is due three months from the day of 交办. */
export const suggestionDueOn = (cal: WorkCalendar, assignedOn: string): CalendarResult<PeriodEnd> =>
  monthsPeriodEnd(cal, assignedOn, S8_MONTHS);

/** S8: the latest day an extension may reach (six months from 交办 by default). */
export const extensionCapOn = (
  cal: WorkCalendar,
  assignedOn: string,
  capMonths: number = DEFAULT_CONGRESS_SETTINGS.extensionCapMonths,
): CalendarResult<PeriodEnd> => monthsPeriodEnd(cal, assignedOn, capMonths);

/** S8 after 不满意: the re-handling clock from the day handling was reopened. */
export const reHandlingDueOn = (
  cal: WorkCalendar,
  reopenedOn: string,
  months: number = DEFAULT_CONGRESS_SETTINGS.reHandlingMonths,
): CalendarResult<PeriodEnd> => monthsPeriodEnd(cal, reopenedOn, months);

/** S8a: feedback on a transferred inspection or research report is due three months from the transfer. */
export const reportFeedbackDueOn = (cal: WorkCalendar, transferredOn: string): CalendarResult<PeriodEnd> =>
  monthsPeriodEnd(cal, transferredOn, S8A_MONTHS);

export type ExtensionCheck =
  | { ok: true; dueOn: PeriodEnd; provisional: boolean }
  | {
      ok: false;
      reason: 'invalid_date' | 'outside_calendar' | 'not_after_current' | 'past_cap';
      message: string;
    };

/**
 * S8: whether an extension to `requested` is allowed: a real date after the current due date and no
 * later than the cap (six months from 交办). The new due date is `requested`, moved off a rest day.
 */
export function checkExtension(
  cal: WorkCalendar,
  assignedOn: string,
  currentDueOn: string,
  requested: string,
  capMonths: number = DEFAULT_CONGRESS_SETTINGS.extensionCapMonths,
): ExtensionCheck {
  if (!parseDate(requested)) {
    return { ok: false, reason: 'invalid_date', message: `“${requested}”不是有效的日期（应为 YYYY-MM-DD）` };
  }
  const cap = extensionCapOn(cal, assignedOn, capMonths);
  if (!cap.ok) return { ok: false, reason: cap.error.code, message: cap.error.message };
  const due = fixedPeriodEnd(cal, requested);
  if (!due.ok) return { ok: false, reason: due.error.code, message: due.error.message };
  if (due.value.endsOn <= currentDueOn) {
    return {
      ok: false,
      reason: 'not_after_current',
      message: `延期后的日期应晚于现在的答复期限 ${formatDate(currentDueOn)}`,
    };
  }
  if (due.value.endsOn > cap.value.endsOn) {
    return {
      ok: false,
      reason: 'past_cap',
      // No bracket around the date: its weekday is bracketed already (`2027-05-24（星期一）`, date-text.ts).
      message: `延期不得超过自交办之日起${capMonths}个月，最迟 ${formatStatutoryDate(cap.value.endsOn, cap.provisional)}`,
    };
  }
  return { ok: true, dueOn: due.value, provisional: due.provisional || cap.provisional };
}
