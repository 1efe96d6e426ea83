// Typed values out of the words people use for them: codes, months, dates, years, lists of handling
// organs and broadcast targets. Every parser returns a value or a Chinese error naming the problem;
// none throws. `now` is the caller's calendar date ('YYYY-MM-DD' in APP_TIMEZONE).
//
// Relative words resolve against `now`:
// - a month without a year (12月) is the nearest such month, looking forward on a tie (in December,
//   "1月" is next January and "11月" the one just past);
// - a date without a year (3月1日) is its next occurrence on or after `now` (it is a deadline).

import { CODE_PATTERN, type CodePrefix } from '../../services/items/index.ts';
import { WorkCalendar } from '../../statute/calendar.ts';
import { namedWeekday } from '../../statute/calendar-date.ts';
import { WEEKDAY_BY_CHAR } from '../../statute/date-text.ts';
import { numeralValue, smallNumber } from '../../statute/numerals.ts';
import type { FestivalName } from '../../statute/statutory-holidays.ts';
import type { Meeting, Organs, Targets } from './command-catalog.ts';
import { normalize } from './normalize.ts';
import { meetingWordsBySound } from './sound.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** A value found at some place in a text. */
export interface Found<T> {
  index: number;
  length: number;
  result: Parsed<T>;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(error: string): Parsed<T> => ({ ok: false, error });

const PREFIX_NAMES: Record<CodePrefix, string> = {
  QJ: '请假编号',
  JY: '建议编号',
  JD: '预约编号',
  HD: '活动编号',
};

const MIN_YEAR = 1990;
const MAX_YEAR = 2100;

// ---- numbers -----------------------------------------------------------------------------------

export { smallNumber };

/** A year written digit by digit in Chinese numerals (二〇二六). */
function cnYear(s: string): number | null {
  if (/^\d{4}$/.test(s)) return Number(s);
  if (!/^[〇零一二三四五六七八九]{4}$/.test(s)) return null;
  return Number([...s].map(numeralValue).join(''));
}

const NUM = '(\\d{1,2}|[一二两三四五六七八九十]{1,3})';
const YEAR = '(\\d{4}|[〇零一二三四五六七八九]{4})';

// ---- calendar arithmetic -----------------------------------------------------------------------

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function parseNow(now: string): Ymd {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(now);
  if (!m) throw new Error(`now must be YYYY-MM-DD, got ${now}`);
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const pad = (n: number) => String(n).padStart(2, '0');
const fmtMonth = (y: number, m: number) => `${y}-${pad(m)}`;
const fmtDate = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

function addMonths(y: number, m: number, k: number): [number, number] {
  const idx = y * 12 + (m - 1) + k;
  return [Math.floor(idx / 12), (idx % 12) + 1];
}

function addDays(ymd: Ymd, k: number): string {
  const t = new Date(Date.UTC(ymd.y, ymd.m - 1, ymd.d + k));
  return fmtDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

function checkYear(y: number): string | null {
  return y < MIN_YEAR || y > MAX_YEAR ? `年份“${y}”不在 ${MIN_YEAR}–${MAX_YEAR} 之间` : null;
}

function checkMonth(m: number, written: string): string | null {
  return m < 1 || m > 12 ? `月份应为 1 到 12，“${written}”没有这个月` : null;
}

function monthValue(y: number, m: number, written: string): Parsed<string> {
  const e = checkYear(y) ?? checkMonth(m, written);
  return e ? bad(e) : ok(fmtMonth(y, m));
}

function dateValue(y: number, m: number, d: number, written: string): Parsed<string> {
  const e = checkYear(y) ?? checkMonth(m, written);
  if (e) return bad(e);
  if (d < 1 || d > daysInMonth(y, m)) return bad(`${y}年${m}月没有${d}日（“${written}”）`);
  return ok(fmtDate(y, m, d));
}

const RELATIVE_YEAR: Record<string, number> = { 今年: 0, 本年: 0, 明年: 1, 去年: -1, 前年: -2, 后年: 2 };

// ---- matchers ----------------------------------------------------------------------------------

interface Matcher<T> {
  re: RegExp;
  value: (m: RegExpExecArray, now: Ymd) => Parsed<T>;
}

// Not the 下 of 一下 ("预约一下下个月的" is next month).
const RELATIVE_MONTH = /(?<!一)(下下个?月|下一?个?月|上一?个?月|这一?个?月|本月|当月)/;

/** The year and month 下个月, 上个月, 本月 … name. */
function relativeMonth(w: string, now: Ymd): [number, number] {
  const k = w.startsWith('下下') ? 2 : w.startsWith('下') ? 1 : w.startsWith('上') ? -1 : 0;
  return addMonths(now.y, now.m, k);
}

const MONTH_MATCHERS: Matcher<string>[] = [
  {
    re: new RegExp(`${YEAR} ?年 ?${NUM} ?月份?`),
    value: (m) => {
      const y = cnYear(m[1]!);
      const mo = smallNumber(m[2]!);
      return y === null || mo === null ? bad(`看不懂“${m[0]}”`) : monthValue(y, mo, m[0]);
    },
  },
  {
    re: new RegExp(`(今年|本年|明年|去年|前年|后年) ?${NUM} ?月份?`),
    value: (m, now) => {
      const mo = smallNumber(m[2]!);
      return mo === null ? bad(`看不懂“${m[0]}”`) : monthValue(now.y + RELATIVE_YEAR[m[1]!]!, mo, m[0]);
    },
  },
  {
    re: /(?<![\d-])(\d{4}) ?[-./] ?(\d{1,2})(?![\d]|[-./] ?\d)/,
    value: (m) => monthValue(Number(m[1]), Number(m[2]), m[0]),
  },
  {
    re: RELATIVE_MONTH,
    value: (m, now) => {
      const [y, mo] = relativeMonth(m[1]!, now);
      return ok(fmtMonth(y, mo));
    },
  },
  {
    re: new RegExp(`(?<![\\d年])${NUM} ?月份?(?! ?${NUM} ?[日号])`),
    value: (m, now) => {
      const mo = smallNumber(m[1]!);
      if (mo === null) return bad(`看不懂“${m[0]}”`);
      const e = checkMonth(mo, m[0]);
      if (e) return bad(e);
      return monthValue(nearestYearOf(mo, now), mo, m[0]);
    },
  },
];

/** The year of the month `mo` nearest to `now`; forward on a tie. */
function nearestYearOf(mo: number, now: Ymd): number {
  const here = now.y * 12 + now.m - 1;
  const candidates = [now.y - 1, now.y, now.y + 1].map((y) => ({ y, d: y * 12 + mo - 1 - here }));
  candidates.sort((a, b) => Math.abs(a.d) - Math.abs(b.d) || b.d - a.d);
  return candidates[0]!.y;
}

/** Dates that name their year (2027-01-05, 2027年1月5日, 明年1月5日). */
const DATES_WITH_YEAR: Matcher<string>[] = [
  {
    re: /(?<![\d-])(\d{4}) ?[-./] ?(\d{1,2}) ?[-./] ?(\d{1,2})(?!\d)/,
    value: (m) => dateValue(Number(m[1]), Number(m[2]), Number(m[3]), m[0]),
  },
  {
    re: /(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)/,
    value: (m) => dateValue(Number(m[1]), Number(m[2]), Number(m[3]), m[0]),
  },
  {
    re: new RegExp(`${YEAR} ?年 ?${NUM} ?月 ?${NUM} ?[日号]?`),
    value: (m) => {
      const [y, mo, d] = [cnYear(m[1]!), smallNumber(m[2]!), smallNumber(m[3]!)];
      return y === null || mo === null || d === null ? bad(`看不懂“${m[0]}”`) : dateValue(y, mo, d, m[0]);
    },
  },
  {
    re: new RegExp(`(今年|本年|明年|去年|后年) ?${NUM} ?月 ?${NUM} ?[日号]?`),
    value: (m, now) => {
      const [mo, d] = [smallNumber(m[2]!), smallNumber(m[3]!)];
      return mo === null || d === null
        ? bad(`看不懂“${m[0]}”`)
        : dateValue(now.y + RELATIVE_YEAR[m[1]!]!, mo, d, m[0]);
    },
  },
];

const MONTH_DAY = new RegExp(`(?<![\\d年])${NUM} ?月 ?${NUM} ?[日号]`);

/** The month and day of a MONTH_DAY match (3月1日), the month checked; the day is checked against a year. */
function monthDayOf(m: RegExpExecArray): Parsed<[number, number]> {
  const [mo, d] = [smallNumber(m[1]!), smallNumber(m[2]!)];
  if (mo === null || d === null) return bad(`看不懂“${m[0]}”`);
  const e = checkMonth(mo, m[0]);
  return e ? bad(e) : ok([mo, d]);
}

const DATE_MATCHERS: Matcher<string>[] = [
  ...DATES_WITH_YEAR,
  {
    re: MONTH_DAY,
    value: (m, now) => {
      const md = monthDayOf(m);
      if (!md.ok) return md;
      const [mo, d] = md.value;
      // A deadline: the next such day on or after today. 2月29日 looks for the next leap year's.
      for (let y = now.y; y <= now.y + 4; y++) {
        if (d > daysInMonth(y, mo)) continue;
        if (fmtDate(y, mo, d) >= fmtDate(now.y, now.m, now.d)) return ok(fmtDate(y, mo, d));
      }
      return dateValue(now.y, mo, d, m[0]);
    },
  },
  {
    re: /(大后天|后天|明天|今天)/,
    value: (m, now) => ok(addDays(now, { 今天: 0, 明天: 1, 后天: 2, 大后天: 3 }[m[1]!] ?? 0)),
  },
  // The words staff write for a deadline: 下个月底, 3月底, 月底, 年底, 下个月15号, 下周五, 15号.
  {
    re: new RegExp(`${RELATIVE_MONTH.source}底`),
    value: (m, now) => {
      const [y, mo] = relativeMonth(m[1]!, now);
      return ok(fmtDate(y, mo, daysInMonth(y, mo)));
    },
  },
  {
    re: new RegExp(`(?<![\\d年])${NUM} ?月份?底`),
    value: (m, now) => {
      const mo = smallNumber(m[1]!);
      if (mo === null) return bad(`看不懂“${m[0]}”`);
      const e = checkMonth(mo, m[0]);
      if (e) return bad(e);
      // A deadline: this year's unless that month is already over.
      const y = mo < now.m ? now.y + 1 : now.y;
      return ok(fmtDate(y, mo, daysInMonth(y, mo)));
    },
  },
  {
    re: new RegExp(`${YEAR} ?年 ?${NUM} ?月份?底`),
    value: (m) => {
      const [y, mo] = [cnYear(m[1]!), smallNumber(m[2]!)];
      if (y === null || mo === null) return bad(`看不懂“${m[0]}”`);
      const e = checkYear(y) ?? checkMonth(mo, m[0]);
      return e ? bad(e) : ok(fmtDate(y, mo, daysInMonth(y, mo)));
    },
  },
  {
    re: new RegExp(`(今年|本年|明年|后年) ?${NUM} ?月份?底`),
    value: (m, now) => {
      const mo = smallNumber(m[2]!);
      if (mo === null) return bad(`看不懂“${m[0]}”`);
      const e = checkMonth(mo, m[0]);
      const y = now.y + RELATIVE_YEAR[m[1]!]!;
      return e ? bad(e) : ok(fmtDate(y, mo, daysInMonth(y, mo)));
    },
  },
  {
    re: /(?<![个月\d一二三四五六七八九十])月底/,
    value: (_m, now) => ok(fmtDate(now.y, now.m, daysInMonth(now.y, now.m))),
  },
  {
    re: /(今年|明年)?年底/,
    value: (m, now) => ok(fmtDate(now.y + (m[1] === '明年' ? 1 : 0), 12, 31)),
  },
  {
    re: new RegExp(`${RELATIVE_MONTH.source} ?${NUM} ?[日号]`),
    value: (m, now) => {
      const [y, mo] = relativeMonth(m[1]!, now);
      const d = smallNumber(m[2]!);
      return d === null ? bad(`看不懂“${m[0]}”`) : dateValue(y, mo, d, m[0]);
    },
  },
  {
    // Weeks run Monday to Sunday, as people count them; a bare 周五 is the next one, today included.
    re: /(下下|下个?|这个?|本)?(?:周|星期|礼拜)([一二三四五六日天])/,
    value: (m, now) => {
      const w = m[1] ?? '';
      const weeks = w.startsWith('下下') ? 2 : w.startsWith('下') ? 1 : 0;
      return ok(namedWeekday(fmtDate(now.y, now.m, now.d), weeks, WEEKDAY_BY_CHAR[m[2]!]!, w === ''));
    },
  },
  {
    // 15号 alone: the next 15th, today included (not 3号楼, 1号线).
    re: new RegExp(`(?<![\\d月年./-])${NUM} ?[日号](?![\\d楼院栋单元室门线路台机])`),
    value: (m, now) => {
      const d = smallNumber(m[1]!);
      if (d === null || d < 1 || d > 31) return bad(`看不懂日期“${m[0]}”`);
      for (let k = 0; k < 12; k++) {
        const [y, mo] = addMonths(now.y, now.m, k);
        if (d <= daysInMonth(y, mo) && fmtDate(y, mo, d) >= fmtDate(now.y, now.m, now.d)) {
          return ok(fmtDate(y, mo, d));
        }
      }
      return bad(`看不懂日期“${m[0]}”`);
    },
  },
];

/**
 * A day written where a month is wanted ("预约接待日 2027-01-05", "1月5日的接待日") names its month; a day
 * the calendar does not have (2026-02-30) is said to be wrong rather than read as some other month.
 */
const MONTH_OF_DATE: Matcher<string>[] = [
  ...DATES_WITH_YEAR.map(({ re, value }) => ({
    re,
    value: (m: RegExpExecArray, now: Ymd): Parsed<string> => {
      const r = value(m, now);
      return r.ok ? ok(r.value.slice(0, 7)) : r;
    },
  })),
  {
    re: MONTH_DAY,
    value: (m, now) => {
      const md = monthDayOf(m);
      if (!md.ok) return md;
      const [mo, d] = md.value;
      // As a month alone: the nearest such month (MONTH_MATCHERS), its day checked in that year.
      const r = dateValue(nearestYearOf(mo, now), mo, d, m[0]);
      return r.ok ? ok(r.value.slice(0, 7)) : r;
    },
  },
];

const YEAR_MATCHERS: Matcher<number>[] = [
  {
    re: /(?<![\d-])(\d{4}|[〇零一二三四五六七八九]{4}) ?(?:年度?)?(?![\d-])/,
    value: (m) => {
      const y = cnYear(m[1]!)!;
      const e = checkYear(y);
      return e ? bad(e) : ok(y);
    },
  },
  {
    re: /(今年|本年度?|明年|去年|前年|后年)/,
    value: (m, now) => ok(now.y + RELATIVE_YEAR[m[1]!.slice(0, 2)]!),
  },
];

function findFirst<T>(matchers: Matcher<T>[], text: string, now: string): Found<T> | null {
  const today = parseNow(now);
  let best: Found<T> | null = null;
  for (const { re, value } of matchers) {
    const m = re.exec(text);
    if (!m) continue;
    if (best === null || m.index < best.index || (m.index === best.index && m[0].length > best.length)) {
      best = { index: m.index, length: m[0].length, result: value(m, today) };
    }
  }
  return best;
}

function whole<T>(found: Found<T> | null, text: string, what: string, example: string): Parsed<T> {
  const t = text.trim();
  if (t === '') return bad(`请写出${what}，如 ${example}`);
  if (found && found.index === 0 && found.length === t.length) return found.result;
  return bad(`看不懂${what}“${t}”，请写成 ${example}`);
}

const MONTHS_WRITTEN = [...MONTH_MATCHERS, ...MONTH_OF_DATE];

/** A month anywhere in the text (the earliest). */
export const findMonth = (text: string, now: string) => findFirst(MONTHS_WRITTEN, text, now);
/** A date anywhere in the text (the earliest). */
export const findDate = (text: string, now: string) => findFirst(DATE_MATCHERS, text, now);
/** A year anywhere in the text (the earliest). */
export const findYear = (text: string, now: string) => findFirst(YEAR_MATCHERS, text, now);

/** The whole text as a month → 'YYYY-MM'. */
export function parseMonth(text: string, now: string): Parsed<string> {
  const t = normalize(text).text;
  return whole(findMonth(t, now), t, '月份', '2026-12、12月或下个月');
}

/** The whole text as a date → 'YYYY-MM-DD'. */
export function parseDate(text: string, now: string): Parsed<string> {
  const t = normalize(text).text;
  return whole(findDate(t, now), t, '日期', '2027-03-01 或 2027年3月1日');
}

// "一个月", "延长两周", "再宽限10天", "半个月", "一个半月", "一个月零十天", "俩礼拜": how much later than the
// deadline there is (延期), as an ISO 8601 duration (calendar-date.ts shiftedDate). Months only with 个 ("3月"
// is a month, "15日" a day); days only after months or on their own, with 天.
const SHIFT_LEAD = '(?:再|往后)?(?:延长|延期|推迟|推后|顺延|宽限|延)?';
const WEEKS = '个?(?:星期|礼拜|周)';
// NUM's digits or numerals, named where they are read.
const N = (name: string) =>
  `(?<${name}>${NUM.slice(1, -1)}${name === 'months' || name === 'weeks' ? '|半' : ''})`;
const SHIFT_WORDS = new RegExp(
  `^${SHIFT_LEAD}(?:${N('months')}个(?<half>半)?月(?:[零又加]?(?:${N('plusDays')}天|${N('plusWeeks')}${WEEKS}))?` +
    `|${N('weeks')}${WEEKS}|${N('days')}天)(?:时间)?`,
);

function findShift(text: string): Found<string> | null {
  // 俩礼拜, 仨月: one character each, so what was matched keeps its place in the text.
  const m = SHIFT_WORDS.exec(text.replace(/俩/g, '两').replace(/仨/g, '三'));
  if (!m) return null;
  const said = { index: 0, length: m[0].length };
  const refused: Found<string> = { ...said, result: bad(`看不懂“${m[0]}”`) };
  const { months, half, plusDays, plusWeeks, weeks, days } = m.groups!;
  const n = (v: string | undefined) => (v === undefined ? 0 : smallNumber(v));
  if (months !== undefined) {
    // 半个月 is fifteen days; 半个半月 is nothing anyone says.
    if (months === '半') return half ? refused : { ...said, result: ok('P15D') };
    const count = n(months);
    const extra = half ? 15 : (n(plusDays) ?? 0) + (n(plusWeeks) ?? 0) * 7;
    if (count === null || count < 1) return refused;
    return { ...said, result: ok(`P${count}M${extra > 0 ? `${extra}D` : ''}`) };
  }
  // 半周 is no deadline anyone sets.
  const count = weeks === '半' ? null : weeks !== undefined ? n(weeks) : n(days);
  if (count === null || count < 1) return refused;
  return { ...said, result: ok(`P${weeks !== undefined ? count * 7 : count}D`) };
}

/**
 * A date, or a shift of the deadline ("一个月" → P1M), at the start of the text or the earliest anywhere:
 * what 延期 takes.
 */
export function findDateOrShift(text: string, now: string): Found<string> | null {
  const date = findDate(text, now);
  const shift = findShift(text);
  if (shift && (date === null || date.index > 0 || date.length < shift.length)) return shift;
  return date;
}

// "延到五一以后", "延期到春节后", "过完年", "国庆节假期结束后": a festival's name (《全国年节及纪念日放假办法》
// 第二条) with "after" — the first working day after its rest.
const FESTIVAL_NAMES: readonly [RegExp, FestivalName][] = [
  [/^(?:元旦)$/, '元旦'],
  [/^(?:春节|过年|年)$/, '春节'],
  [/^(?:清明节?)$/, '清明'],
  [/^(?:五一(?:劳动节)?|劳动节)$/, '劳动节'],
  [/^(?:端午节?)$/, '端午'],
  [/^(?:中秋节?)$/, '中秋'],
  [/^(?:十一|国庆节?)$/, '国庆节'],
];
/** A festival's name as people say it (过年 for 春节, 十一 for 国庆节). */
export const FESTIVAL = '元旦|春节|过年|清明节?|五一劳动节|五一|劳动节|端午节?|中秋节?|十一|国庆节?';

/** The festival a name of FESTIVAL (or 年 after 过完) means. */
export const festivalNamed = (said: string): FestivalName | undefined =>
  FESTIVAL_NAMES.find(([re]) => re.test(said))?.[1];
const HOLIDAY_AFTER = new RegExp(
  `^(?:(?:过完|过了)(年|${FESTIVAL})|(?:(今年|明年)的?)?(年|${FESTIVAL})(?:假期|长假|小长假|放假|假)?(?:结束)?(?:以后|之后|过后|后))`,
);

/**
 * "五一以后", "春节后", "过完年" at the start of the text: the first working day after that festival's rest,
 * the next one (or the year's said), on the calendar as published or fixed by law. The date is taken to
 * the office's own calendar when the deadline moves (a day staff corrected into a rest day moves it on).
 */
function findAfterHoliday(text: string, now: string): Found<string> | null {
  const m = HOLIDAY_AFTER.exec(text);
  if (!m) return null;
  const said = m[1] ?? m[3]!;
  const name = festivalNamed(said);
  if (!name) return null;
  const year = m[2] ? Number(now.slice(0, 4)) + RELATIVE_YEAR[m[2]]! : undefined;
  const r = PUBLISHED_OR_BY_LAW.firstWorkdayAfterFestival(name, now, year);
  return { index: 0, length: m[0].length, result: r.ok ? ok(r.value) : bad(r.error.message) };
}

/** The calendar as published, or as the law fixes it for a year not yet published (no staff corrections). */
const PUBLISHED_OR_BY_LAW = new WorkCalendar();

/** A month said with its year ("2027年3月", "明年10月", "2027-03"), not one found ahead of today. */
const YEAR_SAID = /\d{4}|年/;

/**
 * What 延期 takes at the start of the text: a date, a shift of the deadline, or a month without its day
 * ("延到明年10月" → '2027-10'; the day is asked for). A month without its year is the next such month, this
 * one included, as a deadline is ("3月" in December is next March).
 */
export function findExtensionDate(text: string, now: string): Found<string> | null {
  const found = findDateOrShift(text, now);
  if (found?.index === 0) return found;
  const holiday = findAfterHoliday(text, now);
  if (holiday) return holiday;
  const month = findMonth(text, now);
  if (month?.index !== 0 || !month.result.ok) return found;
  const value = month.result.value;
  const written = text.slice(0, month.length);
  // "3月5日" is a date (found above), never the month of one.
  if (/[日号]/.test(written) || YEAR_SAID.test(written) || value >= now.slice(0, 7))
    return { ...month, result: ok(value) };
  const [y, m] = addMonths(Number(value.slice(0, 4)), Number(value.slice(5, 7)), 12);
  return { ...month, result: ok(fmtMonth(y, m)) };
}

const DAY_OF_MONTH = new RegExp(
  `^(?:就|那就)?(?:延到|到)?(?:${NUM} ?[日号]?|(月底|月末|底|最后一天|最后那天))(?:吧|呗|啊|就行|就可以|可以)?[.!。！]*$`,
);

/**
 * The answer to "延到2027年10月的哪一天？": a day of that month ('YYYY-MM'), as "15号", "15", "十五日" or "月底"
 * say it → 'YYYY-MM-DD'; null when the words are no day of it (a whole date is read as such elsewhere).
 */
export function dayOfMonthSaid(text: string, month: string): Parsed<string> | null {
  const m = DAY_OF_MONTH.exec(normalize(text).text.trim());
  if (!m) return null;
  const [y, mo] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  if (m[2]) return ok(fmtDate(y, mo, daysInMonth(y, mo)));
  const d = smallNumber(m[1]!);
  return d === null ? null : dateValue(y, mo, d, text.trim());
}

/** The whole text as what 延期 takes → 'YYYY-MM-DD', 'P1M', or a month without its day 'YYYY-MM'. */
export function parseDateOrShift(text: string, now: string): Parsed<string> {
  const t = normalize(text).text;
  return whole(findExtensionDate(t, now), t, '日期', '2027-03-01、2027年3月1日 或 一个月');
}

/** The whole text as a year. */
export function parseYear(text: string, now: string): Parsed<number> {
  const t = normalize(text).text;
  return whole(findYear(t, now), t, '年份', '2026 或 今年');
}

// ---- codes -------------------------------------------------------------------------------------

/** Checks a canonical code against the prefixes a command takes. */
export function checkCode(code: string, prefixes: readonly CodePrefix[]): Parsed<string> {
  const prefix = code.slice(0, 2) as CodePrefix;
  if (prefixes.includes(prefix)) return ok(code);
  const wanted = prefixes.map((p) => `${PREFIX_NAMES[p]}（${p}-…）`).join('或');
  return bad(`“${code}”是${PREFIX_NAMES[prefix]}，这里需要${wanted}`);
}

/** The whole text as a code of one of the given prefixes. */
export function parseCode(text: string, prefixes: readonly CodePrefix[]): Parsed<string> {
  const t = normalize(text).text;
  const example = `${prefixes[0] ?? 'JY'}-2026-0012`;
  if (t === '') return bad(`请写出编号，如 ${example}`);
  const m = CODE_PATTERN.exec(t);
  if (m && m[0].length === t.length) return checkCode(m[0], prefixes);
  return bad(`“${t}”不是有效的编号，编号形如 ${example}`);
}

// ---- lists -------------------------------------------------------------------------------------

const LIST_SEPARATORS = /[、,，;；/\s]+/;
const ORGAN_LABEL = /^(?:主办|承办|协办|会办|牵头)(?:单位)?(?:[:：为是])?/;
const HAS_NAME_CHAR = /[\p{Script=Han}A-Za-z]/u;

function splitList(text: string): string[] {
  const out: string[] = [];
  for (const part of text.replace(/[.。!！]+$/, '').split(LIST_SEPARATORS)) {
    const name = part.replace(ORGAN_LABEL, '').trim();
    if (name !== '' && !out.includes(name)) out.push(name);
  }
  return out;
}

// "市住建局和市水务局": 和 between two names (after an organ's last character), never inside one
// (市人力资源和社会保障局).
const AND_BETWEEN = /(?<=[局委办厅院所司部站队处])(?:以及|和|及|与)/g;
// Each organ's part as offices write it: "市水务局牵头", "市住建局（协办）", "由市住建局承办".
const ROLE_AFTER =
  /(?:\((主办|承办|牵头|协办|会办|配合)\)|(牵头|主办|承办|协办|会办|配合)(?:办理)?)(?:单位)?$/;
const LEAD_WORDS = /主办|承办|牵头/;

/** "市交通局、市公安局" → 承办 市交通局, 协办 市公安局; "市水务局牵头，市住建局协办" the same way. */
export function parseOrgans(text: string): Parsed<Organs> {
  const parts = splitList(normalize(text).text.replace(/,/g, '、').replace(AND_BETWEEN, '、'));
  const named = parts.map((p) => {
    const role = ROLE_AFTER.exec(p);
    const name = p.replace(ROLE_AFTER, '').replace(/^由/, '').trim();
    const said = role?.[1] ?? role?.[2];
    return { name, lead: said ? LEAD_WORDS.test(said) : undefined };
  });
  const names = named.filter((n) => n.name !== '');
  if (names.length === 0) return bad('请写出承办单位，有协办单位请用顿号隔开（如 市交通局、市公安局）');
  const odd = names.find((n) => !HAS_NAME_CHAR.test(n.name));
  if (odd !== undefined) return bad(`“${odd.name}”不像单位名称`);
  // The one said to lead leads; otherwise the first named.
  const leader = names.find((n) => n.lead === true) ?? names.find((n) => n.lead !== false) ?? names[0]!;
  return ok({ lead: leader.name, assisting: names.filter((n) => n !== leader).map((n) => n.name) });
}

const ALL_TARGETS = /^(?:全体|全部|所有|大家|all)(?:代表|人|人员|群|代表群|群组)?$/i;

/** "全体" or group names separated by 、 → the broadcast's targets. */
export function parseTargets(text: string): Parsed<Targets> {
  const names = splitList(normalize(text).text);
  if (names.length === 0) return bad('请写出群名（多个用顿号隔开），或“全体”');
  const all = names.filter((n) => ALL_TARGETS.test(n));
  if (all.length > 0) {
    return names.length === 1 ? ok({ all: true }) : bad('“全体”已包括所有群，不能再同时写群名');
  }
  return ok({ all: false, groups: names });
}

/** A session or activity: an HD code, or its name as written. */
export function parseMeeting(text: string): Parsed<Meeting> {
  const t = normalize(text)
    .text.replace(/[.。!！]+$/, '')
    .trim();
  if (t === '') return bad('请写出会议或活动的名称或编号');
  const m = CODE_PATTERN.exec(t);
  if (m && m[0].length === t.length) {
    const c = checkCode(m[0], ['HD']);
    return c.ok ? ok({ code: c.value }) : bad(c.error);
  }
  return ok({ name: meetingWordsBySound(t) });
}
