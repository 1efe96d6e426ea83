import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dayOfMonthSaid,
  type Parsed,
  parseCode,
  parseDate,
  parseDateOrShift,
  parseMeeting,
  parseMonth,
  parseOrgans,
  parseTargets,
  parseYear,
} from '../../src/bot/language/argument-parsers.ts';

const NOW = '2026-10-15';

function value<T>(p: Parsed<T>): T {
  if (!p.ok) throw new Error(`expected a value, got the error ${p.error}`);
  return p.value;
}

function error<T>(p: Parsed<T>): string {
  if (p.ok) throw new Error(`expected an error, got ${JSON.stringify(p.value)}`);
  return p.error;
}

describe('parseMonth', () => {
  it.each([
    ['2026-12', '2026-12'],
    ['2026-1', '2026-01'],
    ['２０２６－１２', '2026-12'],
    ['2026.12', '2026-12'],
    ['2026/12', '2026-12'],
    ['2026年12月', '2026-12'],
    ['2026 年 12 月份', '2026-12'],
    ['二〇二六年十二月', '2026-12'],
    ['12月', '2026-12'],
    ['十二月', '2026-12'],
    ['这个月', '2026-10'],
    ['本月', '2026-10'],
    ['下个月', '2026-11'],
    ['下月', '2026-11'],
    ['下下个月', '2026-12'],
    ['上个月', '2026-09'],
    ['明年3月', '2027-03'],
    ['去年12月', '2025-12'],
  ])('%s → %s (now %s)', (text, month) => {
    expect(value(parseMonth(text, NOW))).toBe(month);
  });

  it('counts relative months across the turn of the year', () => {
    expect(value(parseMonth('下个月', '2026-12-20'))).toBe('2027-01');
    expect(value(parseMonth('上个月', '2026-01-10'))).toBe('2025-12');
  });

  it('reads a month without a year as the nearest one, forward on a tie', () => {
    expect(value(parseMonth('1月', '2026-12-20'))).toBe('2027-01');
    expect(value(parseMonth('11月', '2026-12-20'))).toBe('2026-11');
    expect(value(parseMonth('6月', '2026-12-20'))).toBe('2027-06');
    expect(value(parseMonth('4月', NOW))).toBe('2027-04');
    expect(value(parseMonth('5月', NOW))).toBe('2026-05');
  });

  it('names the problem with a month that does not exist', () => {
    expect(error(parseMonth('2026-13', NOW))).toContain('2026-13');
    expect(error(parseMonth('2026-13', NOW))).toContain('1 到 12');
    expect(error(parseMonth('13月', NOW))).toContain('13月');
    expect(error(parseMonth('2026年0月', NOW))).toContain('1 到 12');
  });

  it('refuses what is not a month', () => {
    expect(error(parseMonth('下周', NOW))).toContain('下周');
    expect(error(parseMonth('', NOW))).toContain('月份');
    expect(error(parseMonth('1850-01', NOW))).toContain('1850');
  });

  it('reads a day written where a month is asked as its month, and names a day the calendar lacks', () => {
    expect(value(parseMonth('2026-12-01', NOW))).toBe('2026-12');
    expect(value(parseMonth('2027年1月5日', NOW))).toBe('2027-01');
    // Without a year: the nearest such month, as "1月" alone (not the next 10月1日, a year away).
    expect(value(parseMonth('1月5日', '2026-12-20'))).toBe('2027-01');
    expect(value(parseMonth('10月1日', NOW))).toBe('2026-10');
    expect(error(parseMonth('2026-02-30', NOW))).toBe('2026年2月没有30日（“2026-02-30”）');
    expect(error(parseMonth('2月30日', NOW))).toContain('2月没有30日');
    expect(error(parseMonth('2027-13-01', NOW))).toContain('1 到 12');
  });
});

describe('parseDate', () => {
  it.each([
    ['2027-03-01', '2027-03-01'],
    ['2027-3-1', '2027-03-01'],
    ['2027/3/1', '2027-03-01'],
    ['2027.3.1', '2027-03-01'],
    ['20270301', '2027-03-01'],
    ['2027年3月1日', '2027-03-01'],
    ['2027年3月1号', '2027-03-01'],
    ['二〇二七年三月一日', '2027-03-01'],
    ['明年3月1日', '2027-03-01'],
    ['３月１日', '2027-03-01'],
    ['10月20日', '2026-10-20'],
    ['10月15日', '2026-10-15'],
    ['10月14日', '2027-10-14'],
    ['十二月三十一日', '2026-12-31'],
    ['明天', '2026-10-16'],
    ['后天', '2026-10-17'],
  ])('%s → %s', (text, date) => {
    expect(value(parseDate(text, NOW))).toBe(date);
  });

  // NOW, 2026-10-15, is a Thursday.
  it.each([
    ['月底', '2026-10-31'],
    ['本月底', '2026-10-31'],
    ['下个月底', '2026-11-30'],
    ['2月底', '2027-02-28'],
    ['十二月底', '2026-12-31'],
    ['2028年2月底', '2028-02-29'],
    ['年底', '2026-12-31'],
    ['明年年底', '2027-12-31'],
    ['明年3月底', '2027-03-31'],
    ['明年二月底', '2027-02-28'],
    ['今年12月底', '2026-12-31'],
    ['下个月15号', '2026-11-15'],
    ['下月三十号', '2026-11-30'],
    ['下周五', '2026-10-23'],
    ['下星期一', '2026-10-19'],
    ['这周日', '2026-10-18'],
    ['礼拜四', '2026-10-15'],
    ['周三', '2026-10-21'],
    ['下下周一', '2026-10-26'],
    ['20号', '2026-10-20'],
    ['十五号', '2026-10-15'],
    ['14号', '2026-11-14'],
    ['31号', '2026-10-31'],
  ])('reads the deadline staff write as %s → %s', (text, date) => {
    expect(value(parseDate(text, NOW))).toBe(date);
  });

  it('names a deadline the calendar does not have, and takes no house or line number for a day', () => {
    expect(error(parseDate('下个月31号', NOW))).toContain('2026年11月没有31日');
    expect(error(parseDate('13月底', NOW))).toContain('1 到 12');
    expect(error(parseDate('3号楼', NOW))).toContain('3号楼');
    expect(error(parseDate('1号线', NOW))).toContain('1号线');
  });

  it('takes a date without a year as its next occurrence, a 29 February in the next leap year', () => {
    expect(value(parseDate('2月29日', NOW))).toBe('2028-02-29');
  });

  it('names the problem with a day that does not exist', () => {
    const e = error(parseDate('2026-02-30', NOW));
    expect(e).toContain('2026年2月没有30日');
    expect(error(parseDate('2027-04-31', NOW))).toContain('4月没有31日');
    expect(error(parseDate('2月30日', NOW))).toContain('没有30日');
    expect(error(parseDate('2026-13-01', NOW))).toContain('1 到 12');
    expect(error(parseDate('2027-02-29', NOW))).toContain('2027年2月没有29日');
  });

  it('accepts 29 February in a leap year', () => {
    expect(value(parseDate('2028-02-29', NOW))).toBe('2028-02-29');
  });

  it('refuses what is not a date', () => {
    expect(error(parseDate('下个月', NOW))).toContain('下个月');
    expect(error(parseDate('', NOW))).toContain('日期');
    expect(error(parseDate('2027-03', NOW))).toContain('2027-03');
  });
});

// 延期 takes a date or how much later than the deadline there is ("延期一个月"), as an ISO 8601 duration.
describe('parseDateOrShift', () => {
  it.each([
    ['一个月', 'P1M'],
    ['两个月', 'P2M'],
    ['3个月', 'P3M'],
    ['延长一个月', 'P1M'],
    ['再宽限10天', 'P10D'],
    ['两周', 'P14D'],
    ['一个星期', 'P7D'],
    ['半个月', 'P15D'],
    ['推迟二十天', 'P20D'],
    ['一个半月', 'P1M15D'],
    ['两个半月', 'P2M15D'],
    ['一个月零十天', 'P1M10D'],
    ['一个月又一周', 'P1M7D'],
    ['俩礼拜', 'P14D'],
    ['四十五天', 'P45D'],
    ['6周', 'P42D'],
    // Dates are still dates.
    ['2027-03-01', '2027-03-01'],
    ['2027年3月1日', '2027-03-01'],
  ])('%s → %s', (text, want) => {
    expect(value(parseDateOrShift(text, NOW))).toBe(want);
  });

  it('reads 3月 as a month whose day is asked for (never a shift), and says what it could not read', () => {
    // A month without its year is the next one, this one included, as a deadline is.
    expect(value(parseDateOrShift('3月', NOW))).toBe('2027-03');
    expect(value(parseDateOrShift('10月', NOW))).toBe('2026-10');
    expect(value(parseDateOrShift('明年10月', NOW))).toBe('2027-10');
    expect(value(parseDateOrShift('2026年3月', NOW))).toBe('2026-03');
    expect(value(parseDateOrShift('下个月', NOW))).toBe('2026-11');
    expect(error(parseDateOrShift('零个月', NOW))).toContain('零个月');
    expect(error(parseDateOrShift('半天', NOW))).toContain('半天');
    expect(error(parseDateOrShift('半个半月', NOW))).toContain('半个半月');
    expect(error(parseDateOrShift('半周', NOW))).toContain('半周');
  });

  it('is not what a plain date question takes', () => {
    expect(error(parseDate('一个月', NOW))).toContain('一个月');
  });
});

describe('parseDateOrShift with a festival', () => {
  // The 2025 arrangement as published: 春节 1-28 … 2-4, 清明 4-4 … 4-6, 劳动节 5-1 … 5-5, 端午 5-31 … 6-2,
  // 国庆 and 中秋 10-1 … 10-8; 2026's 元旦 1-1 … 1-3, with Sunday 1-4 a make-up working day.
  const EARLY_2025 = '2025-01-10';
  it.each([
    ['五一以后', '2025-05-06'],
    ['五一假期以后', '2025-05-06'],
    ['劳动节后', '2025-05-06'],
    ['春节后', '2025-02-05'],
    ['过完年', '2025-02-05'],
    ['年后', '2025-02-05'],
    ['清明后', '2025-04-07'],
    ['端午节以后', '2025-06-03'],
    ['十一以后', '2025-10-09'],
    ['国庆节假期结束后', '2025-10-09'],
    ['中秋后', '2025-10-09'],
    // This year's 元旦 is over: the next one.
    ['元旦后', '2026-01-04'],
  ])('%s → the first working day after its rest, %s', (text, want) => {
    expect(value(parseDateOrShift(text, EARLY_2025))).toBe(want);
  });

  it('reads a festival only with "after"', () => {
    expect(error(parseDateOrShift('五一', EARLY_2025))).toContain('五一');
    expect(error(parseDateOrShift('春节前', EARLY_2025))).toContain('春节前');
  });
});

describe('dayOfMonthSaid', () => {
  it.each([
    ['15号', '2027-03-15'],
    ['15', '2027-03-15'],
    ['十五日', '2027-03-15'],
    ['就15号吧', '2027-03-15'],
    ['月底', '2027-03-31'],
    ['最后一天', '2027-03-31'],
  ])('%s of 2027-03 → %s', (text, want) => {
    const r = dayOfMonthSaid(text, '2027-03');
    expect(r && value(r)).toBe(want);
  });

  it('says a day the month lacks, and leaves other words to be read as dates', () => {
    const r = dayOfMonthSaid('30号', '2027-02');
    expect(r && error(r)).toContain('2027年2月没有30日');
    expect(dayOfMonthSaid('4月1日', '2027-03')).toBeNull();
    expect(dayOfMonthSaid('资金没到位', '2027-03')).toBeNull();
  });
});

describe('parseYear', () => {
  it.each([
    ['2025', 2025],
    ['2025年', 2025],
    ['２０２５', 2025],
    ['2025年度', 2025],
    ['今年', 2026],
    ['去年', 2025],
    ['明年', 2027],
  ])('%s → %s', (text, year) => {
    expect(value(parseYear(text, NOW))).toBe(year);
  });

  it('refuses what is not a plausible year', () => {
    expect(error(parseYear('26', NOW))).toContain('26');
    expect(error(parseYear('20255', NOW))).toContain('20255');
    expect(error(parseYear('1800', NOW))).toContain('1800');
  });
});

describe('parseCode', () => {
  it('reads a code in any case, width and dash', () => {
    expect(value(parseCode('jy－2026－0012', ['JY']))).toBe('JY-2026-0012');
    expect(value(parseCode(' JY-2026-12345 ', ['JY']))).toBe('JY-2026-12345');
    expect(value(parseCode('ｑｊ２０２６０００１', ['QJ']))).toBe('QJ-2026-0001');
    expect(value(parseCode('HD-2026-0003', ['QJ', 'JY', 'JD', 'HD']))).toBe('HD-2026-0003');
  });

  it('says which kind of code was given and which is needed', () => {
    const e = error(parseCode('QJ-2026-0001', ['JY']));
    expect(e).toContain('请假编号');
    expect(e).toContain('建议编号');
  });

  it('refuses a malformed code', () => {
    expect(error(parseCode('JY-26-1', ['JY']))).toContain('JY-26-1');
    expect(error(parseCode('JY-2026-0012 多余', ['JY']))).toContain('不是有效的编号');
    expect(error(parseCode('', ['JY']))).toContain('JY-2026-0012');
  });
});

describe('parseOrgans', () => {
  it('takes the first as the lead organ and the rest as assisting ones', () => {
    expect(value(parseOrgans('市交通局、市公安局、市城管局'))).toEqual({
      lead: '市交通局',
      assisting: ['市公安局', '市城管局'],
    });
  });

  it('splits on 、 ， , ； and spaces, and drops repeats', () => {
    expect(value(parseOrgans('市交通局，市公安局;市公安局 市城管局。'))).toEqual({
      lead: '市交通局',
      assisting: ['市公安局', '市城管局'],
    });
  });

  it('keeps 和 inside a name', () => {
    expect(value(parseOrgans('市住房和城乡建设局'))).toEqual({ lead: '市住房和城乡建设局', assisting: [] });
  });

  it('drops 承办/协办 labels', () => {
    expect(value(parseOrgans('承办：市交通局；协办：市公安局'))).toEqual({
      lead: '市交通局',
      assisting: ['市公安局'],
    });
  });

  it('reads the lead and assisting organs as offices write them', () => {
    const split = { lead: '市水务局', assisting: ['市住建局'] };
    expect(value(parseOrgans('市水务局牵头，市住建局协办'))).toEqual(split);
    expect(value(parseOrgans('市水务局（主办）、市住建局（协办）'))).toEqual(split);
    // The one said to lead leads, wherever it is named.
    expect(value(parseOrgans('市住建局协办，市水务局牵头'))).toEqual(split);
    expect(value(parseOrgans('市水务局和市住建局'))).toEqual(split);
    expect(value(parseOrgans('由市住建局承办'))).toEqual({ lead: '市住建局', assisting: [] });
    // 和 inside a name after no organ's last character stays.
    expect(value(parseOrgans('市人力资源和社会保障局'))).toEqual({
      lead: '市人力资源和社会保障局',
      assisting: [],
    });
  });

  it('refuses an empty list or a name that is no name', () => {
    expect(error(parseOrgans(''))).toContain('承办单位');
    expect(error(parseOrgans('、、'))).toContain('承办单位');
    expect(error(parseOrgans('市交通局、123'))).toContain('“123”不像单位名称');
  });
});

describe('parseTargets', () => {
  it('reads 全体 and its variants as everyone', () => {
    for (const t of ['全体', '全体代表', '所有群', '大家', 'ALL'])
      expect(value(parseTargets(t))).toEqual({ all: true });
  });

  it('reads group names', () => {
    expect(value(parseTargets('第一代表小组、第二代表小组'))).toEqual({
      all: false,
      groups: ['第一代表小组', '第二代表小组'],
    });
  });

  it('refuses 全体 mixed with names, and nothing at all', () => {
    expect(error(parseTargets('全体、第一代表小组'))).toContain('全体');
    expect(error(parseTargets(' '))).toContain('群名');
  });
});

describe('parseMeeting', () => {
  it('reads an activity code or a name', () => {
    expect(value(parseMeeting('hd-2026-0003'))).toEqual({ code: 'HD-2026-0003' });
    expect(value(parseMeeting('明天的常委会。'))).toEqual({ name: '明天的常委会' });
  });

  it('refuses a code of another kind, and nothing at all', () => {
    expect(error(parseMeeting('JY-2026-0012'))).toContain('活动编号');
    expect(error(parseMeeting(''))).toContain('会议或活动');
  });
});

describe('no parser throws', () => {
  it('on any text, every parser answers a value or a non-empty error', () => {
    const parsers: ((s: string) => Parsed<unknown>)[] = [
      (s) => parseMonth(s, NOW),
      (s) => parseDate(s, NOW),
      (s) => parseDateOrShift(s, NOW),
      (s) => parseYear(s, NOW),
      (s) => parseCode(s, ['JY']),
      parseOrgans,
      parseTargets,
      parseMeeting,
    ];
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('2026-13', '2026-02-30', '13月', '0月', '二〇二六年十三月', '99月99日', '9999-99-99'),
      fc
        .array(
          fc.constantFrom(
            '2026',
            '年',
            '月',
            '日',
            '-',
            '.',
            '十',
            '二',
            '三',
            '下个',
            '上',
            '号',
            '3',
            '31',
            ' ',
          ),
          {
            maxLength: 8,
          },
        )
        .map((a) => a.join('')),
    );
    fc.assert(
      fc.property(text, (s) => {
        for (const p of parsers) {
          const r = p(s);
          if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
