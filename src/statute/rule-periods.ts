import { addDays, dateOf, daysInMonth, parseDate } from './calendar-date.ts';

// The calendar periods a minimum is counted over: 大同 第六条 (S1: 小组每季度, 大组每半年) and 山西 第三十一条
// (S10: 联络站每月). One home for where such a period starts and ends and for whether it was met, so the
// console, the API, the export and the reminders judge a period the same way.

/** Months per period: a month (S10), a quarter (S1 small groups), a half-year (S1 large groups). */
export type PeriodMonths = 1 | 3 | 6;

export interface RulePeriodSpan {
  /** `2026-Q1`, `2026-H2`, `2026-M03`: unique per rule and target in the reminder ledger. */
  key: string;
  /** 2026年第1季度, 2026年下半年, 2026年3月. */
  label: string;
  /** First and last day, calendar dates in APP_TIMEZONE. */
  starts: string;
  ends: string;
}

const spanOf = (year: number, index: number, months: PeriodMonths): RulePeriodSpan => {
  const first = index * months + 1;
  const last = first + months - 1;
  const key =
    months === 3
      ? `${year}-Q${index + 1}`
      : months === 6
        ? `${year}-H${index + 1}`
        : `${year}-M${String(first).padStart(2, '0')}`;
  const label =
    months === 3
      ? `${year}年第${index + 1}季度`
      : months === 6
        ? `${year}年${index === 0 ? '上' : '下'}半年`
        : `${year}年${first}月`;
  return { key, label, starts: dateOf(year, first, 1), ends: dateOf(year, last, daysInMonth(year, last)) };
};

/** The period of `months` that holds `date`. */
export function periodContaining(date: string, months: PeriodMonths): RulePeriodSpan {
  const p = parseDate(date)!;
  return spanOf(p.year, Math.floor((p.month - 1) / months), months);
}

/** The periods of `months` that overlap [from, to], in order; each whole, not cut at from or to. */
export function periodsOverlapping(from: string, to: string, months: PeriodMonths): RulePeriodSpan[] {
  const out: RulePeriodSpan[] = [];
  for (
    let s = periodContaining(from, months);
    s.starts <= to;
    s = periodContaining(addDays(s.ends, 1), months)
  )
    out.push(s);
  return out;
}

/**
 * Where a period stands against its minimum on `today`: met as soon as it has its minimum (what was held
 * stays held); unmet only once its last day is over without it — until then it is in progress, so a quarter
 * is not 未达标 in its first week. A period not yet begun is upcoming.
 */
export type PeriodStanding = 'met' | 'unmet' | 'in_progress' | 'upcoming';

/** Whether a period's last day is over on `today` (both calendar dates in APP_TIMEZONE). */
export const periodOver = (span: Pick<RulePeriodSpan, 'ends'>, today: string): boolean => today > span.ends;

export function periodStanding(
  span: Pick<RulePeriodSpan, 'starts' | 'ends'>,
  today: string,
  held: number,
  minimum: number,
): PeriodStanding {
  if (today < span.starts) return 'upcoming';
  if (held >= minimum) return 'met';
  return periodOver(span, today) ? 'unmet' : 'in_progress';
}
