import { addDays, dateOf, daysInMonth, isWeekend, parseDate } from './calendar-date.ts';
import { type PublishedCalendar, publishedCalendar } from './published-calendar.ts';
import {
  type FestivalName,
  festivalDays,
  LUNAR_TABLE_LAST_YEAR,
  statutoryHolidays,
} from './statutory-holidays.ts';

// The China working-day calendar (regulations/README.md, "Counting time"): the State Council's published
// arrangements (with 调休 make-up working weekends), overridden by staff corrections, and for a year with
// no published arrangement a provisional calendar of weekends plus the holidays fixed by law. Every answer
// says whether it consulted a provisional day. A date the calendar does not know is an error value.

export type DayKind = 'workday' | 'weekend' | 'holiday';
export type DaySource = 'published' | 'corrected' | 'provisional';
export type YearSource = DaySource;
export type CorrectionKind = 'holiday' | 'workday';

export interface DayInfo {
  date: string;
  kind: DayKind;
  /** The festival or the correction's note; absent for a plain weekday or weekend. */
  name?: string;
  /** A weekend day that is worked (调休上班, or corrected to a working day). */
  makeup?: boolean;
  source: DaySource;
}

export interface Correction {
  date: string;
  kind: CorrectionKind;
  note: string;
}

export type CalendarErrorCode = 'invalid_date' | 'outside_calendar';

export interface CalendarError {
  code: CalendarErrorCode;
  /** For staff and deputies (zh-CN). */
  message: string;
  date: string;
}

export type CalendarResult<T> =
  | { ok: true; value: T; provisional: boolean }
  | { ok: false; error: CalendarError };

export interface CalendarCoverage {
  /** Years with a published arrangement. */
  publishedFrom: number;
  publishedTo: number;
  /** Years answered provisionally: after the published ones, as far as the lunar table reaches. */
  provisionalFrom: number;
  provisionalTo: number;
}

// Memoized per year: the law's holidays are a pure function of the year.
const provisionalYears = new Map<number, Map<string, string>>();
const provisionalHolidaysOf = (year: number): Map<string, string> => {
  let m = provisionalYears.get(year);
  if (!m) {
    m = statutoryHolidays(year);
    provisionalYears.set(year, m);
  }
  return m;
};

// The longest run of rest days the walks below accept before deciding something is wrong (a year
// corrected into holidays): far beyond any real arrangement (the longest so far is 9 days).
const MAX_REST_RUN = 60;

export class WorkCalendar {
  readonly published: PublishedCalendar;
  readonly coverage: CalendarCoverage;
  private readonly corrections: ReadonlyMap<string, Correction>;

  constructor(corrections: Iterable<Correction> = [], published: PublishedCalendar = publishedCalendar) {
    this.published = published;
    this.corrections = new Map([...corrections].map((c) => [c.date, c]));
    this.coverage = {
      publishedFrom: published.firstYear,
      publishedTo: published.lastYear,
      provisionalFrom: published.lastYear + 1,
      provisionalTo: LUNAR_TABLE_LAST_YEAR,
    };
  }

  /** Whether a year is known, and how: published, corrected (published or provisional with staff corrections) or provisional. */
  yearSource(year: number): CalendarResult<YearSource> {
    const known = this.checkYear(year, String(year));
    if (known) return known;
    const provisional = !this.published.years.has(year);
    const prefix = `${String(year).padStart(4, '0')}-`;
    const corrected = [...this.corrections.keys()].some((d) => d.startsWith(prefix));
    return {
      ok: true,
      value: corrected ? 'corrected' : provisional ? 'provisional' : 'published',
      provisional,
    };
  }

  dayInfo(date: string): CalendarResult<DayInfo> {
    const p = parseDate(date);
    if (!p) return invalid(date);
    const unknown = this.checkYear(p.year, date);
    if (unknown) return unknown;
    const info = this.lookup(date, p.year);
    return { ok: true, value: info, provisional: info.source === 'provisional' };
  }

  isWorkday(date: string): CalendarResult<boolean> {
    const r = this.dayInfo(date);
    return r.ok ? { ok: true, value: r.value.kind === 'workday', provisional: r.provisional } : r;
  }

  /** The date itself when it is a working day, else the first working day after the rest. */
  nextWorkdayOnOrAfter(date: string): CalendarResult<string> {
    let provisional = false;
    let d = date;
    for (let i = 0; i <= MAX_REST_RUN; i++) {
      const r = this.dayInfo(d);
      if (!r.ok) return r;
      provisional ||= r.provisional;
      if (r.value.kind === 'workday') return { ok: true, value: d, provisional };
      d = addDays(d, 1);
    }
    return {
      ok: false,
      error: {
        code: 'outside_calendar',
        message: `${date} 之后连续 ${MAX_REST_RUN} 天没有工作日，请检查工作日历的更正`,
        date,
      },
    };
  }

  /**
   * The first working day after the rest of festival `name` ("延到五一以后"): the days 《全国年节及纪念日放假
   * 办法》 第二条 gives it and whatever rest follows them (weekends, 补假, the arrangement's days). The
   * festival of `year`, else the next one whose rest is not over by `today`.
   */
  firstWorkdayAfterFestival(name: FestivalName, today: string, year?: number): CalendarResult<string> {
    const after = (y: number) => this.nextWorkdayOnOrAfter(addDays(festivalDays(name, y).at(-1)!, 1));
    if (year !== undefined) return after(year);
    const thisYear = after(Number(today.slice(0, 4)));
    return thisYear.ok && thisYear.value <= today ? after(Number(today.slice(0, 4)) + 1) : thisYear;
  }

  /** `n` working days after (n > 0) or before (n < 0) `date`, the date itself not counted; n = 0 is the date. */
  addWorkdays(date: string, n: number): CalendarResult<string> {
    const first = this.dayInfo(date);
    if (!first.ok) return first;
    let provisional = false;
    const step = n < 0 ? -1 : 1;
    let left = Math.abs(Math.trunc(n));
    let d = date;
    let restRun = 0;
    while (left > 0) {
      d = addDays(d, step);
      const r = this.dayInfo(d);
      if (!r.ok) return r;
      provisional ||= r.provisional;
      if (r.value.kind === 'workday') {
        left--;
        restRun = 0;
      } else if (++restRun > MAX_REST_RUN) {
        return {
          ok: false,
          error: { code: 'outside_calendar', message: `${date} 附近连续 ${MAX_REST_RUN} 天没有工作日`, date },
        };
      }
    }
    return { ok: true, value: d, provisional };
  }

  /** Every day of a year. */
  yearDays(year: number): CalendarResult<DayInfo[]> {
    const source = this.yearSource(year);
    if (!source.ok) return source;
    const days: DayInfo[] = [];
    for (let m = 1; m <= 12; m++) {
      for (let d = 1; d <= daysInMonth(year, m); d++) days.push(this.lookup(dateOf(year, m, d), year));
    }
    return { ok: true, value: days, provisional: source.provisional };
  }

  private checkYear(year: number, date: string): { ok: false; error: CalendarError } | null {
    if (
      Number.isInteger(year) &&
      year >= this.coverage.publishedFrom &&
      year <= this.coverage.provisionalTo
    ) {
      return null;
    }
    return {
      ok: false,
      error: {
        code: 'outside_calendar',
        message: `工作日历只覆盖 ${this.coverage.publishedFrom} 年至 ${this.coverage.provisionalTo} 年，无法确定 ${date}`,
        date,
      },
    };
  }

  private lookup(date: string, year: number): DayInfo {
    const weekend = isWeekend(date);
    const c = this.corrections.get(date);
    if (c) {
      return c.kind === 'workday'
        ? { date, kind: 'workday', name: c.note, ...(weekend ? { makeup: true } : {}), source: 'corrected' }
        : { date, kind: 'holiday', name: c.note, source: 'corrected' };
    }
    // A day an arrangement names is published even in a year not yet published as a whole (a notice
    // may name 12月31日 of the year before).
    const p = this.published.days.get(date);
    if (p?.work)
      return { date, kind: 'workday', name: `${p.festival}调休上班`, makeup: true, source: 'published' };
    if (p) return { date, kind: 'holiday', name: p.festival, source: 'published' };
    if (this.published.years.has(year)) {
      return { date, kind: weekend ? 'weekend' : 'workday', source: 'published' };
    }
    const h = provisionalHolidaysOf(year).get(date);
    if (h) return { date, kind: 'holiday', name: h, source: 'provisional' };
    return { date, kind: weekend ? 'weekend' : 'workday', source: 'provisional' };
  }
}

const invalid = (date: string): { ok: false; error: CalendarError } => ({
  ok: false,
  error: { code: 'invalid_date', message: `“${date}”不是有效的日期（应为 YYYY-MM-DD）`, date },
});
