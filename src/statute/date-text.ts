import { dayNumber, mondayOf, readShift, weekdayOf, yearOf } from './calendar-date.ts';

// How a date reads in chat, the API's text fields and the CLI: `2026-10-08（星期四）`.

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const;

export const weekdayName = (date: string): string => WEEKDAYS[weekdayOf(date)]!;

/** The weekday a character names after 周, 星期 or 礼拜 (0 Sunday … 6 Saturday). */
export const WEEKDAY_BY_CHAR: Readonly<Record<string, number>> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  日: 0,
  天: 0,
  七: 0,
};

/** A shift of a deadline as said: "P1M" → "1个月", "P14D" → "14天", "P1M15D" → "1个半月"; null for anything else. */
export function shiftWords(value: string): string | null {
  const s = readShift(value);
  if (!s) return null;
  if (s.months === 0) return `${s.days}天`;
  if (s.days === 15) return `${s.months}个半月`;
  return `${s.months}个月${s.days > 0 ? `${s.days}天` : ''}`;
}

/** 延期 as asked: "延长1个半月" for a shift, "延到 2027-05-10（星期一）" for a date. */
export function extensionWords(value: string): string {
  const shift = shiftWords(value);
  return shift ? `延长${shift}` : `延到 ${formatDate(value)}`;
}

/** `2026-10-08（星期四）`. */
export const formatDate = (date: string): string => `${date}（${weekdayName(date)}）`;

/** `12月9日`: a day as said within a week's talk ("下周的视察是星期三（12月9日）"). */
export const monthDayText = (date: string): string =>
  `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

/** 本周, 下周, 下下周: the week (Monday to Sunday) of `date` as said on `today`; else the Monday's day. */
export function weekText(date: string, today: string): string {
  const weeks = (dayNumber(mondayOf(date)) - dayNumber(mondayOf(today))) / 7;
  if (weeks === 0) return '本周';
  if (weeks === 1) return '下周';
  if (weeks === 2) return '下下周';
  return `${monthDayText(mondayOf(date))}那一周`;
}

/**
 * The days of a meeting as said in chat: `12月25日（星期五）`, `12月25日（星期五）至27日（星期日）`, `12月30日
 * （星期三）至1月2日（星期六）`; a year other than today's is said with it (`2027年1月8日（星期五）`).
 */
export function daySpanText(from: string, to: string, today: string): string {
  const year = (d: string, than: string) => (yearOf(d) === yearOf(than) ? '' : `${yearOf(d)}年`);
  const first = `${year(from, today)}${monthDayText(from)}（${weekdayName(from)}）`;
  if (to === from) return first;
  const last = year(to, from)
    ? `${year(to, from)}${monthDayText(to)}`
    : to.slice(0, 7) === from.slice(0, 7)
      ? `${Number(to.slice(8, 10))}日`
      : monthDayText(to);
  return `${first}至${last}（${weekdayName(to)}）`;
}

/** The mark every date derived from a provisional calendar carries. */
export const PROVISIONAL_MARK = '（暂定日历）';

/** Appends the provisional mark when the date came from a provisional calendar. */
export const markProvisional = (text: string, provisional: boolean): string =>
  provisional ? `${text}${PROVISIONAL_MARK}` : text;

/** A statutory date as people read it: `2026-10-08（星期四）`, marked when provisional. */
export const formatStatutoryDate = (date: string, provisional: boolean): string =>
  markProvisional(formatDate(date), provisional);
