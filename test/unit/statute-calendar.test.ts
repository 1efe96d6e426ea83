import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../src/statute/calendar.ts';
import { mondayOf } from '../../src/statute/calendar-date.ts';
import {
  daySpanText,
  formatDate,
  formatStatutoryDate,
  markProvisional,
} from '../../src/statute/date-text.ts';
import { publishedCalendar } from '../../src/statute/published-calendar.ts';
import { qingmingDate } from '../../src/statute/solar-terms.ts';
import { lunarToSolar } from '../../src/statute/statutory-holidays.ts';

const cal = new WorkCalendar();

const day = (date: string) => {
  const r = cal.dayInfo(date);
  if (!r.ok) throw new Error(r.error.message);
  return r;
};

describe('the published calendar (State Council arrangements carried by chinese-days)', () => {
  it('reads its covered years from the package data, contiguous up to the last published year', () => {
    expect(publishedCalendar.lastYear).toBeGreaterThanOrEqual(2026);
    for (let y = publishedCalendar.firstYear; y <= publishedCalendar.lastYear; y++) {
      expect(publishedCalendar.years.has(y)).toBe(true);
    }
    expect(cal.coverage.provisionalFrom).toBe(publishedCalendar.lastYear + 1);
  });

  it('knows the 2026 National Day holiday and its 调休 make-up working Saturday and Sunday', () => {
    expect(day('2026-10-05').value).toMatchObject({ kind: 'holiday', name: '国庆节', source: 'published' });
    expect(day('2026-10-05').provisional).toBe(false);
    expect(day('2026-10-08').value).toMatchObject({ kind: 'workday', source: 'published' });
    expect(day('2026-10-10').value).toMatchObject({ kind: 'workday', makeup: true });
    expect(day('2026-09-20').value).toMatchObject({ kind: 'workday', makeup: true });
    expect(day('2026-10-11').value.kind).toBe('weekend');
    expect(day('2026-02-14').value).toMatchObject({ kind: 'workday', makeup: true, name: '春节调休上班' });
  });

  it('answers isWorkday, nextWorkdayOnOrAfter and addWorkdays across a holiday', () => {
    expect(cal.isWorkday('2026-10-01')).toEqual({ ok: true, value: false, provisional: false });
    expect(cal.nextWorkdayOnOrAfter('2026-10-01')).toEqual({
      ok: true,
      value: '2026-10-08',
      provisional: false,
    });
    expect(cal.nextWorkdayOnOrAfter('2026-10-09')).toEqual({
      ok: true,
      value: '2026-10-09',
      provisional: false,
    });
    // 09-30 (Wed) + 1 working day skips the holiday to 10-08; + 3 lands on the make-up Saturday 10-10.
    expect(cal.addWorkdays('2026-09-30', 1)).toMatchObject({ ok: true, value: '2026-10-08' });
    expect(cal.addWorkdays('2026-09-30', 3)).toMatchObject({ ok: true, value: '2026-10-10' });
    expect(cal.addWorkdays('2026-10-08', -1)).toMatchObject({ ok: true, value: '2026-09-30' });
    expect(cal.addWorkdays('2026-10-08', 0)).toMatchObject({ ok: true, value: '2026-10-08' });
  });

  it('agrees, for every published year since 2008, with the rest days the law fixes (lunar and solar-term dates)', () => {
    for (let y = 2008; y <= publishedCalendar.lastYear; y++) {
      const fixed = [
        `${y}-01-01`,
        lunarToSolar(y, 1, 1),
        lunarToSolar(y, 1, 2),
        qingmingDate(y),
        `${y}-05-01`,
        lunarToSolar(y, 5, 5),
        lunarToSolar(y, 8, 15),
        `${y}-10-01`,
        `${y}-10-02`,
        `${y}-10-03`,
      ];
      // A festival on a weekend is sometimes listed as a holiday, sometimes left a plain weekend: both are rest.
      for (const d of fixed) expect({ d, work: day(d).value.kind === 'workday' }).toEqual({ d, work: false });
    }
  });
});

describe('a provisional calendar for a year past the published range', () => {
  it('takes the year after the last published one as provisional, not as all weekdays working', () => {
    const y = cal.coverage.provisionalFrom;
    const r = day(`${y}-01-01`);
    expect(r.value).toMatchObject({ kind: 'holiday', name: '元旦', source: 'provisional' });
    expect(r.provisional).toBe(true);
    expect(cal.yearSource(y)).toEqual({ ok: true, value: 'provisional', provisional: true });
  });

  it('has 2030 Spring Festival (除夕 02-02 through 初三 02-05) and National Day (10-01…10-03) as holidays, marked provisional', () => {
    // 2030: 正月初一 is 2030-02-03; 除夕 and 初一 fall on Saturday and Sunday, so two days are made up
    // after 初三 (办法 第六条).
    for (const d of ['2030-02-02', '2030-02-03', '2030-02-04', '2030-02-05']) {
      expect(day(d).value).toMatchObject({ kind: 'holiday', name: '春节', source: 'provisional' });
    }
    expect(day('2030-02-06').value).toMatchObject({ kind: 'holiday', name: '春节（补假）' });
    expect(day('2030-02-07').value).toMatchObject({ kind: 'holiday', name: '春节（补假）' });
    expect(day('2030-02-08').value.kind).toBe('workday');
    for (const d of ['2030-10-01', '2030-10-02', '2030-10-03']) {
      expect(day(d).value).toMatchObject({ kind: 'holiday', name: '国庆节', source: 'provisional' });
    }
    expect(day('2030-10-04').value.kind).toBe('workday');
    expect(day('2030-04-05').value).toMatchObject({ kind: 'holiday', name: '清明' });
    const next = cal.nextWorkdayOnOrAfter('2030-10-01');
    expect(next).toEqual({ ok: true, value: '2030-10-04', provisional: true });
    expect(formatStatutoryDate('2030-10-04', true)).toBe('2030-10-04（星期五）（暂定日历）');
  });

  it('lets a staff correction override a provisional day', () => {
    const corrected = new WorkCalendar([{ date: '2030-10-04', kind: 'holiday', note: '国庆调休' }]);
    expect(corrected.dayInfo('2030-10-04')).toMatchObject({
      ok: true,
      value: { kind: 'holiday', source: 'corrected', name: '国庆调休' },
      provisional: false,
    });
    expect(corrected.nextWorkdayOnOrAfter('2030-10-01')).toEqual({
      ok: true,
      value: '2030-10-07',
      provisional: true,
    });
    expect(corrected.yearSource(2030)).toMatchObject({ ok: true, value: 'corrected' });
  });
});

describe('dates the calendar does not know', () => {
  it.each([
    ['2026-02-30', 'invalid_date'],
    ['2026-13-01', 'invalid_date'],
    ['2026-2-3', 'invalid_date'],
    ['', 'invalid_date'],
    ['明天', 'invalid_date'],
    ['1800-01-01', 'outside_calendar'],
    ['2101-06-01', 'outside_calendar'],
  ])('%s is an error value with a message, not a crash', (date, code) => {
    for (const r of [
      cal.dayInfo(date),
      cal.isWorkday(date),
      cal.nextWorkdayOnOrAfter(date),
      cal.addWorkdays(date, 2),
    ]) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe(code);
        expect(r.error.message).toMatch(/日期|工作日历/);
      }
    }
  });

  it('refuses a year outside the calendar', () => {
    expect(cal.yearSource(1800)).toMatchObject({ ok: false, error: { code: 'outside_calendar' } });
    expect(cal.yearDays(1800).ok).toBe(false);
  });
});

describe('date text', () => {
  it('writes dates with the weekday and marks provisional ones', () => {
    expect(formatDate('2026-10-08')).toBe('2026-10-08（星期四）');
    expect(formatDate('2026-02-14')).toBe('2026-02-14（星期六）');
    expect(markProvisional('接待日', true)).toBe('接待日（暂定日历）');
    expect(markProvisional('接待日', false)).toBe('接待日');
  });

  it('writes the days of a meeting as said in chat, the whole span, a year not the current one named', () => {
    const today = '2026-12-16';
    expect(daySpanText('2026-12-18', '2026-12-18', today)).toBe('12月18日（星期五）');
    expect(daySpanText('2026-12-25', '2026-12-27', today)).toBe('12月25日（星期五）至27日（星期日）');
    expect(daySpanText('2026-12-30', '2027-01-02', today)).toBe('12月30日（星期三）至2027年1月2日（星期六）');
    expect(daySpanText('2027-01-29', '2027-02-01', today)).toBe('2027年1月29日（星期五）至2月1日（星期一）');
  });

  it('counts a week from Monday to Sunday', () => {
    expect(mondayOf('2026-12-16')).toBe('2026-12-14');
    expect(mondayOf('2026-12-14')).toBe('2026-12-14');
    expect(mondayOf('2026-12-20')).toBe('2026-12-14');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
  });
});
