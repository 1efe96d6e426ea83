import type { Clock } from '../clock.ts';
import { smallNumber } from './numerals.ts';

// A statutory date is a calendar date ('YYYY-MM-DD') in APP_TIMEZONE, never an instant.
// Arithmetic runs on day numbers (days since 1970-01-01) so no local time zone can shift a date.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export const daysInMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The parts of a well-formed, real calendar date; null for anything else ('2026-02-30', '2026-2-3'). */
export function parseDate(text: string): DateParts | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export const isValidDate = (text: string): boolean => parseDate(text) !== null;

/** Full-width letters, digits and punctuation as ASCII, the ideographic space as a space. */
const halfWidth = (text: string): string =>
  text
    .replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');

/**
 * A date as people write it in a form, whatever their browser shows: 2026-12-03, 2026-12-3, 2026/12/3,
 * 2026.12.3 or 2026年12月3日 (日 or 号 optional; full-width digits and spaces allowed). `date` when the
 * calendar has that day; `noSuchDay` when it is written as a date the calendar does not have (2026-02-30,
 * 2026-13-01); null when it is not written as a date at all.
 */
export type WrittenDate = { date: string } | { noSuchDay: DateParts } | null;

const WRITTEN_DATE_RE =
  /^(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)$/;

export function readWrittenDate(text: string): WrittenDate {
  const ascii = halfWidth(text).trim();
  const m = WRITTEN_DATE_RE.exec(ascii);
  if (!m) return null;
  const parts = { year: Number(m[1]), month: Number(m[2] ?? m[4]), day: Number(m[3] ?? m[5]) };
  const date = dateOf(parts.year, parts.month, parts.day);
  return isValidDate(date) ? { date } : { noSuchDay: parts };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * A time of day as people write it in a form, whatever their browser shows: 09:00, 9:00, 14:30, 9点, 9点半,
 * 9点30分, 9时15分, 下午2点, 下午2点半, 晚上7点, 下午两点半, 2:30 PM (full-width digits and colon allowed).
 * `time` as 'HH:MM' when the clock has it; `noSuchTime` when it is written as a time no clock shows (25:00,
 * 9:75); `partOfDayUnsaid` for 1 to 6 o'clock said in words without the part of the day (“2点半”: people
 * mean the afternoon as often as the night); null when it is not written as a time at all.
 */
export type WrittenTime =
  | { time: string }
  | { noSuchTime: { hour: number; minute: number } }
  | { partOfDayUnsaid: { hour: number; minute: number } }
  | null;

const CN_NUMBER = '[零〇一二两三四五六七八九十]{1,3}';
const WRITTEN_TIME_RE = new RegExp(
  `^(凌晨|早上|早晨|清晨|上午|中午|午后|下午|傍晚|晚上|夜里|夜间)?(\\d{1,2}|${CN_NUMBER})` +
    `(?::(\\d{2})|[点时](?:(半)|([一三])刻|(\\d{1,2}|${CN_NUMBER})分?|整|钟)?)(am|pm|a\\.m\\.|p\\.m\\.)?$`,
);

const MORNING = /凌晨|早|上午|am|a\.m\./;

/** The hour on a 24-hour clock of an hour said with the part of the day (下午2点 → 14); NaN when they clash. */
function dayHour(hour: number, part: string | undefined): number {
  if (part === undefined) return hour;
  if (MORNING.test(part)) return hour > 12 ? Number.NaN : hour === 12 && /凌晨|^a/.test(part) ? 0 : hour;
  if (hour > 12) return hour;
  if (part === '中午') return hour <= 4 ? hour + 12 : hour;
  if (hour === 12) return /晚上|夜/.test(part) ? 0 : 12;
  return hour + 12;
}

export function readWrittenTime(text: string): WrittenTime {
  const m = WRITTEN_TIME_RE.exec(halfWidth(text).replace(/\s+/g, '').toLowerCase());
  if (!m) return null;
  const [, part, h, colon, half, quarter, minutes, suffix] = m;
  if (part !== undefined && suffix !== undefined) return null;
  const minute = half
    ? 30
    : quarter
      ? quarter === '一'
        ? 15
        : 45
      : (smallNumber(colon ?? minutes ?? '0') ?? Number.NaN);
  const written = smallNumber(h!) ?? Number.NaN;
  if (Number.isNaN(written) || Number.isNaN(minute)) return null;
  if (written > 23 || minute > 59) return { noSuchTime: { hour: written, minute } };
  if (part === undefined && suffix === undefined && colon === undefined && written >= 1 && written <= 6)
    return { partOfDayUnsaid: { hour: written, minute } };
  const hour = dayHour(written, part ?? suffix);
  if (Number.isNaN(hour)) return null;
  return { time: `${pad(hour)}:${pad(minute)}` };
}

export const dateOf = (year: number, month: number, day: number): string =>
  `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

/** Days since 1970-01-01 of a date already known to be valid. */
export function dayNumber(date: string): number {
  const p = parseDate(date);
  if (!p) throw new RangeError(`not a calendar date: ${date}`);
  return Date.UTC(p.year, p.month - 1, p.day) / MS_PER_DAY;
}

export function fromDayNumber(n: number): string {
  const d = new Date(n * MS_PER_DAY);
  return dateOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export const addDays = (date: string, days: number): string => fromDayNumber(dayNumber(date) + days);

/** 0 = Sunday … 6 = Saturday. */
export const weekdayOf = (date: string): number => (((dayNumber(date) + 4) % 7) + 7) % 7;

/** The Monday of the week of `date`: a week runs Monday to Sunday, as it is counted in China. */
export const mondayOf = (date: string): string => addDays(date, -((weekdayOf(date) + 6) % 7));

/**
 * The day of `weekday` (0 Sunday … 6 Saturday) in the week `weeksAhead` weeks after today's, weeks running
 * Monday to Sunday as people count them ("下周五", "这周日"). A weekday named bare ("周五") is the next one,
 * today included.
 */
export function namedWeekday(today: string, weeksAhead: number, weekday: number, bare: boolean): string {
  const day = addDays(mondayOf(today), weeksAhead * 7 + ((weekday + 6) % 7));
  return bare && day < today ? addDays(day, 7) : day;
}

export const isWeekend = (date: string): boolean => {
  const w = weekdayOf(date);
  return w === 0 || w === 6;
};

export const yearOf = (date: string): number => Number(date.slice(0, 4));

/**
 * The day of the month `months` after `date` that corresponds to it, or that month's last day when
 * it has none (民法典 第二百零二条: 按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，
 * 月末日为期间的最后一日).
 */
export function correspondingDay(date: string, months: number): string {
  const p = parseDate(date);
  if (!p) throw new RangeError(`not a calendar date: ${date}`);
  const index = p.year * 12 + (p.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return dateOf(year, month, Math.min(p.day, daysInMonth(year, month)));
}

/** A shift of a date in months and days, as an ISO 8601 duration: "P1M", "P14D", "P1M15D" (一个半月). */
const SHIFT = /^P(?:(\d{1,3})M)?(?:(\d{1,3})D)?$/;

/** A shift's months and days; null when the value is no shift (or shifts by nothing). */
export function readShift(text: string): { months: number; days: number } | null {
  const m = SHIFT.exec(text);
  if (!m) return null;
  const months = Number(m[1] ?? 0);
  const days = Number(m[2] ?? 0);
  return months + days > 0 ? { months, days } : null;
}

/** Whether a value is a shift ("P1M"), not a date: "延期一个月" counts from the deadline there is. */
export const isDateShift = (text: string): boolean => readShift(text) !== null;

/**
 * The date a shift lands on from `date`: the months first, as the law counts them (correspondingDay), then
 * the days one by one ("一个半月" is a month and fifteen days). Null when `shift` is no shift.
 */
export function shiftedDate(date: string, shift: string): string | null {
  const s = readShift(shift);
  if (!s) return null;
  return addDays(s.months > 0 ? correspondingDay(date, s.months) : date, s.days);
}

/** Today's date in the given IANA time zone. */
export function todayIn(clock: Clock, timeZone: string): string {
  return dateAt(clock.now(), timeZone);
}

// One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

// The last answer per time zone, by the second it was asked for: no zone's offset has ever had a
// fraction of a second, so within one second the date cannot change.
const lastDates = new Map<string, { second: number; date: string }>();

const clockFormatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of an instant in a time zone, to the second. */
export function wallClockAt(
  instant: Date,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let f = clockFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    clockFormatters.set(timeZone, f);
  }
  const w = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of f.formatToParts(instant)) {
    if (p.type in w) w[p.type as keyof typeof w] = Number(p.value);
  }
  return w;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** 'HH:MM' of an instant in a time zone. */
export function hourMinuteAt(instant: Date, timeZone: string): string {
  const w = wallClockAt(instant, timeZone);
  return `${pad2(w.hour)}:${pad2(w.minute)}`;
}

/** The calendar date an instant falls on in a time zone. */
export function dateAt(instant: Date, timeZone: string): string {
  const second = Math.floor(instant.getTime() / 1000);
  const last = lastDates.get(timeZone);
  if (last?.second === second) return last.date;
  const parts = formatterFor(timeZone).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const date = `${get('year')}-${get('month')}-${get('day')}`;
  lastDates.set(timeZone, { second, date });
  return date;
}

/** 'YYYY-MM' of a date. */
export const monthOf = (date: string): string => date.slice(0, 7);

const MONTH_RE = /^(\d{4})-(\d{2})$/;

/** The parts of a 'YYYY-MM' month, or null. */
export function parseMonth(text: string): { year: number; month: number } | null {
  const m = MONTH_RE.exec(text);
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return { year: Number(m[1]), month };
}
