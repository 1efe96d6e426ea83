import type { SessionRow } from '../../../db/repositories/sessions.ts';
import type { ActivityKind, CongressLevel } from '../../../db/schema.ts';
import { addDays, dateOf, isValidDate, mondayOf, namedWeekday } from '../../statute/calendar-date.ts';
import { WEEKDAY_BY_CHAR } from '../../statute/date-text.ts';
import { LEVEL_WORD } from '../../statute/rules.ts';

// A meeting as a deputy names it ("明天的常委会会议", "第二次会议") matched against the sessions registered
// for their congress. Pure: the caller passes today and the candidates.

const RELATIVE: readonly [RegExp, number][] = [
  [/大后天/, 3],
  [/后天/, 2],
  [/明天|明日/, 1],
  [/今天|今日/, 0],
];

/** A date the name carries (明天, 12月1日, 2026-12-01), and the name without it. */
export function dateHint(name: string, today: string): { date: string | null; rest: string } {
  for (const [re, days] of RELATIVE) {
    if (re.test(name)) return { date: addDays(today, days), rest: name.replace(re, '') };
  }
  const iso = /(\d{4})-(\d{1,2})-(\d{1,2})/.exec(name);
  if (iso) {
    const d = dateOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    if (isValidDate(d)) return { date: d, rest: name.replace(iso[0], '') };
  }
  const md = /(\d{1,2})月(\d{1,2})[日号]/.exec(name);
  if (md) {
    const year = Number(today.slice(0, 4));
    let d = dateOf(year, Number(md[1]), Number(md[2]));
    if (isValidDate(d) && d < addDays(today, -180)) d = dateOf(year + 1, Number(md[1]), Number(md[2]));
    if (isValidDate(d)) return { date: d, rest: name.replace(md[0], '') };
  }
  return { date: null, rest: name };
}

const clean = (s: string): string =>
  s
    .replace(/[\s，,。.、:：“”"'《》()（）]/g, '')
    .replace(/^(?:参加|出席|去|开)/, '')
    .replace(/的/g, '')
    // People say 人大 for 人民代表大会 and 常委会 for 常务委员会.
    .replace(/人民代表大会/g, '人大')
    .replace(/常务委员会/g, '常委会');

function bigrams(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) out.push(s.slice(i, i + 2));
  return out;
}

/** How well a spoken name fits a session's name, 0–1. */
export function nameScore(spoken: string, sessionName: string): number {
  const a = clean(spoken);
  const b = clean(sessionName);
  if (a === '') return 0;
  if (a === b) return 1;
  if (b.includes(a) || a.includes(b)) return 0.9;
  const grams = bigrams(a);
  if (grams.length === 0) return b.includes(a) ? 0.9 : 0;
  const hit = grams.filter((g) => b.includes(g)).length;
  return (hit / grams.length) * 0.8;
}

const THRESHOLD = 0.5;

/** The sessions the name may mean, best first: one is a match, several a choice, none a miss. */
export function matchSessions(spoken: string, sessions: SessionRow[], today: string): SessionRow[] {
  const exact = sessions.filter((s) => clean(s.name) === clean(spoken));
  if (exact.length > 0) return exact;
  const { date, rest } = dateHint(spoken, today);
  const onDate = date === null ? sessions : sessions.filter((s) => s.starts_on <= date && date <= s.ends_on);
  const generic = clean(rest).replace(/会议|会/g, '') === '';
  if (generic) return onDate;
  const scored = onDate
    .map((s) => ({ s, score: nameScore(rest, s.name) }))
    .filter((x) => x.score >= THRESHOLD)
    .sort((x, y) => y.score - x.score);
  if (scored.length === 0) return [];
  const best = scored[0]!.score;
  // Several equally good fits are a choice; a clearly better one wins.
  return scored.filter((x) => x.score >= best - 0.05).map((x) => x.s);
}

// ---- meetings and activities the way people name them -------------------------------------------
// "十号的常委会", "人代会", "12月10号那个会", "下礼拜三的常委会", "8号的小组学习", "省人大会议": the sessions of
// the deputy's congresses and the activities the deputy is invited to, by day words, kind and name.

/** One thing a deputy may ask leave from: a session (山西 第八条) or an invited activity (大同 第十一条). */
export interface MeetingCandidate {
  /** `session:<id>` or the activity's HD code. */
  ref: string;
  name: string;
  kind: 'session' | ActivityKind;
  congressLevel: CongressLevel;
  startsOn: string;
  endsOn: string;
}

/** WeCom suggests a button text of at most 10 characters (template_card button_list.text). */
const BUTTON_MAX = 10;

/**
 * A meeting as a button says it: a session by its level and number ("市人代会第七次会议") rather than the
 * congress's whole name; anything still too long is cut, the full name staying in the message above it.
 */
export function meetingButtonLabel(m: MeetingCandidate): string {
  const short =
    m.kind === 'session'
      ? m.name.replace(/^.*?人民代表大会(?=第)/, `${LEVEL_WORD[m.congressLevel]}人代会`)
      : m.name;
  return [...short].length > BUTTON_MAX + 2 ? `${[...short].slice(0, BUTTON_MAX).join('')}…` : short;
}

// 〇 and 两 are spoken forms of 零 and 二.
const cnDigit = (c: string): number | null => {
  const i = '零一二三四五六七八九'.indexOf(c.replace('〇', '零').replace('两', '二'));
  return i < 0 ? null : i;
};

/** 1–31 written as digits or in Chinese (十, 十二, 二十一, 三十). */
function smallNum(s: string): number | null {
  if (/^\d{1,2}$/.test(s)) return Number(s);
  if (!/^[零〇一二两三四五六七八九十]{1,3}$/.test(s)) return null;
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 ? cnDigit(s) : null;
  const tens = ten === 0 ? 1 : ten === 1 ? cnDigit(s[0]!) : null;
  const ones = ten === s.length - 1 ? 0 : s.length - ten === 2 ? cnDigit(s[ten + 1]!) : null;
  return tens === null || ones === null ? null : tens * 10 + ones;
}

const NUM = '(\\d{1,2}|[零〇一二两三四五六七八九十]{1,3})';
/** Years said before a month, from this year. */
const YEAR_WORDS: Readonly<Record<string, number>> = { 今年: 0, 明年: 1, 来年: 1, 后年: 2 };
const WEEK = '(?:礼拜|星期|周)';

export interface DayRange {
  from: string;
  to: string;
  /** The words that named it, to be taken out of the name. */
  words: string;
}

/** The day or days a meeting's name points at (今天, 下礼拜三, 十号, 12月10号, 这周, 一月份, 下个月), or null. */
export function dayRange(text: string, today: string): DayRange | null {
  const one = (d: string, words: string): DayRange => ({ from: d, to: d, words });
  for (const [re, days] of RELATIVE) {
    const m = re.exec(text);
    if (m) return one(addDays(today, days), m[0]);
  }
  const iso = /(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?/.exec(text);
  if (iso) {
    const d = dateOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    if (isValidDate(d)) return one(d, iso[0]);
  }
  const year = Number(today.slice(0, 4));
  // "明年一月份", "今年12月10号": the year said with the month.
  const yearWord = new RegExp(`(${Object.keys(YEAR_WORDS).join('|')})(?=${NUM}月)`).exec(text);
  const saidYear = yearWord ? year + YEAR_WORDS[yearWord[1]!]! : null;
  const withYear = (words: string) => (yearWord ? `${yearWord[0]}${words}` : words);
  // "下个月十二号", "这个月20号": a day of a month named by its distance.
  const relDay = new RegExp(`(下个?月|这个?月|本月)${NUM}[日号]`).exec(text);
  if (relDay) {
    const next = relDay[1]!.startsWith('下');
    const m = Number(today.slice(5, 7));
    const da = smallNum(relDay[2]!);
    const d =
      da === null ? '' : next && m === 12 ? dateOf(year + 1, 1, da) : dateOf(year, m + (next ? 1 : 0), da);
    if (isValidDate(d)) return one(d, relDay[0]);
  }
  const md = new RegExp(`${NUM}月${NUM}[日号]`).exec(text);
  if (md) {
    const mo = smallNum(md[1]!);
    const da = smallNum(md[2]!);
    if (mo !== null && da !== null) {
      let d = dateOf(saidYear ?? year, mo, da);
      if (saidYear === null && isValidDate(d) && d < addDays(today, -180)) d = dateOf(year + 1, mo, da);
      if (isValidDate(d)) return one(d, withYear(md[0]));
    }
  }
  const wd = new RegExp(`(下下|下个?|这个?|本)?${WEEK}([一二三四五六日天七])`).exec(text);
  if (wd) {
    const weeks = wd[1]?.startsWith('下下') ? 2 : wd[1]?.startsWith('下') ? 1 : 0;
    return one(namedWeekday(today, weeks, WEEKDAY_BY_CHAR[wd[2]!]!, !wd[1]), wd[0]);
  }
  // "这周", "本礼拜", "下个星期": the whole week, Monday to Sunday.
  const week = new RegExp(`(下个?|这个?|本)${WEEK}`).exec(text);
  if (week) {
    const monday = addDays(mondayOf(today), week[1]!.startsWith('下') ? 7 : 0);
    return { from: monday, to: addDays(monday, 6), words: week[0] };
  }
  const day = new RegExp(`(?:^|[^月\\d零〇一二两三四五六七八九十])${NUM}[日号]`).exec(text);
  if (day) {
    const da = smallNum(day[1]!);
    if (da !== null && da >= 1 && da <= 31) {
      const [y, m] = [year, Number(today.slice(5, 7))];
      let d = dateOf(y, m, da);
      if (!isValidDate(d) || d < today) d = m === 12 ? dateOf(y + 1, 1, da) : dateOf(y, m + 1, da);
      if (isValidDate(d)) return one(d, day[0].slice(day[0].length - day[1]!.length - 1));
    }
  }
  const rel = /(下个?月|这个?月|本月)/.exec(text);
  const month = rel ?? new RegExp(`${NUM}月份?`).exec(text);
  if (month) {
    let y = year;
    let mo: number | null;
    if (rel) {
      mo = Number(today.slice(5, 7)) + (rel[1]!.startsWith('下') ? 1 : 0);
    } else {
      mo = smallNum(month[1]!);
      // "十三月" is no month.
      if (mo !== null && mo > 12) return null;
      if (saidYear !== null) y = saidYear;
      else if (mo !== null && mo < Number(today.slice(5, 7))) y++;
    }
    if (mo !== null && mo >= 1) {
      if (mo > 12) {
        mo -= 12;
        y++;
      }
      if (mo <= 12) {
        const from = dateOf(y, mo, 1);
        const to = dateOf(y, mo, new Date(Date.UTC(y, mo, 0)).getUTCDate());
        return { from, to, words: rel ? month[0] : withYear(month[0]) };
      }
    }
  }
  return null;
}

/** Kinds of meeting as people say them: which candidates each word means. */
/** A session of the standing committee, named either way ("…常务委员会第三十次会议"). */
const isStandingCommittee = (name: string): boolean => /常委会|常务委员会/.test(name);

const KIND_WORDS: readonly [RegExp, (c: MeetingCandidate) => boolean][] = [
  // 人代会: a session of the people's congress itself, not of its standing committee.
  [
    /人代会|人民代表大会会议|人大会议?|代表大会|大会/,
    (c) => c.kind === 'session' && !isStandingCommittee(c.name),
  ],
  // 常委会: the standing committee meeting the deputy sits in on (大同 第七条(一)), or one registered as a session.
  [
    /常委会|常务委员会/,
    (c) => c.kind === 'sitting_in' || (c.kind === 'session' && isStandingCommittee(c.name)),
  ],
  [
    /小组学习|集体学习|学习|培训/,
    (c) => c.kind === 'study' || (c.kind === 'small_group' && c.name.includes('学习')),
  ],
  [/视察|调研|检查/, (c) => c.kind === 'inspection'],
  [/小组活动|小组/, (c) => c.kind === 'small_group'],
  [/大组/, (c) => c.kind === 'large_group'],
  [/联络站|接待群众|进站/, (c) => c.kind === 'station'],
  [/建言献策/, (c) => c.kind === 'campaign'],
];

const LEVEL_WORDS: readonly [RegExp, CongressLevel][] = [
  [/省人大|省里|省级|省/, 'province'],
  [/市人大|市里|市级/, 'city'],
  [/县人大|区人大|县里|区里/, 'county'],
  [/镇人大|乡人大|镇里|乡里/, 'township'],
];

// Fillers of speech too: "就是一月份开大会那个", "俺下个月那个会"; "视察那天" points at the day of the 视察.
const GENERIC =
  /那个|这个|那次|这次|那场|那一?天|当天|这天|的时候|就是|的|会议|会|活动|我|俺|咱|要|想|参加|开/g;

/** "那个活动", "会": words that name no meeting in particular. */
export const namesNoMeeting = (spoken: string): boolean => clean(spoken).replace(GENERIC, '') === '';

/**
 * The candidates a spoken name may mean, best first: one is a match, several a choice, none a miss.
 * Day words narrow by date, kind words by kind, a level word (省人大) by congress, the rest by name.
 */
export function matchMeetings(
  spoken: string,
  candidates: MeetingCandidate[],
  today: string,
): MeetingCandidate[] {
  const said = spoken.trim();
  const exact = candidates.filter((c) => c.ref === said || clean(c.name) === clean(said));
  if (exact.length > 0) return exact;
  let pool = candidates;
  let rest = said;
  const range = dayRange(rest, today);
  if (range) {
    const on = (r: { from: string; to: string }) =>
      candidates.filter((c) => c.startsOn <= r.to && r.from <= c.endsOn);
    pool = on(range);
    // "礼拜三那个常委会" with nothing this Wednesday: the next one.
    if (pool.length === 0 && /^(?:礼拜|星期|周)/.test(range.words)) {
      pool = on({ from: addDays(range.from, 7), to: addDays(range.to, 7) });
    }
    rest = rest.replace(range.words, '');
  }
  let levelNamed = false;
  for (const [re, level] of LEVEL_WORDS) {
    const m = re.exec(rest);
    if (m) {
      pool = pool.filter((c) => c.congressLevel === level);
      rest = rest.replace(m[0], '');
      levelNamed = true;
      break;
    }
  }
  for (const [re, fits] of KIND_WORDS) {
    const m = re.exec(rest);
    if (m) {
      const kinds = pool.filter(fits);
      // A kind word that fits nothing may still be part of a name ("第七次会议" says 会 too).
      if (kinds.length > 0) {
        pool = kinds;
        rest = rest.replace(m[0], '');
      }
      break;
    }
  }
  if (namesNoMeeting(rest)) {
    // "市人大会议", "省人大的会": the congress's own session.
    const sessions = pool.filter((c) => c.kind === 'session');
    if (levelNamed && sessions.length > 0) return sessions;
    return range || pool !== candidates ? pool : [];
  }
  const scored = pool
    .map((c) => ({ c, score: nameScore(rest, c.name) }))
    .filter((x) => x.score >= THRESHOLD)
    .sort((x, y) => y.score - x.score);
  // "18号的走访社区活动": one thing on that day, named loosely.
  if (scored.length === 0)
    return range && pool.length === 1 && nameScore(rest, pool[0]!.name) >= 0.25 ? pool : [];
  const best = scored[0]!.score;
  return scored.filter((x) => x.score >= best - 0.05).map((x) => x.c);
}

// ---- several meetings in one name; the one of the week said ------------------------------------

/** Words that join meetings named together ("常委会和人代会", "人代会、常委会"). */
const JOINED = /以及|还有|和|跟|与|及|、|,|，/g;
/** Words after the last of them that say "both" ("常委会和人代会都"). */
const BOTH_TAIL = /(?:都|也|俩|两个|这两个)+$/;
/** Whether words name a meeting of their own: a kind word, or a meeting's last word. */
const namesAMeeting = (part: string): boolean =>
  KIND_WORDS.some(([re]) => re.test(part)) || /会议|会$|活动/.test(part);

/**
 * "常委会和人代会", "下周的常委会和人代会": the meetings named together, each on its own (a day said once, in
 * front, goes with each). The name alone when its words join no two meetings ("人大代表和群众座谈会").
 */
export function meetingNames(spoken: string, today: string): string[] {
  const parts = spoken
    .split(JOINED)
    .map((p) => p.replace(BOTH_TAIL, '').trim())
    .filter((p) => p !== '');
  if (parts.length < 2 || !parts.every(namesAMeeting)) return [spoken];
  const first = dayRange(parts[0]!, today);
  const lead = first && parts[0]!.startsWith(first.words) ? first.words : '';
  return parts.map((p, i) => (i > 0 && lead !== '' && !dayRange(p, today) ? `${lead}${p}` : p));
}

/** The one meeting of the kind named in the week of the weekday said, when nothing that day fits. */
export interface SameWeekMeeting {
  meeting: MeetingCandidate;
  /** The day the deputy named. */
  saidDay: string;
  /** The kind word as they said it (视察, 常委会). */
  kindWord: string;
}

/**
 * "下礼拜二的视察" when the inspection is on the Wednesday of that week: that inspection, to be offered
 * (never taken unasked). Null unless a weekday and a kind were said and exactly one fits that week.
 */
export function sameWeekMeeting(
  spoken: string,
  candidates: MeetingCandidate[],
  today: string,
): SameWeekMeeting | null {
  const range = dayRange(spoken, today);
  if (!range || range.from !== range.to || !new RegExp(`${WEEK}[一二三四五六日天七]$`).test(range.words))
    return null;
  const rest = spoken.replace(range.words, '');
  const kind = KIND_WORDS.find(([re]) => re.test(rest));
  if (!kind) return null;
  const monday = mondayOf(range.from);
  const week = candidates.filter((c) => c.startsOn <= addDays(monday, 6) && monday <= c.endsOn);
  const found = matchMeetings(rest, week, today).filter(kind[1]);
  if (found.length !== 1) return null;
  return { meeting: found[0]!, saidDay: range.from, kindWord: kind[0].exec(rest)![0] };
}
