import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../src/statute/calendar.ts';
import { readHolidayNotice } from '../../src/statute/holiday-notice.ts';
import { publishedCalendar, withNotices } from '../../src/statute/published-calendar.ts';

// The State Council's notices for 2024–2026 as published (test/fixtures/holiday-notice-YYYY.txt) read
// into calendars equal, day by day, to what the holiday package carries for those years.

const fixture = (year: number) =>
  readFileSync(new URL(`../fixtures/holiday-notice-${year}.txt`, import.meta.url), 'utf8');

// A calendar that knows nothing of the package's arrangements: only what a notice says.
const bare = { ...publishedCalendar, years: new Set<number>(), days: new Map() };

describe('reading the State Council holiday notice', () => {
  for (const [year, title, number, issuedOn] of [
    [2024, '国务院办公厅关于2024年部分节假日安排的通知', '国办发明电〔2023〕7号', '2023-10-25'],
    [2025, '国务院办公厅关于2025年部分节假日安排的通知', '国办发明电〔2024〕12号', '2024-11-12'],
    [2026, '国务院办公厅关于2026年部分节假日安排的通知', '国办发明电〔2025〕7号', '2025-11-04'],
  ] as const) {
    it(`reads the ${year} notice into the package's calendar, day by day`, () => {
      const r = readHolidayNotice(fixture(year));
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value).toMatchObject({ year, title, number, issuedOn });
      expect(r.value.days.every((d) => d.date.startsWith(`${year}-`))).toBe(true);

      const fromNotice = new WorkCalendar(
        [],
        withNotices(
          bare,
          r.value.days.map((d) => ({ noticeYear: year, ...d })),
        ),
      );
      const fromPackage = new WorkCalendar([]);
      const mine = fromNotice.yearDays(year);
      const theirs = fromPackage.yearDays(year);
      if (!mine.ok || !theirs.ok) throw new Error('year unknown');
      expect(mine.value).toHaveLength(theirs.value.length);
      mine.value.forEach((d, i) => {
        const p = theirs.value[i]!;
        expect({ date: d.date, kind: d.kind, makeup: d.makeup ?? false, source: d.source }).toEqual({
          date: p.date,
          kind: p.kind,
          makeup: p.makeup ?? false,
          source: 'published',
        });
        // The package names 清明/端午/中秋 without 节; a combined item (国庆节、中秋节) names both.
        if (p.name) expect(d.name).toContain(p.name.replace('调休上班', ''));
      });
    });
  }

  it('reads half-width punctuation and a title broken over two lines as the official text', () => {
    const text = fixture(2025)
      .replace(/：/g, ':')
      .replace(/（/g, '(')
      .replace(/）/g, ')')
      .replace(/，/g, ',');
    const a = readHolidayNotice(text);
    const b = readHolidayNotice(fixture(2025));
    expect(a.ok && b.ok && a.value.days).toEqual(b.ok && b.value.days);
  });

  it('takes a December date of the 元旦 item, and a date with its own year, as the year before', () => {
    const text = fixture(2026)
      .replace('1月4日（周日）上班', '2025年12月28日（周日）、1月4日（周日）上班')
      .replace('七、国庆节：10月1日（周四）', '七、国庆节：10月1日（周四）');
    const r = readHolidayNotice(text);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.days.find((d) => d.date === '2025-12-28')).toEqual({
      date: '2025-12-28',
      work: true,
      festival: '元旦',
    });
    const eve = readHolidayNotice(fixture(2026).replace('1月4日（周日）上班', '12月28日（周日）上班'));
    expect(eve.ok && eve.value.days.some((d) => d.date === '2025-12-28' && d.work)).toBe(true);
  });

  it('refuses a text it cannot read in full, naming the line', () => {
    const cases: [string, string, string | null, RegExp][] = [
      // a day count that is not a number
      ['共3天。\n\n　　四', '共三天。\n\n　　四', '三、清明节', /无法识别“共三天”/],
      // a weekday that does not match the date (a typo in the month)
      ['5月31日（周六）', '5月30日（周六）', '五、端午节', /不是周六/],
      // a count that does not match the range
      ['至8日（周三）放假调休，共8天', '至8日（周三）放假调休，共7天', '六、国庆节', /共 7 天/],
      // an item lost in the middle
      [
        '　　四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。\n',
        '',
        '五、端午节',
        /应为第四项/,
      ],
      // a festival the law does not know
      ['五、端午节', '五、端阳节', '五、端阳节', /“端阳节”不是法定节日/],
      // a sentence the arrangement does not use
      ['4月27日（周日）上班。', '4月27日（周日）照常上班。', '四、劳动节', /无法识别/],
      // a date that does not exist
      ['5月31日（周六）至6月2日', '5月31日（周六）至6月31日', '五、端午节', /不是有效的日期/],
      // no date at the end: not the whole notice
      ['2024年11月12日', '', null, /成文日期/],
      // not the notice at all
      ['国务院办公厅关于2025年\n部分节假日安排的通知', '关于放假的说明', null, /没有找到通知标题/],
    ];
    for (const [from, to, needle, message] of cases) {
      const text = fixture(2025).replace(from, to);
      expect(text).not.toBe(fixture(2025));
      const line = needle === null ? null : text.split('\n').findIndex((l) => l.includes(needle)) + 1;
      const r = readHolidayNotice(text);
      expect(r.ok, `${from} → ${to}`).toBe(false);
      if (r.ok) continue;
      expect({ to, line: r.error.line }).toEqual({ to, line });
      expect(r.error.message).toMatch(message);
      if (line !== null) expect(r.error.message).toContain(`第 ${line} 行`);
    }
    // A missing festival (the last item dropped, numbering still consecutive).
    const short = readHolidayNotice(fixture(2025).replace(/　　六、国庆节、中秋节：.*\n/, ''));
    expect(short.ok ? null : short.error.message).toMatch(/没有找到中秋节、国庆节的安排/);
  });
});
