import { dateOf, dayNumber, daysInMonth, fromDayNumber, weekdayOf } from './calendar-date.ts';

// Reads the State Council's yearly holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知) as
// published: each festival's days off and its make-up working days (调休上班). The arrangement is the
// one 《全国年节及纪念日放假办法》 第六条 leaves to the yearly notice. Reading is all or nothing: a line
// of the arrangement that is not understood in full refuses the whole text, naming that line, so a
// half-read year is never recorded.
//
// The notice's items look like
//   一、元旦：1月1日（周三）放假1天，不调休。
//   二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
//   五、端午节：6月10日放假，与周末连休。
// A date may carry its year (2018年12月30日至2019年1月1日); without one it is the notice's year, except a
// December date in the 元旦 item, which is the eve of the notice's year (12月31日 of the year before),
// and a bare day (「至6日」), which is in the month and year of the date before it.

export interface NoticeDay {
  date: string;
  /** true: a make-up working day (调休上班); false: a day off. */
  work: boolean;
  /** The item's festival as the notice names it (春节, 国庆节、中秋节 …). */
  festival: string;
}

export interface HolidayNotice {
  year: number;
  /** 国务院办公厅关于2027年部分节假日安排的通知 */
  title: string;
  /** 国办发明电〔2026〕7号, when the text carries it. */
  number: string | null;
  /** The notice's date (成文日期), YYYY-MM-DD. */
  issuedOn: string;
  /** Every day the notice names, in date order. */
  days: NoticeDay[];
}

export interface NoticeReadError {
  /** 1-based line of the pasted text; null when the text as a whole lacks something. */
  line: number | null;
  /** The line as pasted (trimmed). */
  text: string | null;
  /** For staff (zh-CN), quoting the line. */
  message: string;
}

export type NoticeReadResult = { ok: true; value: HolidayNotice } | { ok: false; error: NoticeReadError };

/** The festivals every yearly notice arranges (《全国年节及纪念日放假办法》 第二条). */
export const NOTICE_FESTIVALS = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'] as const;

const NUMERALS = '一二三四五六七八九十';
const numeralValue = (s: string): number => {
  // 一 … 十, 十一 … 十九 (a notice has at most eight items).
  if (s === '十') return 10;
  if (s.startsWith('十')) return 10 + NUMERALS.indexOf(s[1]!) + 1;
  return NUMERALS.indexOf(s) + 1;
};
const numeralOf = (n: number): string => (n <= 10 ? NUMERALS[n - 1]! : `十${NUMERALS[n - 11]}`);

// Half-width forms (as some reprints carry them) are read like the official full-width ones.
const normalizeLine = (s: string): string =>
  s
    .replace(/[\s\u3000]+/g, '')
    .replace(/：/g, ':')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/，/g, ',')
    .replace(/。/g, '.')
    .replace(/；/g, ';')
    .replace(/[［[]/g, '〔')
    .replace(/[］\]]/g, '〕');

const TITLE_RE = /国务院办公厅关于(\d{4})年部分节假日安排的通知/;
const NUMBER_RE = /国办发(?:明电)?〔\d{4}〕\d+号/;
const ISSUED_RE = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/;
const ITEM_RE = /^([一二三四五六七八九十]{1,2})、(.*)$/;
const WEEKDAY_RE = /^(?:周|星期)([一二三四五六日天])$/;
const WEEKDAY_INDEX: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };

class Unreadable extends Error {}

interface Cursor {
  s: string;
  pos: number;
}

const eat = (c: Cursor, word: string): boolean => {
  if (!c.s.startsWith(word, c.pos)) return false;
  c.pos += word.length;
  return true;
};

interface DateContext {
  year: number;
  /** The year of the date read last (for 「至6日」). */
  lastYear: number | null;
  month: number | null;
  newYearItem: boolean;
}

const TOKEN_RE = /(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^)]*)\))?/y;

/** One date (with its optional annotation, e.g. （农历除夕、周二）), its weekday checked; null if none here. */
function readDate(c: Cursor, ctx: DateContext, monthRequired: boolean): string | null {
  TOKEN_RE.lastIndex = c.pos;
  const m = TOKEN_RE.exec(c.s);
  if (!m) return null;
  if (!m[2] && (monthRequired || ctx.month === null)) throw new Unreadable(`“${m[0]}”缺少月份`);
  // 「至6日」 names only the day: the month and year of the date before it.
  const month = m[2] ? Number(m[2]) : ctx.month!;
  const day = Number(m[3]);
  const year = m[1]
    ? Number(m[1])
    : !m[2] && ctx.lastYear !== null
      ? ctx.lastYear
      : ctx.newYearItem && month === 12
        ? ctx.year - 1
        : ctx.year;
  ctx.month = month;
  ctx.lastYear = year;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new Unreadable(`${year}年${month}月${day}日不是有效的日期`);
  }
  const date = dateOf(year, month, day);
  for (const part of (m[4] ?? '').split('、').filter((p) => p !== '')) {
    const w = WEEKDAY_RE.exec(part);
    if (w) {
      if (WEEKDAY_INDEX[w[1]!] !== weekdayOf(date)) {
        throw new Unreadable(`${month}月${day}日不是${part}，请核对年份和日期`);
      }
    } else if (!part.startsWith('农历')) {
      throw new Unreadable(`无法识别括号中的“${part}”`);
    }
  }
  c.pos = TOKEN_RE.lastIndex;
  return date;
}

function range(from: string, to: string): string[] {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (b < a || b - a > 31) throw new Unreadable(`${from} 至 ${to} 不是有效的放假时段`);
  return Array.from({ length: b - a + 1 }, (_, i) => fromDayNumber(a + i));
}

// What may follow 放假/放假调休 in a days-off sentence: the count (checked), and the usual remarks.
const TAIL_RE = /^(?:共)?(\d+)天$|^不调休$|^与周[末六日]连休$/;

/** 「1月28日（…）至2月4日（…）放假调休，共8天」 → the days off; null when the sentence is not of that kind. */
function readDaysOff(sentence: string, ctx: DateContext): string[] | null {
  const c: Cursor = { s: sentence, pos: 0 };
  const from = readDate(c, ctx, true);
  if (!from) return null;
  let to = from;
  if (eat(c, '至')) {
    const end = readDate(c, ctx, false);
    if (!end) throw new Unreadable('“至”后面缺少日期');
    to = end;
  }
  if (!eat(c, '放假')) return null;
  eat(c, '调休');
  const days = range(from, to);
  const tail = c.s.slice(c.pos);
  for (const clause of tail.split(',').filter((x) => x !== '')) {
    const t = TAIL_RE.exec(clause);
    if (!t) throw new Unreadable(`无法识别“${clause}”`);
    if (t[1] !== undefined && Number(t[1]) !== days.length) {
      throw new Unreadable(`写明共 ${t[1]} 天，但 ${from} 至 ${to} 是 ${days.length} 天`);
    }
  }
  return days;
}

/** 「1月26日（周日）、2月8日（周六）上班」 → the make-up working days; null when not of that kind. */
function readWorkdays(sentence: string, ctx: DateContext): string[] | null {
  if (!sentence.endsWith('上班')) return null;
  const c: Cursor = { s: sentence.slice(0, -'上班'.length), pos: 0 };
  const days: string[] = [];
  do {
    const d = readDate(c, ctx, days.length === 0);
    if (!d) return null;
    days.push(d);
  } while (eat(c, '、'));
  return c.pos === c.s.length ? days : null;
}

function readItem(body: string, year: number): { festival: string; off: string[]; work: string[] } {
  const colon = body.indexOf(':');
  if (colon < 0) throw new Unreadable('缺少节日名称后的冒号');
  const festival = body.slice(0, colon);
  const names = festival.split('、');
  for (const n of names) {
    if (!(NOTICE_FESTIVALS as readonly string[]).includes(n)) throw new Unreadable(`“${n}”不是法定节日`);
  }
  const ctx: DateContext = { year, lastYear: null, month: null, newYearItem: names.includes('元旦') };
  const off: string[] = [];
  const work: string[] = [];
  const sentences = body
    .slice(colon + 1)
    .split('.')
    .filter((s) => s !== '');
  if (sentences.length === 0) throw new Unreadable('没有写明放假日期');
  for (const s of sentences) {
    // 「鼓励各单位……安排职工在除夕（2月9日）休息」 encourages; it arranges nothing.
    if (s.startsWith('鼓励')) continue;
    const daysOff = readDaysOff(s, ctx);
    if (daysOff) {
      off.push(...daysOff);
      continue;
    }
    const workdays = readWorkdays(s, ctx);
    if (workdays) {
      work.push(...workdays);
      continue;
    }
    throw new Unreadable(`无法识别“${s}”`);
  }
  if (off.length === 0) throw new Unreadable('没有写明放假日期');
  return { festival, off, work };
}

/** Reads a pasted notice in full, or says which line it could not read. */
export function readHolidayNotice(text: string): NoticeReadResult {
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const lines = raw.map((l, i) => ({ no: i + 1, raw: l.trim(), s: normalizeLine(l) }));
  const fail = (line: { no: number; raw: string } | null, reason: string): NoticeReadResult => ({
    ok: false,
    error: {
      line: line?.no ?? null,
      text: line?.raw ?? null,
      message: line ? `第 ${line.no} 行无法读取：“${line.raw}”——${reason}` : reason,
    },
  });

  // The title may be broken over two lines (as on www.gov.cn): look for it in the whole text.
  const joined = lines.map((l) => l.s).join('');
  const title = TITLE_RE.exec(joined);
  if (!title)
    return fail(null, '没有找到通知标题“国务院办公厅关于YYYY年部分节假日安排的通知”，请粘贴通知全文');
  const year = Number(title[1]);
  const number = NUMBER_RE.exec(joined);
  const issuedLine = [...lines].reverse().find((l) => ISSUED_RE.test(l.s));
  if (!issuedLine) return fail(null, '没有找到通知末尾的成文日期（如“2026年11月4日”），请粘贴通知全文');
  const im = ISSUED_RE.exec(issuedLine.s)!;
  const [iy, imon, iday] = [Number(im[1]), Number(im[2]), Number(im[3])];
  if (imon < 1 || imon > 12 || iday < 1 || iday > daysInMonth(iy, imon)) {
    return fail(issuedLine, '不是有效的日期');
  }

  const days = new Map<string, NoticeDay & { line: number }>();
  const festivals = new Set<string>();
  let expected = 1;
  for (const line of lines) {
    const item = ITEM_RE.exec(line.s);
    if (!item) continue;
    if (numeralValue(item[1]!) !== expected) {
      return fail(line, `应为第${numeralOf(expected)}项，请检查是否漏掉了前面的内容`);
    }
    expected++;
    let read: ReturnType<typeof readItem>;
    try {
      read = readItem(item[2]!, year);
    } catch (e) {
      if (e instanceof Unreadable) return fail(line, e.message);
      throw e;
    }
    for (const n of read.festival.split('、')) festivals.add(n);
    for (const [list, work] of [
      [read.off, false],
      [read.work, true],
    ] as const) {
      for (const date of list) {
        const seen = days.get(date);
        if (seen) return fail(line, `${date} 已在第 ${seen.line} 行安排过`);
        days.set(date, { date, work, festival: read.festival, line: line.no });
      }
    }
  }
  if (expected === 1) return fail(null, '没有找到“一、元旦：……”这样的放假安排，请粘贴通知全文');
  const missing = NOTICE_FESTIVALS.filter((f) => !festivals.has(f));
  if (missing.length > 0) {
    return fail(null, `通知中没有找到${missing.join('、')}的安排，请粘贴通知全文`);
  }
  const inYear = [...days.keys()].filter((d) => d.startsWith(`${year}-`)).length;
  if (inYear < days.size / 2) return fail(null, `通知标题是 ${year} 年，但安排的日期大多不在 ${year} 年`);
  return {
    ok: true,
    value: {
      year,
      title: title[0],
      number: number ? number[0] : null,
      issuedOn: dateOf(iy, imon, iday),
      days: [...days.values()]
        .sort((a, b) => a.date.localeCompare(b.date))
        .map(({ date, work, festival }) => ({ date, work, festival })),
    },
  };
}
