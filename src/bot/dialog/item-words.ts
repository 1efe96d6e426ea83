import type { Deps } from '../../deps.ts';
import { invitedMeetings } from '../../services/activities/index.ts';
import {
  type MeetingCandidate,
  matchMeetings,
  namesNoMeeting,
  sameWeekMeeting,
  sessionMeetings,
} from '../../services/leave/index.ts';
import { liveBookingsOfPerson } from '../../services/reception/index.ts';
import { ownSuggestions } from '../../services/suggestions/index.ts';
import { addDays, monthOf } from '../../statute/calendar-date.ts';
import { smallNumber } from '../language/argument-parsers.ts';
import { matterWordsBySound, meetingWordsBySound } from '../language/sound.ts';
import type { ChoiceState } from './state.ts';

// Items found by their words: "加装电梯的那个建议", "上个月提的", "那个建议". Each command has the items it can
// act on (催办: those being handled; 满意: those just answered; 取消预约: live bookings); when exactly one fits,
// no code is needed.

export interface ItemCandidate {
  code: string;
  /** How it is shown in a choice: the code and a few words. */
  label: string;
  /** What it is about, to match words against. */
  words: string;
  /** The day it was filed or booked. */
  on: string;
  /** A booking's month ('2026-12'). */
  month?: string;
  /** An invited activity, matched by how it is named ("十号的常委会"). */
  meeting?: MeetingCandidate;
  /** Whose it is (a leave request waiting for a decision): "批准张三的请假". */
  who?: string;
  /** A suggestion's status, to say why a command cannot act on it. */
  status?: string;
}

/**
 * The commands that find their item by words; whether a found one needs a yes first, and whether among
 * several the one just talked about is meant.
 */
export const ITEM_COMMANDS: Readonly<Record<string, { confirm: boolean; preferLast: boolean }>> = {
  // Several being handled: asked, whichever was talked about last.
  'suggestion.urge': { confirm: false, preferLast: false },
  // 满意 means the answer just received (CONTRACT §3).
  'suggestion.rate': { confirm: false, preferLast: true },
  'reception.cancel': { confirm: true, preferLast: true },
  // 参加: the activities the deputy is invited to.
  'activity.attend': { confirm: false, preferLast: true },
  // 不公开姓名: any of the deputy's items; the one just talked about when several fit.
  'suggestion.withhold_name': { confirm: false, preferLast: true },
};

/** A few words of a longer text, for a choice's label. */
export const short = (s: string, n = 16) => {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length > n ? `${t.slice(0, n)}…` : t;
};

const WANTED: Readonly<Record<string, readonly string[]>> = {
  'suggestion.rate': ['answered'],
  'suggestion.urge': ['assigned', 'rehandling'],
  // 撤回 and 修改 only before 交办; photos to any item still open.
  withdraw: ['submitted'],
  amend: ['submitted'],
  photo: ['submitted', 'assigned', 'answered', 'rehandling'],
  // 补充: into the item before 交办, kept beside it after (services/suggestions/supplement.ts).
  supplement: ['submitted', 'assigned', 'answered', 'rehandling'],
  'suggestion.withhold_name': ['submitted', 'assigned', 'answered', 'rehandling', 'closed'],
  // 查询 "那个路灯的事": any of them.
  'item.query': ['submitted', 'assigned', 'answered', 'rehandling', 'closed'],
};

/** The items this command (or item action) can act on for this person. */
export async function candidatesFor(
  deps: Deps,
  commandId: string,
  personId: number,
  today: string,
): Promise<ItemCandidate[]> {
  if (commandId === 'reception.cancel') {
    return (await liveBookingsOfPerson(deps, personId, today)).map((b) => ({
      code: b.code,
      label: `${b.code}（${Number(b.month.slice(0, 4))}年${Number(b.month.slice(5, 7))}月，${b.day}${b.topic ? `，${short(b.topic, 12)}` : ''}）`,
      month: b.month,
      words: b.words,
      on: b.bookedOn,
    }));
  }
  if (commandId === 'leave.request') {
    // Sessions of the deputy's congresses still ahead and the activities they are invited to.
    return [
      ...(await sessionMeetings(deps, { personId, today })),
      ...(await invitedMeetings(deps, personId)),
    ].map((m) => ({ code: m.ref, label: m.name, words: m.name, on: m.startsOn, meeting: m }));
  }
  if (commandId === 'activity.attend') {
    return (await invitedMeetings(deps, personId)).map((m) => ({
      code: m.ref,
      label: `${m.ref}「${short(m.name)}」`,
      words: m.name,
      on: m.startsOn,
      meeting: m,
    }));
  }
  const wanted = WANTED[commandId] ?? [];
  return (await ownSuggestions(deps, personId))
    .filter((s) => wanted.includes(s.status) && !s.withdrawn)
    .map((s) => ({
      code: s.code,
      // Shown from where the matter begins ("您好，我想反映个问题：…" as 「村口路灯坏了…」).
      label: `${s.code}${s.title ? `「${s.title}」` : ''}`,
      // Filed as "红路灯" and asked about as "红绿灯" (or the other way round): the same item.
      words: matterWordsBySound(s.words),
      on: s.submittedOn,
      status: s.status,
    }));
}

/** When an item was filed, as people say it: 上个月提的, 这个月, 上周, 昨天, 今天, 去年. */
function filedWithin(text: string, today: string): [string, string] | null {
  const thisMonth = monthOf(today);
  const [y, m] = thisMonth.split('-').map(Number) as [number, number];
  const last = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  if (/上个?月/.test(text)) return [`${last}-01`, `${last}-31`];
  if (/这个?月|本月/.test(text)) return [`${thisMonth}-01`, `${thisMonth}-31`];
  if (/上个?(?:礼拜|星期|周)/.test(text)) return [addDays(today, -14), addDays(today, -1)];
  if (/昨天/.test(text)) return [addDays(today, -1), addDays(today, -1)];
  if (/今天/.test(text)) return [today, today];
  if (/去年/.test(text)) return [`${y - 1}-01-01`, `${y - 1}-12-31`];
  return null;
}

// Everything in "催办一下加装电梯的那个建议吧" that is not about the item itself.
const NOT_ABOUT =
  /怎么样|咋样|啥样|如何|的事情|的事儿|的事|就是说|就是|能不能|能否|可不可以|事儿|事情|嗯|呃|崔办|补充|照片|图片|相片|一张|几张|加到|加进|放到|附上|里面|里|不提|收回|撤|想|一句|催办|催促|催一下|催|督促|不太满意|很不满意|基本满意|不满意|满意|取消|预约|接待日|评价|答复|撤回|撤销|修改|查询|查一下|查|建议|批评|意见|那个|这个|那条|这条|那件|的|我们?|俺们?|咱们|提|了|过|吧|啊|呢|帮|一下|给|请|再|上个?月|这个?月|本月|上个?(?:礼拜|星期|周)|昨天|今天|去年|JY-?\d{4}-?\d+|JD-?\d{4}-?\d+|[\s，,。.！!？?、：:]/gi;

/** Words of any complaint or reason, which tell no item from another. */
const GENERAL = new Set([
  ...['研究', '时间', '没有', '还没', '问题', '情况', '解决', '处理', '落实', '部门', '单位', '希望', '尽快'],
  ...['个月', '两个', '一个', '现在', '还是', '已经', '什么', '怎么', '不是', '没人', '老百', '百姓', '群众'],
]);

/** The characters of those words: a pair holding one says nothing of an item when read apart. */
const GENERAL_CHARS = new Set([...GENERAL].flatMap((w) => [...w]));

const DESCRIBES = /那个|这个|那条|这条|那件|那次|提的|说的|的(?:建议|批评|意见|预约|答复|事)|关于/;

function bigrams(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) out.push(s.slice(i, i + 2));
  return out;
}

/** The candidates the words of the message fit, or all when it names nothing but the kind. */
export function fitByWords(text: string, candidates: ItemCandidate[], today: string): ItemCandidate[] {
  let pool = candidates;
  const within = filedWithin(text, today);
  if (within) pool = pool.filter((c) => within[0] <= c.on && c.on <= within[1]);
  const about = matterWordsBySound(text).replace(NOT_ABOUT, '');
  // "灯那个": one character names the items that have it; "路的那个" with 路灯 and 道路 names both.
  if (about.length === 1 && DESCRIBES.test(text)) {
    const having = pool.filter((c) => c.words.includes(about));
    return having.length > 0 ? having : pool;
  }
  if (about.length < 2) return pool;
  const grams = bigrams(about);
  const scored = pool
    .map((c) => ({ c, hit: grams.filter((g) => c.words.includes(g)).length / grams.length }))
    .filter((x) => x.hit >= 0.5)
    .sort((a, b) => b.hit - a.hit);
  // Words that do not point at an item ("加装电梯的那个建议") name one only when they are mostly its words
  // ("催催路灯"); otherwise they are, say, the reason of a rating ("下午放学没人管，不太满意").
  if (!DESCRIBES.test(text) && scored.length === 0) return pool;
  if (scored.length === 0) {
    // Words among others ("路灯那个事很不满意，两个月了还没修"): the items that share the most of them,
    // leaving out words any complaint uses ("光说研究研究，没有时间表" names no item).
    const telling = grams.filter((g) => !GENERAL.has(g));
    const whole = mostShared(pool, telling, (c, g) => c.words.includes(g));
    if (whole.length > 0) return whole;
    // "修路那个" with 「村里的路该修了」: both characters of a short naming's word, apart, in fewer items
    // than all; a whole word shared (above) always wins over its characters. Never in a long reason,
    // whose pairs across words ("研究研究" → 究研) would find anything.
    const named = telling.filter((g) => ![...g].some((ch) => GENERAL_CHARS.has(ch)));
    const apart =
      about.length <= 8 ? mostShared(pool, named, (c, g) => [...g].every((ch) => c.words.includes(ch))) : [];
    if (apart.length > 0 && apart.length < pool.length) return apart;
    // Words that fit nothing may be a reason ("情况有变化了"): the day it was filed still says which.
    return within ? pool : [];
  }
  const best = scored[0]!.hit;
  return scored.filter((x) => x.hit >= best - 0.1).map((x) => x.c);
}

/** Whether the words, fillers and command words left out, say something of these items ("路的那个"). */
export function saysSomethingOf(text: string, candidates: ItemCandidate[]): boolean {
  const about = matterWordsBySound(text).replace(NOT_ABOUT, '');
  const parts = about.length === 1 ? [about] : bigrams(about).filter((g) => !GENERAL.has(g));
  return parts.some((p) => candidates.some((c) => c.words.includes(p)));
}

/** The candidates sharing the most of the word pairs `grams` (as `has` reads sharing), or none. */
function mostShared(
  pool: ItemCandidate[],
  grams: string[],
  has: (c: ItemCandidate, gram: string) => boolean,
): ItemCandidate[] {
  const shared = pool
    .map((c) => ({ c, n: grams.filter((g) => has(c, g)).length }))
    .filter((x) => x.n > 0)
    .sort((a, b) => b.n - a.n);
  return shared.filter((x) => x.n === shared[0]!.n).map((x) => x.c);
}

/**
 * The items a matter told in words is plainly about ("自来水又停了" and 「村里的自来水老是停」): those sharing
 * the most telling word pairs, at least two. Unlike fitByWords, words that name nothing find nothing.
 */
export function itemsTheWordsName(text: string, candidates: ItemCandidate[]): ItemCandidate[] {
  const telling = bigrams(matterWordsBySound(text).replace(NOT_ABOUT, '')).filter((g) => !GENERAL.has(g));
  const shared = candidates
    .map((c) => ({ c, n: new Set(telling.filter((g) => c.words.includes(g))).size }))
    .filter((x) => x.n >= 2)
    .sort((a, b) => b.n - a.n);
  return shared.filter((x) => x.n === shared[0]?.n).map((x) => x.c);
}

/** The invited activities a spoken name fits ("十号的常委会", "8号的小组学习"). */
export function fitByMeeting(name: string, candidates: ItemCandidate[], today: string): ItemCandidate[] {
  const meetings = candidates.flatMap((c) => (c.meeting ? [c.meeting] : []));
  return matchMeetings(meetingWordsBySound(name), meetings, today).flatMap((m) =>
    candidates.filter((c) => c.code === m.ref),
  );
}

/**
 * Whether a meeting named for leave is found nowhere: not among those ahead (`ahead`: candidatesFor
 * 'leave.request'), not as one of the week said ("下礼拜二的视察" on the Wednesday), not among the
 * activities the deputy already declined. A name that names no meeting ("那天") is not judged here.
 */
export async function meetingNamedNowhere(
  deps: Deps,
  personId: number,
  name: string,
  ahead: ItemCandidate[],
  today: string,
): Promise<boolean> {
  if (namesNoMeeting(name) || fitByMeeting(name, ahead, today).length > 0) return false;
  const meetings = ahead.flatMap((c) => (c.meeting ? [c.meeting] : []));
  if (sameWeekMeeting(name, meetings, today)) return false;
  const declined = await invitedMeetings(deps, personId, true);
  return matchMeetings(meetingWordsBySound(name), declined, today).length === 0;
}

/** "第一个", "第2条", "最后一个": a line of the numbered list just shown. */
const POSITION = /第([1-9一二三四五六七八九])(?:个|条|项|件)|最后(?:一|那)?(?:个|条|项|件)/;
const CODE_IN = /\b([A-Z]{2})-\d{4}-\d{4,}\b/;

/**
 * The code on the line of the list just shown that the words point at ("第一个催一下" after 查询), when it
 * is of a kind the command takes; null otherwise.
 */
export function codeAtPosition(
  text: string,
  shown: ChoiceState | undefined,
  prefixes: readonly string[],
): string | null {
  const m = shown ? POSITION.exec(text) : null;
  if (!m || !shown) return null;
  const at = m[1] ? (smallNumber(m[1]) ?? 0) - 1 : shown.options.length - 1;
  const code = CODE_IN.exec(shown.options[at]?.send ?? '');
  return code && prefixes.includes(code[1]!) ? code[0] : null;
}
