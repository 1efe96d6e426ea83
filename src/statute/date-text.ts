import { weekdayOf } from './calendar-date.ts';

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

/** `2026-10-08（星期四）`. */
export const formatDate = (date: string): string => `${date}（${weekdayName(date)}）`;

/** The mark every date derived from a provisional calendar carries. */
export const PROVISIONAL_MARK = '（暂定日历）';

/** Appends the provisional mark when the date came from a provisional calendar. */
export const markProvisional = (text: string, provisional: boolean): string =>
  provisional ? `${text}${PROVISIONAL_MARK}` : text;

/** A statutory date as people read it: `2026-10-08（星期四）`, marked when provisional. */
export const formatStatutoryDate = (date: string, provisional: boolean): string =>
  markProvisional(formatDate(date), provisional);
