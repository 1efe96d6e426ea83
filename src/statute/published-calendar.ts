import { createRequire } from 'node:module';

// The State Council's yearly holiday arrangements (国务院办公厅关于部分节假日安排的通知) as the npm
// package `chinese-days` carries them: holidays and the 调休 make-up working days. The package's own
// functions treat every weekday past its last year as a working day, so the covered years are read
// from its data here and nothing outside them is taken from it.

interface PackageData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
}

const require = createRequire(import.meta.url);
const data = require('chinese-days/dist/chinese-days.json') as PackageData;
const pkg = require('chinese-days/package.json') as { version: string };

export interface PublishedDay {
  /** true: a working day (a 调休 make-up working weekend); false: a holiday. */
  work: boolean;
  /** The festival, in Chinese (春节, 国庆节 …). */
  festival: string;
}

export interface PublishedCalendar {
  packageVersion: string;
  /** The years the package publishes an arrangement for, ascending and contiguous. */
  firstYear: number;
  lastYear: number;
  years: ReadonlySet<number>;
  /** Only the days the arrangement names; every other day of a covered year is a plain weekday or weekend. */
  days: ReadonlyMap<string, PublishedDay>;
}

// Entries look like "Spring Festival,春节,4": English name, Chinese name, statutory days.
const festivalOf = (entry: string): string => entry.split(',')[1]?.trim() || entry;

function build(raw: PackageData, version: string): PublishedCalendar {
  const days = new Map<string, PublishedDay>();
  const years = new Set<number>();
  for (const [date, entry] of Object.entries(raw.holidays)) {
    days.set(date, { work: false, festival: festivalOf(entry) });
    years.add(Number(date.slice(0, 4)));
  }
  for (const [date, entry] of Object.entries(raw.workdays)) {
    days.set(date, { work: true, festival: festivalOf(entry) });
  }
  const sorted = [...years].sort((a, b) => a - b);
  const firstYear = sorted[0] ?? 0;
  const lastYear = sorted.at(-1) ?? -1;
  // A year missing in the middle would be silently wrong: cover only the run that ends at the last year.
  let from = lastYear;
  while (years.has(from - 1)) from--;
  const covered = new Set(sorted.filter((y) => y >= from));
  return { packageVersion: version, firstYear: from || firstYear, lastYear, years: covered, days };
}

export const publishedCalendar: PublishedCalendar = build(data, pkg.version);

/** A day a recorded notice names (国务院办公厅关于YYYY年部分节假日安排的通知, read by holiday-notice.ts). */
export interface NoticeCalendarDay {
  noticeYear: number;
  date: string;
  work: boolean;
  festival: string;
}

/**
 * The package's arrangements together with the years staff recorded from the notice itself: such a year
 * is published like the package's, and the days a notice names win over the package's for those dates.
 */
export function withNotices(
  pub: PublishedCalendar,
  notices: readonly NoticeCalendarDay[],
): PublishedCalendar {
  if (notices.length === 0) return pub;
  const years = new Set(pub.years);
  const days = new Map(pub.days);
  for (const n of notices) {
    years.add(n.noticeYear);
    days.set(n.date, { work: n.work, festival: n.festival });
  }
  return { ...pub, years, days, lastYear: Math.max(pub.lastYear, ...years) };
}
