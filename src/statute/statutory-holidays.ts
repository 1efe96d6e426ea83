import { createRequire } from 'node:module';
import { addDays, dateOf, isWeekend } from './calendar-date.ts';
import { qingmingDate } from './solar-terms.ts';

// The holidays 《全国年节及纪念日放假办法》 fixes by law (第二条, as amended by 国务院令第795号, 2024,
// in force 2025-01-01), for a year the State Council has not yet arranged:
//   元旦 1 day (1-1); 春节 4 days (农历除夕、正月初一至初三); 清明 1 day (清明节气当日);
//   劳动节 2 days (5-1, 5-2); 端午 1 day (农历五月初五); 中秋 1 day (农历八月十五); 国庆 3 days (10-1 … 10-3).
// 第六条: a holiday that falls on a Saturday or Sunday is made up (补假) on a working day; the yearly
// arrangement decides which, and the usual choice — the next working day after the holiday — is taken.

const require = createRequire(import.meta.url);
// Lunar → solar conversion from `chinese-days` (its table covers lunar years 1900–2100). Called with a
// local-time Date so the result does not depend on the process's time zone.
const { getSolarDateFromLunar } = require('chinese-days') as {
  getSolarDateFromLunar: (d: Date) => { date: string; leapMonthDate?: string };
};

/** The last year whose lunar dates the table gives. */
export const LUNAR_TABLE_LAST_YEAR = 2100;
export const LUNAR_TABLE_FIRST_YEAR = 1901;

/** The solar date of a lunar month and day (not the leap month) in lunar year `year`. */
export function lunarToSolar(year: number, month: number, day: number): string {
  if (year < LUNAR_TABLE_FIRST_YEAR || year > LUNAR_TABLE_LAST_YEAR) {
    throw new RangeError(`lunar year ${year} is outside the table`);
  }
  return getSolarDateFromLunar(new Date(year, month - 1, day)).date;
}

interface Festival {
  name: string;
  days: string[];
}

function festivalsOf(year: number): Festival[] {
  const newYear = lunarToSolar(year, 1, 1);
  return [
    { name: '元旦', days: [dateOf(year, 1, 1)] },
    { name: '春节', days: [-1, 0, 1, 2].map((d) => addDays(newYear, d)) },
    { name: '清明', days: [qingmingDate(year)] },
    { name: '劳动节', days: [dateOf(year, 5, 1), dateOf(year, 5, 2)] },
    { name: '端午', days: [lunarToSolar(year, 5, 5)] },
    { name: '中秋', days: [lunarToSolar(year, 8, 15)] },
    { name: '国庆节', days: [dateOf(year, 10, 1), dateOf(year, 10, 2), dateOf(year, 10, 3)] },
  ];
}

/** The festivals 第二条 names, as festivalsOf names them. */
export type FestivalName = '元旦' | '春节' | '清明' | '劳动节' | '端午' | '中秋' | '国庆节';

/** The days 第二条 gives festival `name` in `year` (春节 from 除夕), in order. */
export function festivalDays(name: FestivalName, year: number): string[] {
  return [...festivalsOf(year).find((f) => f.name === name)!.days].sort();
}

/** The rest days (beyond ordinary weekends) of a year by law alone: date → festival name. */
export function statutoryHolidays(year: number): Map<string, string> {
  const festivals = festivalsOf(year);
  const holidays = new Map<string, string>();
  const lost = new Map<Festival, number>();
  for (const f of festivals) {
    let n = 0;
    for (const d of f.days) {
      // A day already taken by another festival (中秋 inside 国庆) or on a weekend is lost and made up.
      if (holidays.has(d) || isWeekend(d)) n++;
      if (!holidays.has(d)) holidays.set(d, f.name);
    }
    lost.set(f, n);
  }
  for (const f of festivals) {
    let n = lost.get(f) ?? 0;
    let d = [...f.days].sort().at(-1)!;
    while (n > 0) {
      d = addDays(d, 1);
      if (isWeekend(d) || holidays.has(d)) continue;
      holidays.set(d, `${f.name}（补假）`);
      n--;
    }
  }
  return holidays;
}
