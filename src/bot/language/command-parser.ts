// One chat message → what the person asked for. Pure: no I/O, no clock (the caller passes `now`).
// Order: a lone number (a choice in a dialog) → small talk → a bare code (查询 it) → a command word at
// the start → a known phrase anywhere (the earliest wins, then the longest) → the three nearest commands.
// See command-catalog.ts for the result kinds and why some commands need their word.

import type { CongressLevel } from '../../../db/schema.ts';
import { CODE_PATTERN, type CodePrefix, codeOfPrefix } from '../../services/items/index.ts';
import { WHEN_BEFORE_REASON } from '../../services/leave/index.ts';
import { asksNameWithheld, readWithholdMark } from '../../services/suggestions/index.ts';
import {
  checkCode,
  type Found,
  findDate,
  findDateOrShift,
  findExtensionDate,
  findMonth,
  findYear,
  parseOrgans,
  parseTargets,
  smallNumber,
} from './argument-parsers.ts';
import {
  type ArgSpec,
  type ArgsOf,
  type ArgValue,
  CATALOG,
  type CommandId,
  type CommandSpec,
  commandById,
  mayUse,
  type Role,
  type SpecOf,
} from './command-catalog.ts';
import { dutyAsked } from './duty-questions.ts';
import { type Intent, readIntent } from './intent.ts';
import { nearestCommands } from './nearest-commands.ts';
import { MappedText, normalize } from './normalize.ts';
import {
  ANSWER_TIME_ASKED,
  ANSWER_TIME_TOPIC,
  ARG_LEAD,
  ASKING_OPENER,
  COURTESY_LEFT,
  deputyItemsAsked,
  extendedByWords,
  handedByWords,
  ITEM_POINTER,
  LEADING_FILLER,
  LEAVE_FORM_ASKED,
  LEAVE_FORM_TOPIC,
  LEAVE_RULES_ASKED,
  LEAVE_RULES_TOPIC,
  LEAVE_WORD,
  LIST_PICK,
  LOOSE_NOISE,
  MEETING_CUE,
  MEETING_TAIL,
  OPENING_INTRO,
  ORGAN_TO_DO,
  PHRASES,
  type Phrase,
  REASON_CUE,
  REASON_OPENER,
  SELF_INTRO,
  SMALLTALK,
  type SmalltalkAct,
  saidAsExtension,
  TOPIC_OPENER,
  TRAILING_FILLER,
  UNABLE_RE,
} from './phrasings.ts';
import { receptionAsked } from './reception-questions.ts';
import { meetingWordsBySound, readBySound, readSpoken, readStartBySound } from './sound.ts';

export interface ParseOptions {
  /** Today in APP_TIMEZONE, 'YYYY-MM-DD': relative months and dates count from it. */
  now: string;
  /** The sender's roles (from their mandates); they decide which commands are offered. */
  roles: readonly Role[];
  /** Bot names whose @mention is dropped even when glued to the text. */
  botNames?: readonly string[];
}

export interface MissingArg {
  name: string;
  label: string;
  question: string;
  /** The dialog may fill it from the item just talked about. */
  fromContext: boolean;
}

export interface InvalidArg extends MissingArg {
  /** What the person wrote. */
  given: string;
  /** Why it is not acceptable, in Chinese. */
  error: string;
}

export type CommandParse = {
  [K in CommandId]: {
    kind: 'command';
    id: K;
    /** The catalog entry it matched: its arguments, who may use it. */
    spec: SpecOf<K>;
    /** The Chinese word of the command. */
    word: string;
    /** Recognised by its word at the start, or from a phrase. */
    via: 'word' | 'phrase';
    args: ArgsOf<K>;
    /** Required arguments not given, in order: the dialog asks their questions. */
    missing: MissingArg[];
    /** Arguments given but not acceptable (a wrong month, a code of the wrong kind). */
    invalid: InvalidArg[];
    /** The congress the message names ("省人大…", "市人大的接待日"), for a person holding several seats. */
    congressLevel?: CongressLevel;
    /** Read from words that only lean one way ("还行吧"): asked about before it is done. */
    loose?: true;
    /**
     * "我想提个建议 不要公开我的名字": the 不公开姓名 said before the matter is told, kept until the matter
     * comes and then filed with it (the words of the request, read off the content by its handler).
     */
    nameWithheld?: string;
  };
}[CommandId];

export interface Suggestion {
  /** What to reply to pick it: 1, 2 or 3. */
  index: number;
  id: CommandId;
  word: string;
  usage: string;
  summary: string;
}

export type ParseResult =
  | CommandParse
  | { kind: 'choice'; index: number }
  | { kind: 'smalltalk'; act: SmalltalkAct }
  | {
      kind: 'unclear';
      text: string;
      suggestions: Suggestion[];
      /** What the message reads as (a matter to offer as a suggestion, a question, neither), and why. */
      intent: Intent;
    }
  | { kind: 'empty' };

interface Built {
  spec: SpecOf;
  via: 'word' | 'phrase';
  args: Record<string, ArgValue>;
  missing: MissingArg[];
  invalid: InvalidArg[];
  /** Something was read from the message itself (not only from the word). */
  consumed: boolean;
  /** Text left over after the arguments, in matching form. */
  leftover: string;
  loose?: boolean;
}

// ---- entry -------------------------------------------------------------------------------------

export function parseCommand(text: string, opts: ParseOptions): ParseResult {
  return correctedInline(withSuggestionTold(text, parseMessage(text, opts), opts), opts);
}

/**
 * "俺想提个意见 村里垃圾没人收 不要公开我的姓名": a suggestion told with its 不公开姓名 is that suggestion
 * (its handler reads the request off its words), never the request alone on some earlier item.
 */
function withSuggestionTold(text: string, r: ParseResult, opts: ParseOptions): ParseResult {
  if (r.kind !== 'command' || r.id !== 'suggestion.withhold_name' || 'code' in r.args) return r;
  if (!asksNameWithheld(text)) return r;
  const { content: rest, request } = readWithholdMark(text);
  const told = parseMessage(rest, opts);
  if (told.kind === 'command' && told.id === 'suggestion.submit') {
    if (typeof told.args.content === 'string')
      return { ...told, args: { ...told.args, content: `${told.args.content} ${request}` } };
    // "我想提个建议 不要公开我的名字": the matter is still to come; the request waits for it. Not "我那个
    // 建议 不要公开我的名字": an item of theirs named, the request is on it.
    if (told.missing.some((m) => m.name === 'content') && !OWN_ITEM_NAMED.test(rest))
      return { ...told, nameWithheld: request };
  }
  // A matter told with no command word: offered as a suggestion, the request in the words quoted. Not
  // "加装电梯那个建议不要公开我的名字": words that end by naming an item point at it, they tell no matter.
  if (told.kind === 'unclear' && told.intent.kind === 'matter' && !ITEM_POINTED_AT.test(rest.trim()))
    return { ...told, text };
  return r;
}

/** "把JY-2026-0012交给市住建局", "JY-2026-0012 交办给市交通局、市公安局": the item, then the organs. */
const HANDED_TO = new RegExp(
  String.raw`^把?\s*(JY-\d{4}-\d{4,12})\s*(交给|交办给|交办到|交由|转给|交办)\s*(\p{Script=Han}.*?)${ORGAN_TO_DO.source}$`,
  'u',
);

/** "给所有代表发个通知：…", "给第一代表小组发通知 …": to whom, then the notice. */
const NOTICE_TO =
  /^(?:请|帮我|麻烦你?)?(?:给|向)(\p{Script=Han}[^:：,，\s]{0,19}?)(?:发|群发|下发|推送)(?:一?个|一条|一下)?通知(?:一下)?[:：,，\s]*(.*)$/u;
/** "发个通知 全体 …", "帮我发个通知给全体代表：…": the notice asked for, its groups after it. */
const NOTICE_THEN =
  /^(?:请|帮我|麻烦你?)?(?:发|群发|下发)(?:一?个|一条|一下)通知(?:一下)?(?:给|到)?[:：,，\s]*(.*)$/u;

/** The 通知 command a request for a notice says, or null when the text asks for none. */
function noticeAskedFor(text: string): string | null {
  const to = NOTICE_TO.exec(text);
  if (to) return `通知 ${to[1]} ${to[2]}`;
  const then = NOTICE_THEN.exec(text);
  return then ? `通知 ${then[1]}` : null;
}

/** "住建局回复说…", "市交通局答复：…": an organ's name, then that it answered, then what. */
const ORGAN_ANSWERED =
  /^(?:JY-\d{4}-\d{4,12}\s*)?(\p{Script=Han}{1,12}?[局委院所厅部处队站办])(?:的)?(?:回复|答复|反馈|回话|回函|来函)(?:说|了|称|讲|是)?[:：,，\s]*(.+)$/u;

/** What 查询 may be followed by to name the kind of item asked for (handlers/item-query.ts reads it). */
const OWN_KIND = /^(?:我的|我)?(?:预约|请假|请的假|建议|意见|批评)(?:记录|情况)?$/;

/** "我那个建议", "上次提的意见": one of the deputy's items named, not a new one announced. */
const OWN_ITEM_NAMED =
  /(?:那个|这个|那条|这条|我的|俺的|上次|上回|刚才|之前|以前|提的|提过的|交的)(?:建议|意见|批评)/;

/** "那条建议", "加装电梯那个意见", "路灯的事": words that end by naming one of the deputy's items. */
const ITEM_POINTED_AT = /(?:建议|意见|批评|事项|那个事|的事|那个|那条|这个|这条)$/;

/**
 * "预约接待日 一月 不对二月 说说停车": a month corrected within the message replaces the month given, and
 * the correction is no part of the topic.
 */
function correctedInline(r: ParseResult, opts: ParseOptions): ParseResult {
  if (r.kind !== 'command' || r.id !== 'reception.book' || typeof r.args.topic !== 'string') return r;
  const m = /^(?:不对|不是|错了|说错了)[,，、\s]*(?:是|应该是)?\s*/.exec(r.args.topic);
  if (!m) return r;
  const rest = r.args.topic.slice(m[0].length);
  const month = findMonth(rest, opts.now);
  if (month?.index !== 0 || !month.result.ok) return r;
  const topic = rest
    .slice(month.length)
    .replace(/^[,，、。\s]+/, '')
    .replace(/[。.！!]+$/, '')
    .trim();
  const args = { ...r.args, month: month.result.value as string };
  if (topic === '') delete args.topic;
  else args.topic = topic;
  return { ...r, args };
}

function parseMessage(text: string, opts: ParseOptions): ParseResult {
  // Spoken and dialect forms and same-sound slips are read as the words they stand for (sound.ts).
  const norm = readBySound(readSpoken(normalize(text, opts.botNames ? { botNames: opts.botNames } : {})));
  const loose = looseOf(norm).text;
  if (loose === '' || /^-+$/.test(loose)) return { kind: 'empty' };

  const choice = LIST_PICK.exec(loose);
  if (choice) return { kind: 'choice', index: smallNumber(choice[1]!)! };

  for (const { act, re } of SMALLTALK) if (re.test(loose)) return { kind: 'smalltalk', act };

  const core = readStartBySound(norm.stripStart(LEADING_FILLER).stripEnd(TRAILING_FILLER).trim());

  const bare = CODE_PATTERN.exec(core.text);
  if (bare && bare.index === 0 && bare[0].length === core.text.replace(/[?]+$/, '').length) {
    return finish(buildFromScan(commandById('item.query'), core, 'phrase', {}, opts));
  }

  // Only particles ("哈哈", "啊吧"): something was said, but nothing to act on.
  if (core.text === '') return unclear(norm, norm, opts);

  // "代表的职责是什么", "当代表要干啥", "不去开会会怎么样": what the law says of the deputy's duties and rights,
  // never 帮助 on the bot, 我的履职 or a leave request.
  const duty = CODE_PATTERN.test(core.text) ? null : dutyAsked(core.text);
  if (duty) return helpOn(duty);
  const howTo = askedHow(core.text, opts);
  if (howTo) return howTo;
  // "代表建议一般多久能有答复": the law's answer, never a suggestion filed of the question.
  if (ANSWER_TIME_ASKED.test(norm.text) && hanCount(core.text) <= 30) return helpOn(ANSWER_TIME_TOPIC);
  // A request that mentions the form ("请假 常委会 病了 需要请假条的话我再写") is still the request.
  if (LEAVE_FORM_ASKED.test(norm.text) && !/^请假[ ,]/.test(core.text) && hanCount(core.text) <= 16)
    return helpOn(LEAVE_FORM_TOPIC);
  // "人代会请假能批吗", "请假需要谁批", "我请假了 还要去吗": how leave works, asked; nothing is filed.
  if (LEAVE_RULES_ASKED.test(norm.text) && !/^请假[ ,]/.test(core.text) && hanCount(core.text) <= 20)
    return helpOn(LEAVE_RULES_TOPIC);
  // "接待日能带别人去吗", "下个月接待日能不能换个时间": asked about the day, never a booking of it.
  const asks = receptionAsked(core.text, opts.now);
  if (asks) return finish(buildFromScan(commandById('reception.day'), core, 'phrase', { asks }, opts));

  // A congress named first ("省人大 建议 …"): the command after it, for that congress.
  const named = CONGRESS_AT_START.exec(core.text);
  if (named) {
    const after = matchWord(core.slice(named[0].length), opts);
    if (after && (after.consumed || after.leftover === '')) return finish(after, core.text);
  }

  // "把JY-2026-0012交给市住建局": staff naming the item before the organs it goes to, read as 交办.
  const handed = HANDED_TO.exec(core.text);
  if (handed && mayUse('staff', opts.roles)) {
    const r = parseMessage(`交办 ${handed[1]} ${handed[3]}`, opts);
    // Said without the word 交办 (交给, 转给): asked about before it is done.
    return r.kind === 'command' && !handed[2]!.startsWith('交办') ? { ...r, loose: true } : r;
  }

  // "给所有代表发个通知：…", "帮我发个通知 全体 …": staff asking for a notice as they would ask a colleague, read
  // as 通知 (which previews before it sends); the words of the notice ("请准时参加") never make it a reply.
  const notice = mayUse('staff', opts.roles) ? noticeAskedFor(core.source()) : null;
  if (notice) {
    const r = parseMessage(notice, opts);
    if (r.kind === 'command' && r.id === 'broadcast.notify') return r;
  }

  // "住建局回复说已经在修了 JY-2026-0001": staff recording what an organ answered, read as 答复 (asked first).
  const answered = mayUse('staff', opts.roles) ? ORGAN_ANSWERED.exec(core.text) : null;
  const answeredCode = answered ? CODE_PATTERN.exec(core.text) : null;
  if (answered && answeredCode) {
    const content = answered[2]!.replace(answeredCode[0], ' ').replace(/\s+/g, ' ').trim();
    const r = parseMessage(`答复 ${answeredCode[0]} ${answered[1]}：${content}`, opts);
    if (r.kind === 'command' && r.id === 'suggestion.answer') return { ...r, loose: true };
  }

  const exact = matchWord(core, opts);
  // "把路灯那个交给住建局": staff naming the item by its words, read as 交给 (asked about before it is done);
  // the item is found by those words among what waits (turn/item-choice.ts). Never inside a command
  // written with its word ("通知 全体 …那个交给办公室").
  const byWords = !exact && mayUse('staff', opts.roles) ? handedByWords(core.text) : null;
  if (byWords) return parseMessage(`交给${byWords.organs}`, opts);
  // "把自来水那个延期一个月": the same for 延期, the item found among those being handled.
  const extended = !exact && mayUse('staff', opts.roles) ? extendedByWords(core.text) : null;
  if (extended) {
    const r = extensionSaid(extended.rest, '', opts);
    if (r) return { ...r, loose: true };
  }
  // 视察 that opens "视察请假 有事" or "视察我去" names the invited inspection, not a request for one.
  // So does "视察的通知收到了 俺准时参加": the invitation received, never a 视察 request (S17) of its words.
  const invitation = exact?.spec.id === 'inspection.request' && ABOUT_INVITATION.test(looseOf(core).text);
  if (invitation && !NOT_GOING.test(core.text) && !GOING_TO_COME.test(core.text))
    return unclear(norm, core, opts);
  if (
    exact?.spec.id === 'inspection.request' &&
    (invitation || ATTENDANCE_AFTER_KIND.test(looseOf(core).text))
  ) {
    // "…的通知收到了" says nothing of why: no part of the reason.
    const said = invitation ? core.replace(NOTICE_RECEIVED, () => '') : core;
    if (NOT_GOING.test(core.text)) return finish(extractLeave(said, null, 'phrase', opts));
    const attend = buildFromScan(commandById('activity.attend'), core, 'phrase', {}, opts);
    attend.args.meeting = { name: '视察' };
    return finish(attend);
  }
  // "查询 预约", "查询 请假": one's bookings or leave asked for, never a booking or leave of "查询".
  if (exact?.spec.id === 'item.query' && OWN_KIND.test(exact.leftover)) return finish(exact, core.text);
  if (exact) {
    const rival = () => {
      const p = matchPhrase(core, opts);
      return p && p.spec.id !== exact.spec.id ? p : null;
    };
    if (!exact.consumed && exact.leftover !== '') return finish(rival() ?? exact, core.text);
    if (exact.spec.wordOnly && !mayUse(exact.spec.who, opts.roles))
      return finish(rival() ?? exact, core.text);
    if (exact.spec.args.some((a) => a.kind.type === 'text') && core.length <= 24) {
      const p = rival();
      if (p?.strong) return finish(p, core.text);
    }
    return finish(exact, core.text);
  }

  // "王二最近提了啥建议", "张大爷请了几次假": staff asking after a deputy's items, the name first (查询 <代表姓名>;
  // the kind named is read off the words by its handler).
  const deputy = mayUse('staff', opts.roles) ? deputyItemsAsked(looseOf(core).text) : null;
  if (deputy) {
    const r = parseMessage(`查询 ${deputy}`, opts);
    if (r.kind === 'command' && r.id === 'item.query') return r;
  }

  const phrase = matchPhrase(core, opts);
  // "人代会啥时候开？我到时候可能去不了": a question about when, with only a maybe, asks for nothing yet.
  if (phrase?.spec.id === 'leave.request' && WHEN_QUESTION.test(core.text) && MAYBE.test(core.text))
    return unclear(norm, core, opts);
  if (phrase) return finish(phrase, core.text);

  // "查一下王二", "查查张大爷": staff looking a deputy's items up by name (查询 <代表姓名>).
  const lookup = mayUse('staff', opts.roles) ? LOOKUP_BY_NAME.exec(core.text) : null;
  if (lookup) {
    const r = parseMessage(`查询 ${lookup[1]}`, opts);
    if (r.kind === 'command' && r.id === 'item.query') return r;
  }

  return codeBeforeWord(core, opts) ?? unclear(norm, core, opts);
}

/** "查一下王二", "查查张大爷的": 查 and a name of two to four characters, nothing else. */
const LOOKUP_BY_NAME = /^查(?:一下|下|查|看|看一下|一查)?\s*(\p{Script=Han}{2,4}?)(?:代表)?(?:的)?$/u;

/**
 * "JY-2026-0003 交办 市住建局", "JY-2026-0001 延期到下月底 …": the code written before the command's own word,
 * as staff in a hurry write it, read as the command on that code. Null unless the word follows the code,
 * the sender may use the command, and the command is on an item of that kind.
 */
function codeBeforeWord(core: MappedText, opts: ParseOptions): CommandParse | null {
  const code = CODE_PATTERN.exec(core.text);
  if (code?.index !== 0) return null;
  const after = core.slice(code[0].length).stripStart(/^[ ,:;]+/);
  if (after.text === '' || CODE_PATTERN.test(after.text)) return null;
  const again = parseMessage(`${readStartBySound(after).source()} ${code[0]}`, opts);
  if (again.kind !== 'command' || again.via !== 'word' || !mayUse(again.spec.who, opts.roles))
    return extensionSaid(after.text, code[0], opts);
  const first = again.spec.args[0];
  return first?.kind.type === 'code' && (again.args as Record<string, unknown>)[first.name] === code[0]
    ? again
    : null;
}

/**
 * "延到4月底 资金", "往后推一个月", "期限延长两周" (of `code`, or of the item named otherwise when it is ''):
 * 延期 said as staff say it. Said without the word 延期, it is 延期 only with a date or a shift; "再给一个月"
 * is asked about before it is done.
 */
function extensionSaid(text: string, code: string, opts: ParseOptions): CommandParse | null {
  const way = mayUse('staff', opts.roles) ? saidAsExtension(text) : null;
  if (!way) return null;
  const r = parseMessage(`延期 ${code} ${way.rest}`, opts);
  if (r.kind !== 'command' || r.id !== 'suggestion.extend') return null;
  if (way.said !== 'word' && r.args.date === undefined) return null;
  return way.said === 'loose' ? { ...r, loose: true } : r;
}

// ---- "怎么预约接待日": how a command is used, asked --------------------------------------------

/** "怎么预约接待日", "如何提建议", "请问我该怎么请假", "帮助 请假": the command after the asking words. */
const HOW_BEFORE =
  /^(?:请问|问一下|问下|我想问一下?|想问一下?)?(?:我们?|咱们?)?(?:该|要|应该|得|想|能)?(?:怎么|如何|怎样|咋)(?:样)?(?:才能|才可以|能|可以|去|来)?(.+?)[?]*$|^(?:帮助|菜单)\s*(.+?)[?]*$/;
/** "我想请假该怎么弄", "预约接待日怎么约": the command before them. */
const HOW_AFTER =
  /^(?:我想|我要|想|要)?(.+?)(?:我?(?:该|要|应该|得))?(?:怎么|如何|咋)(?:样)?(?:弄|办|搞|操作|做|请|提|用|写|发|(预约|约))?[?]*$/;
/** Commands that only read: asked how, they are simply done ("怎么查进度" shows the progress). */
const READ_ONLY: ReadonlySet<CommandId> = new Set(['item.query', 'reception.day', 'duty.record', 'help']);

/**
 * A question about how a command is used, with nothing else in it: 帮助 about that command (nothing is
 * done unasked, and "怎么" is never a booking's topic); a command that only reads is simply done. Null when
 * the message is not such a question.
 */
function askedHow(text: string, opts: ParseOptions): ParseResult | null {
  // "俺不会用这个 咋请假啊": the question after what the person says about themselves.
  const cut = /^[^ ,.;!]{2,}[ ,.;!]+(?=\S)/.exec(text);
  // Not "下个月大会我要出差，该怎么请假": a request told first is made, not explained.
  if (
    cut &&
    /(?:怎么|如何|咋)/.test(text.slice(cut[0].length)) &&
    !/(?:怎么|如何|咋)/.test(cut[0]) &&
    !MEETING_CUE.test(cut[0].replace(/不会|会不会|学会|会用/g, '')) &&
    !REASON_CUE.test(cut[0])
  )
    return askedHow(text.slice(cut[0].length), opts);
  const before = HOW_BEFORE.exec(text);
  const after = before ? null : HOW_AFTER.exec(text);
  // "接待日怎么约": the booking asked about, not the day's date.
  const rest = (before?.[1] ?? before?.[2] ?? (after?.[2] ? `预约${after[1]}` : after?.[1]))?.trim();
  if (!rest || rest === text || /^(?:样|用|办|了|样了)$/.test(rest)) return null;
  const asked = parseCommand(rest, opts);
  if (asked.kind !== 'command' || asked.invalid.length > 0) return null;
  if (Object.keys(asked.args).some((k) => k !== 'kind')) return null;
  if (READ_ONLY.has(asked.id)) return asked;
  return helpOn(asked.id);
}

/** 帮助 on one topic: a command's id, LEAVE_FORM_TOPIC and the like, or a DutyTopic. */
function helpOn(topic: string): CommandParse {
  const help = commandById('help');
  return {
    kind: 'command',
    id: 'help',
    spec: help,
    word: help.word,
    via: 'phrase',
    args: { topic },
    missing: [],
    invalid: [],
  };
}

/** What says there is something to talk about without saying what. */
const NO_TOPIC = /^(?:一?点|一些|些|个|一个|几个|点儿)?(?:事|事儿|事情|情况|问题|想法)(?:儿)?$|^一下$/;

const WHEN_QUESTION = /(?:什么时候|哪天|几号|哪一天)(?:开|召开|举行)?/;
const MAYBE = /可能|也许|说不定|不一定|估计/;

const ATTENDANCE_AFTER_KIND =
  /^视察(?:活动|的活动)?(?:那天|当天|那次|这次|的时候|时)?(?:我|就|也|可能|恐怕|临时|家里|单位|有事|有点事)*(?:请个?假|请假|去不了|不去了?|来不了|参加不了|不参加|我去|去|参加|准时到|一定到|会去)/;
const NOT_GOING = /请个?假|去不了|不去|来不了|参加不了|不参加/;
/** "视察的通知收到了", "视察邀请…": words about the invitation to an inspection. */
const ABOUT_INVITATION = /^视察(?:活动)?的?(?:通知|邀请)/;
const NOTICE_RECEIVED = /(?<=^视察(?:活动)?)的?(?:通知|邀请)(?:我|俺)?(?:已经)?(?:收到|接到|看到)?了?/g;
/** Saying one will come: 参加, 准时到, 能去. */
const GOING_TO_COME = /参加|出席|(?:一定|肯定|准时|按时|能|可以|会)(?:去|到|来)/;

function unclear(norm: MappedText, core: MappedText, opts: ParseOptions): ParseResult {
  const suggestions = nearestCommands(looseOf(core).text, opts.roles).map((c, i) => ({
    index: i + 1,
    id: c.id as CommandId,
    word: c.word,
    usage: c.usage,
    summary: c.summary,
  }));
  return { kind: 'unclear', text: norm.text, suggestions, intent: readIntent(norm.source()) };
}

// "省人大 建议 …", "市人大的接待日": which congress a message is for (山西 / 大同 are the ones served).
const CONGRESS_AT_START = /^(?:山西省?人大|省人大|大同市?人大|市人大)(?:常委会)?(?:的)?(?:[ ,:]+)?/;
const LEVEL_WORDS: readonly [RegExp, CongressLevel][] = [
  // Only a congress named as such: "要去省里看病" names no congress.
  [/山西省?人大|省人大|省人代会|省级人大/, 'province'],
  [/大同市?人大|市人大|市人代会|市级人大/, 'city'],
  [/县人大|区人大/, 'county'],
  [/镇人大|乡人大/, 'township'],
];

export function congressLevelOf(text: string): CongressLevel | undefined {
  return LEVEL_WORDS.find(([re]) => re.test(text))?.[1];
}

function finish(b: Built, text?: string): CommandParse {
  const level = text === undefined ? undefined : congressLevelOf(text);
  // "视查", "人带会": a meeting's kind typed with a slip is found as the right spelling would find it.
  const meeting = b.args.meeting;
  if (meeting && typeof meeting === 'object' && 'name' in meeting && typeof meeting.name === 'string')
    b.args.meeting = { ...meeting, name: meetingWordsBySound(meeting.name) };
  return {
    ...(level ? { congressLevel: level } : {}),
    ...(b.loose ? { loose: true } : {}),
    kind: 'command',
    id: b.spec.id,
    spec: b.spec,
    word: b.spec.word,
    via: b.via,
    args: b.args,
    missing: b.missing,
    invalid: b.invalid,
  } as CommandParse;
}

function looseOf(m: MappedText): MappedText {
  return MappedText.identity(m.text).replace(new RegExp(LOOSE_NOISE.source, 'g'), () => '');
}

// ---- the command word --------------------------------------------------------------------------

interface WordEntry {
  word: string;
  spec: SpecOf;
  sets: Readonly<Record<string, string>>;
}

const WORDS: readonly WordEntry[] = CATALOG.filter((c) => !('notSuggested' in c && c.notSuggested))
  .flatMap((spec) =>
    spec.words.map((w) => ({
      word: w.word,
      spec,
      sets: ('sets' in w ? w.sets : {}) as Record<string, string>,
    })),
  )
  .sort((a, b) => b.word.length - a.word.length);

const GLUED_OK = new Set(['text', 'meeting', 'name', 'targets', 'organs']);

function matchWord(core: MappedText, opts: ParseOptions): (Built & { strong?: boolean }) | null {
  const lower = core.text.toLowerCase();
  const entry = WORDS.find((w) => lower.startsWith(w.word.toLowerCase()));
  if (!entry) return null;
  const rest = core.slice(entry.word.length);
  const first = entry.spec.args.find((a) => !(a.name in entry.sets));
  const after = rest.stripStart(ARG_LEAD);
  const boundary = rest.text === '' || /^[ ,.:;!?、~]/.test(rest.text);
  if (!boundary) {
    if (!first) {
      if (after.text.replace(/[?]+$/, '') !== '') return null;
    } else if (!GLUED_OK.has(first.kind.type)) {
      // "延期到下月底": the date glued on, the item left to the one just talked about.
      // "延期一个月": a shift of the deadline glued on, the same way.
      const dateArg = entry.spec.args.find((a) => a.kind.type === 'date');
      const dateGlued =
        first.kind.type === 'code' &&
        dateArg !== undefined &&
        // "延期到3月", "延期到春节后": a month without its day, a festival, as 延期 takes them.
        ((startsWithValue(dateArg, after.text.replace(DATE_LEAD, ''), opts.now) &&
          DATE_LEAD.test(after.text)) ||
          (startsWithValue(dateArg, after.text, opts.now) &&
            !startsWithValue({ ...first, kind: { type: 'date' } }, after.text, opts.now)));
      // "交办给市住建局": the organ glued on, the item left to the one just talked about.
      const organGlued =
        first.kind.type === 'code' &&
        entry.spec.args.some((a) => a.kind.type === 'organs') &&
        // Not "交办给谁了": a question.
        (/^(?:给|交给|由)(?!谁|哪)\p{Script=Han}/u.test(after.text) ||
          (entry.word === '交给' && /^(?!谁|哪)\p{Script=Han}/u.test(after.text)));
      if (!dateGlued && !organGlued && !startsWithValue(first, after.text, opts.now)) return null;
    }
  }
  if (entry.spec.id === 'leave.request') {
    const code = CODE_PATTERN.exec(after.text);
    if (code && code.index === 0) {
      return parseSequence(commandById('activity.decline'), rest, 'word', {}, opts);
    }
    return extractLeave(rest, null, 'word', opts);
  }
  const built = parseSequence(entry.spec, rest, 'word', entry.sets, opts);
  // 交给 is not the word 交办 itself: the step is asked about before it is done (docs/chat.md).
  if (entry.word === '交给') built.loose = true;
  if (entry.spec.id === 'reception.day') return bookingSaidWithDay(built, rest, opts) ?? built;
  if (entry.spec.id === 'reception.book') withBookingTopic(built);
  return built;
}

/** What asks about the reception day rather than telling a topic for it: "接待日 下月 几号", "…谁接待". */
const ASKS_ABOUT_DAY =
  /几号|哪天|哪一天|什么时候|啥时候|几点|时间|谁|哪位|哪里|在哪|地点|地方|吗|呢|么|怎么|咋|如何|能不能|可不可以|有没有|是不是|[?]/;

/**
 * "接待日 下月 停车难", "接待日 二月 说说停车难": a topic told after the day asks to book it (大同 第七条(九));
 * showing only the date would drop the words. Null when what follows the day is a question or nothing.
 */
function bookingSaidWithDay(day: Built, rest: MappedText, opts: ParseOptions): Built | null {
  const left = day.leftover.replace(/[ ,.!~]+$/, '');
  if (day.invalid.length > 0 || hanCount(left) < 2 || ASKS_ABOUT_DAY.test(left)) return null;
  const book = parseSequence(commandById('reception.book'), rest, 'word', {}, opts);
  return withBookingTopic(book);
}

/** Wanting to go is the booking itself ("俺想去"), and "说说" only opens the topic: neither is a topic. */
const GOING =
  /^(?:我|俺)?(?:想|要|准备|打算|希望)?(?:去|参加|预约|约|报名)(?:一下|下)?(?=$|[ ,，、])[ ,，、]*/;
const OPENER =
  /^(?:我|俺)?(?:想|要)?(?:谈谈|聊聊|说说|谈一下|说一下|聊一下|反映一下|汇报一下|反映)[ ,，、:：]*/;

function withBookingTopic(b: Built): Built {
  if (typeof b.args.topic !== 'string') return b;
  const topic = b.args.topic.replace(GOING, '').replace(OPENER, '').trim();
  if (hanCount(topic) < 2 || NO_TOPIC.test(topic)) delete b.args.topic;
  else b.args.topic = topic;
  return b;
}

function startsWithValue(arg: ArgSpec, text: string, now: string): boolean {
  switch (arg.kind.type) {
    case 'code':
      return /^[A-Za-z]{2}-?\d/.test(text);
    case 'month':
      return findMonth(text, now)?.index === 0;
    case 'year':
      return findYear(text, now)?.index === 0;
    case 'date':
      return (arg.kind.shift ? findExtensionDate(text, now) : findDate(text, now))?.index === 0;
    case 'choice':
      return arg.kind.options.some((o) => text.startsWith(o));
    default:
      return true;
  }
}

// ---- arguments in order, after a command word ----------------------------------------------------

/** A pointer at the item just talked about standing where its code would ("延期 这件 2027-03-31 …"). */
const POINTER_ARG = new RegExp(`^${ITEM_POINTER}(?=$|[ ,:])`);
const DATE_LEAD = /^(?:延期?到|延期至|延至|延长到|延长至|推迟到|顺延到|到|至|改为|改到)/;
const ORGAN_LEAD = /^(?:交给|交由|给|由|到|至)/;
const TARGETS_LEAD = /^(?:发给|发到|给|到)/;
const TEXT_LABEL = /^(?:内容|话题|主题|答复内容|通知内容)(?:是|为|:)/;
const ALL_LEAD = /^(?:全体|全部|所有|大家)(?:代表|人员|群|代表群)?/;
const GROUP_NAME = /^(.+?(?:代表小组|代表大组|小组|大组|代表团|联络站|群|组|站))/;
/**
 * Words of a notice, never of a group's name: "通知 明天上午9点开会，请各位代表准时参加" names no group, so
 * the whole is the notice and the groups are asked for.
 */
const NOTICE_LIKE = /[.!?;]|[上下]午|\d+[点时:]|今天|明天|后天|今晚|本周|下周|各位|请|准时|开会|参加/;

function emptyBuilt(spec: SpecOf, via: 'word' | 'phrase'): Built {
  return { spec, via, args: {}, missing: [], invalid: [], consumed: false, leftover: '' };
}

function missingOf(a: ArgSpec): MissingArg {
  return { name: a.name, label: a.label, question: a.question, fromContext: a.fromContext === true };
}

function invalidOf(a: ArgSpec, given: string, error: string): InvalidArg {
  return { ...missingOf(a), given, error };
}

function applyFound<T extends ArgValue>(b: Built, a: ArgSpec, found: Found<T>, written: string): void {
  if (found.result.ok) b.args[a.name] = found.result.value;
  else b.invalid.push(invalidOf(a, written, found.result.error));
}

/** Free text as the person wrote it, without leading separators, labels or trailing particles. */
function cleanText(m: MappedText, arg: ArgSpec): string {
  let t = m.stripStart(ARG_LEAD).stripStart(TEXT_LABEL);
  if (arg.name === 'reason') t = t.stripStart(REASON_OPENER);
  t = t
    .stripStart(ARG_LEAD)
    .stripEnd(/(?:[ ,.!~、;:]|[吧啊呀呢哈嘛啦哦])+$/)
    .trim();
  return t.source().trim();
}

/**
 * A code of the right kind standing as a word of its own after other words ("到下月底 JY-2026-0001 …"):
 * where it is, spaces around it included. Null when the text opens with one, or holds none or several.
 */
function codeLater(
  t: string,
  prefixes: readonly CodePrefix[],
): { code: string; start: number; end: number } | null {
  const all = [...t.matchAll(new RegExp(`(?<=^|[ ,;:])${CODE_PATTERN.source}(?=$|[ ,.;:!])`, 'g'))];
  if (all.length !== 1) return null;
  const m = all[0]!;
  if (m.index === 0 || !prefixes.includes(m[1] as CodePrefix)) return null;
  // The code and the spaces before it go; a space after it stays, between the words around it.
  let start = m.index;
  while (start > 0 && t[start - 1] === ' ') start--;
  return { code: m[0], start, end: m.index + m[0].length };
}

function parseSequence(
  spec: SpecOf,
  rest: MappedText,
  via: 'word' | 'phrase',
  presets: Readonly<Record<string, string>>,
  opts: ParseOptions,
): Built {
  const b = emptyBuilt(spec, via);
  let cur = rest;
  spec.args.forEach((a, i) => {
    if (a.name in presets) {
      b.args[a.name] = presets[a.name]!;
      return;
    }
    // "发个通知：明天上午九点开会": what follows a colon straight after the word is the notice, not a group.
    const colonFirst = i === 0 && a.kind.type === 'targets' && /^\s*:/.test(cur.text);
    cur = cur.stripStart(ARG_LEAD);
    let t = cur.text;
    const next = spec.args[i + 1];
    let taken = 0;
    if (colonFirst) {
      b.missing.push(missingOf(a));
      return;
    }
    switch (a.kind.type) {
      case 'code': {
        // "延期到下月底 JY-2026-0001 施工队进场晚": the code written after what follows it, as a word of its own.
        const later = i === 0 ? codeLater(t, a.kind.prefixes) : null;
        if (later) {
          b.args[a.name] = later.code;
          b.consumed = true;
          cur = cur.splice([[later.start, later.end, '']]);
          t = cur.text;
          break;
        }
        // "延期 这件 2027-03-31 …": the item just talked about, pointed at (command-start.ts reads it).
        const pointer = POINTER_ARG.exec(t);
        if (pointer) {
          taken = pointer[0].length;
          break;
        }
        const m = CODE_PATTERN.exec(t);
        if (m && m.index === 0) {
          const c = checkCode(m[0], a.kind.prefixes);
          if (c.ok) b.args[a.name] = c.value;
          else b.invalid.push(invalidOf(a, m[0], c.error));
          taken = m[0].length;
        } else {
          const looks = /^[A-Za-z]{2}[-\d][\w-]*/.exec(t);
          if (looks) {
            b.invalid.push(
              invalidOf(a, looks[0], `“${looks[0]}”不是有效的编号，编号形如 ${a.kind.prefixes[0]}-2026-0012`),
            );
            taken = looks[0].length;
          }
        }
        break;
      }
      case 'month':
      case 'year':
      case 'date': {
        const lead = a.kind.type === 'date' ? (DATE_LEAD.exec(t)?.[0].length ?? 0) : 0;
        const body = t.slice(lead);
        const found =
          a.kind.type === 'month'
            ? findMonth(body, opts.now)
            : a.kind.type === 'year'
              ? findYear(body, opts.now)
              : a.kind.shift
                ? findExtensionDate(body, opts.now)
                : findDate(body, opts.now);
        if (found && found.index === 0) {
          applyFound(b, a, found as Found<ArgValue>, body.slice(0, found.length));
          taken = lead + found.length;
        } else if (a.kind.type === 'date' && /^\d/.test(body)) {
          const given = /^\S+/.exec(body)![0];
          b.invalid.push(invalidOf(a, given, `看不懂日期“${given}”，请写成 2027-03-01 或 2027年3月1日`));
          taken = lead + given.length;
        }
        break;
      }
      case 'choice': {
        const o = [...a.kind.options].sort((x, y) => y.length - x.length).find((x) => t.startsWith(x));
        if (o) {
          b.args[a.name] = o;
          taken = o.length;
        }
        break;
      }
      case 'name': {
        let end = t.search(/[ ,:]/);
        if (end < 0) end = t.length;
        if (next?.kind.type === 'choice') {
          for (const o of next.kind.options) {
            const k = t.indexOf(o);
            if (k > 0 && k < end) end = k;
          }
        }
        const name = t.slice(0, end).replace(/代表$/, '');
        if (name !== '') b.args[a.name] = cur.slice(0, name.length).source();
        taken = end;
        break;
      }
      case 'targets': {
        // "发个通知给全体代表": the 给 that leads the targets is no part of a group's name.
        const lead = TARGETS_LEAD.exec(t)?.[0].length ?? 0;
        if (lead > 0) {
          cur = cur.slice(lead);
          t = cur.text;
        }
        const all = ALL_LEAD.exec(t);
        let token = '';
        if (all) token = all[0];
        else {
          const sep = t.search(/[ :]/);
          if (sep > 0) token = t.slice(0, sep);
          else token = GROUP_NAME.exec(t)?.[1] ?? t;
        }
        if (!all && NOTICE_LIKE.test(token)) token = '';
        if (token !== '') {
          const r = parseTargets(token);
          if (r.ok) b.args[a.name] = r.value;
          else b.invalid.push(invalidOf(a, token, r.error));
        }
        taken = token.length;
        break;
      }
      case 'organs': {
        const lead = ORGAN_LEAD.exec(t)?.[0].length ?? 0;
        const body = t.slice(lead).trim();
        if (body !== '') {
          const r = parseOrgans(body);
          if (r.ok) b.args[a.name] = r.value;
          else b.invalid.push(invalidOf(a, body, r.error));
        }
        taken = t.length;
        break;
      }
      case 'meeting':
      case 'text': {
        const v = cleanText(cur, a);
        if (v !== '') b.args[a.name] = a.kind.type === 'meeting' ? { name: v } : v;
        taken = t.length;
        break;
      }
    }
    if (taken > 0) b.consumed = true;
    cur = cur.slice(taken);
    if (!(a.name in b.args) && !b.invalid.some((x) => x.name === a.name) && !a.optional) {
      b.missing.push(missingOf(a));
    }
  });
  b.leftover = cur.stripStart(ARG_LEAD).stripEnd(/[?]+$/).text;
  return b;
}

// ---- phrases -------------------------------------------------------------------------------------

function matchPhrase(core: MappedText, opts: ParseOptions): (Built & { strong: boolean }) | null {
  const loose = looseOf(core);
  let best: { p: Phrase; m: RegExpExecArray; order: number } | null = null;
  PHRASES.forEach((p, order) => {
    if (p.needsCode && !codeOfPrefix(p.needsCode).test(core.text)) return;
    if (p.unless?.test(loose.text)) return;
    if (p.staffOnly && !mayUse('staff', opts.roles)) return;
    const m = p.re.exec(loose.text);
    if (!m) return;
    const pr = p.priority ?? 0;
    const bp = best?.p.priority ?? 0;
    if (
      best === null ||
      pr > bp ||
      (pr === bp && m.index < best.m.index) ||
      (pr === bp && m.index === best.m.index && m[0].length > best.m[0].length)
    ) {
      best = { p, m, order };
    }
  });
  if (best === null) return null;
  const { p, m } = best as { p: Phrase; m: RegExpExecArray };
  // The trigger's place in `core`.
  const [ts, te] = m[0].length > 0 ? loose.span(m.index, m.index + m[0].length) : [0, 0];
  const spec = commandById(p.id);
  const sets = { ...(p.sets ?? {}) };
  let built: Built;
  switch (p.id) {
    case 'leave.request':
      built = extractLeave(core, [ts, te], 'phrase', opts);
      break;
    case 'suggestion.submit': {
      built = buildFromScan(spec, core, 'phrase', sets, opts);
      const content = textAfterOrBefore(core, ts, te, spec.args.find((a) => a.name === 'content')!);
      setText(built, spec, 'content', content);
      break;
    }
    case 'inspection.request': {
      built = buildFromScan(spec, core, 'phrase', sets, opts);
      setText(built, spec, 'content', cleanText(core, spec.args[0]!));
      break;
    }
    case 'suggestion.proxy': {
      if (m[2]) sets.kind = m[2];
      built = buildFromScan(spec, core, 'phrase', sets, opts);
      if (m[1]) built.args.deputy = m[1];
      built.missing = built.missing.filter((x) => !(x.name in built.args));
      setText(built, spec, 'content', cleanText(core.slice(te), spec.args[2]!));
      break;
    }
    case 'reception.book': {
      built = buildFromScan(spec, core, 'phrase', sets, opts);
      const topic = TOPIC_OPENER.exec(core.text);
      // After "说说…" too, the month, the day and "行不行" are no part of the topic.
      const v = topic
        ? withoutWhen(cleanText(core.slice(topic.index + topic[0].length), spec.args[1]!), opts.now)
        : bookingTopic(core, opts.now);
      // "我想见见主任反映点事": something to say, but no topic named.
      if (v !== '' && !NO_TOPIC.test(v)) built.args.topic = v;
      break;
    }
    case 'suggestion.rate': {
      built = buildFromScan(spec, core, 'phrase', sets, opts);
      // Plain words without 满意 ("不行，没解决") are themselves the reason.
      const comment =
        /满意/.test(m[0]) || sets.rating !== '不满意'
          ? ratingComment(core, ts, te)
          : cleanText(core.stripStart(LEADING_FILLER), spec.args[2]!);
      if (comment !== '') built.args.comment = comment;
      break;
    }
    case 'activity.attend': {
      built = buildFromScan(spec, core, 'phrase', sets, opts);
      const meeting = meetingAround(core, ts, te);
      if (meeting !== '' && !('code' in built.args)) built.args.meeting = { name: meeting };
      break;
    }
    default:
      built = buildFromScan(spec, core, 'phrase', sets, opts);
  }
  return { ...built, strong: p.strong === true, ...(p.loose ? { loose: true } : {}) };
}

function setText(b: Built, spec: CommandSpec, name: string, value: string): void {
  const a = spec.args.find((x) => x.name === name)!;
  if (value !== '') {
    b.args[name] = value;
    b.missing = b.missing.filter((x) => x.name !== name);
  } else if (!a.optional && !b.missing.some((x) => x.name === name)) {
    b.missing.push(missingOf(a));
  }
}

/**
 * The text after a trigger, or, when nothing follows it, what came before ("关于路灯，我有个建议"). When
 * the matter is told before the trigger too ("公交车间隔太长，群众反映强烈"), the whole message: no word of
 * it is dropped.
 */
/** Before the command's word: asking whether one may ("能提", "可以提个", "能不能反映"). */
const ASKED_MAY_BEFORE = /(?:能|可以|能不能|可不可以|可否)(?:提|反映)?(?:个|一个|一条|点)?$/;
/** Where a question's words end: a pause or the end of the message. */
const ASK_END = String.raw`(?:[\s,.:;!?，。：；！？、]+|$)`;
/** The question's particle the matter follows ("吗 学校食堂太贵了", "不？路灯坏了"). */
const QUESTION_PARTICLE_FIRST = new RegExp(`^(?:吗|么|嘛|不|没有?|呢)${ASK_END}`);
/** Whether one may, asked after the command's word ("…建议 能提吗 物业不管事"). */
const MAY_ASKED_AFTER = new RegExp(
  `^(?:能不能|可不可以|能|可以)(?:提|说|反映)?(?:吗|么|嘛|不|没有?)?${ASK_END}`,
);

function textAfterOrBefore(whole: MappedText, tsIn: number, teIn: number, arg: ArgSpec): string {
  // Who is writing is no part of the matter: "你好 我是张秀英代表 我想反映一下…".
  const opened = whole.stripStart(LEADING_FILLER);
  const intro = OPENING_INTRO.exec(opened.text);
  const skip =
    intro && whole.length - opened.length + intro[0].length <= tsIn
      ? whole.length - opened.length + intro[0].length
      : 0;
  const core = whole.slice(skip);
  const [ts, te] = [tsIn - skip, teIn - skip];
  const told = core
    .slice(0, ts)
    .stripStart(LEADING_FILLER)
    .stripEnd(/(?:[ ,.:;!]|我想|我要|我们|我|想|要|对|就是说?|那个)+$/);
  const said = (told.text.match(/\p{Script=Han}/gu) ?? []).length;
  // "老师能提建议吗 学校食堂太贵了": asked whether one may, then the matter; the question is no part of it.
  const askedMay = ASKED_MAY_BEFORE.test(told.text);
  const after = cleanText(core.slice(te), arg)
    .replace(/^(?:想提|要提|想说|要说|想反映|要反映|提一下|说一下)(?:一下)?$/, '')
    // "我有个建议能提吗", "我有个意见 能提吗 物业不管事": the question is no part of the matter.
    .replace(MAY_ASKED_AFTER, '')
    .trim();
  if (askedMay) {
    const matter = after.replace(QUESTION_PARTICLE_FIRST, '').trim();
    if (matter !== '') return matter;
    // "路灯坏了 我能提建议吗": the matter came first.
    const v = cleanText(told.stripEnd(ASKED_MAY_BEFORE).stripEnd(/(?:[ ,.:;!]|我们|我|俺们|俺)+$/), arg);
    return /\p{Script=Han}.*\p{Script=Han}/u.test(v) ? v : '';
  }
  if (after !== '' && said >= 4) return cleanText(core, arg);
  if (after !== '') return after;
  const before = core
    .slice(0, ts)
    .stripStart(LEADING_FILLER)
    .stripEnd(/(?:[ ,.:;!]|我想|我要|我们|我|想|要)+$/);
  const v = cleanText(before, arg);
  return /\p{Script=Han}.*\p{Script=Han}/u.test(v) ? v : '';
}

/** Codes, months, years and dates from anywhere in the message; free text is left to the caller. */
function buildFromScan(
  spec: SpecOf,
  core: MappedText,
  via: 'word' | 'phrase',
  presets: Readonly<Record<string, string>>,
  opts: ParseOptions,
): Built {
  const b = emptyBuilt(spec, via);
  const codes = [...core.text.matchAll(new RegExp(CODE_PATTERN.source, 'g'))].map((m) => m[0]);
  const withoutCodes = core.text.replace(new RegExp(CODE_PATTERN.source, 'g'), ' ');
  for (const a of spec.args) {
    if (a.name in presets) {
      b.args[a.name] = presets[a.name]!;
      continue;
    }
    switch (a.kind.type) {
      case 'code': {
        const prefixes: readonly CodePrefix[] = a.kind.prefixes;
        const fit = codes.find((c) => prefixes.includes(c.slice(0, 2) as CodePrefix));
        if (fit) b.args[a.name] = fit;
        else if (codes[0]) {
          const c = checkCode(codes[0], prefixes);
          if (!c.ok) b.invalid.push(invalidOf(a, codes[0], c.error));
        }
        break;
      }
      case 'month':
      case 'year':
      case 'date': {
        const f =
          a.kind.type === 'month'
            ? findMonth(withoutCodes, opts.now)
            : a.kind.type === 'year'
              ? findYear(withoutCodes, opts.now)
              : a.kind.shift
                ? findDateOrShift(withoutCodes, opts.now)
                : findDate(withoutCodes, opts.now);
        if (f) applyFound(b, a, f as Found<ArgValue>, withoutCodes.slice(f.index, f.index + f.length));
        break;
      }
      default:
        break;
    }
    if (
      !(a.name in b.args) &&
      !b.invalid.some((x) => x.name === a.name) &&
      !a.optional &&
      a.kind.type !== 'text'
    ) {
      b.missing.push(missingOf(a));
    }
  }
  // Free text arguments are filled (or reported missing) by the caller.
  for (const a of spec.args) {
    if (a.kind.type === 'text' && !a.optional && !(a.name in b.args)) b.missing.push(missingOf(a));
  }
  b.missing.sort((x, y) => argIndex(spec, x.name) - argIndex(spec, y.name));
  b.consumed = true;
  return b;
}

const argIndex = (spec: CommandSpec, name: string) => spec.args.findIndex((a) => a.name === name);

const HAN_RE = /\p{Script=Han}/gu;
const hanCount = (s: string) => (s.match(HAN_RE) ?? []).length;

/** The reason given with a rating in plain words: the message without the rating words, as written. */
function ratingComment(core: MappedText, ts: number, te: number): string {
  const strip = (m: MappedText) =>
    m
      .stripStart(LEADING_FILLER)
      .stripStart(REASON_OPENER)
      // "不对，我是说不满意": the correction is no reason.
      .stripStart(
        /^(?:[ ,.:;!、]|我|对|这个|那个|答复|回复|的|觉得|感觉|收到了|看了|不对|说错了|是说|意思是)+/,
      )
      .stripEnd(
        /(?:[ ,.:;!~、]|[吧啊呀呢哈嘛啦哦]|谢谢(?:你们|你|您)?|感谢|很|非常|十分|特别|挺|还算|比较|算是|还|我|对|,?但是?|可是)+$/,
      )
      .trim();
  const before = strip(core.slice(0, ts));
  const after = strip(core.slice(te).stripStart(/^(?:[ ,.:;!、]|[吧啊呀呢哈嘛啦哦]|了)+/));
  const parts = [before, after].filter((x) => hanCount(x.text) >= 2).map((x) => x.source().trim());
  return parts.join('，');
}

const DAY_OR_ASKING =
  /(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:号|日)(?:那天)?(?=$|[ ,.:;!?、的行可好能成吧])|行不行|可以吗|行吗|可不可以|好不好|能不能约|成不成/gu;

/** A topic without the month, the day or "行不行" said with it ("俺们村吃水的事 下个月三号行不行"). */
function withoutWhen(topic: string, now: string): string {
  const month = findMonth(topic, now);
  const t = month ? topic.slice(0, month.index) + topic.slice(month.index + month.length) : topic;
  return t
    .replace(DAY_OR_ASKING, '')
    .replace(/\s{2,}/g, ' ')
    .replace(/^[\s,，、]+|[\s,，。.!！?？、吧]+$/g, '')
    .trim();
}

/** What is left of a booking message once the booking words, the month and fillers are gone: its topic. */
function bookingTopic(core: MappedText, now: string): string {
  let t = core.text;
  const month = findMonth(t, now);
  const cut: [number, number][] = [];
  if (month) cut.push([month.index, month.index + month.length]);
  const words =
    /(?:我想|我要|想要?|帮我|给我|麻烦)?(?:预约|约)(?:一下|个|一个)?(?:副?主任|领导)?|(?:我想|我要|想要?)?(?:见|找|约见|面见)(?:一下|下)?(?:副?主任|领导)|(?:主任)?接待(?:代表)?日|(?:山西省?|大同市?|省|市)人大(?:常委会)?|(?:的|那个|这个|就是说?|嗯|一下|我想去|想去|要去|我去|一个|一趟|一次|看看|看一下|参加|报个?名|是|话题|主题)(?=$|[ ,.:;!?、]|\p{Script=Han})/gu;
  for (const m of t.matchAll(words)) cut.push([m.index, m.index + m[0].length]);
  // "下个月五号的接待日", "…下个月三号行不行": the day (the reception day is the congress's) and the asking.
  for (const m of t.matchAll(DAY_OR_ASKING)) cut.push([m.index, m.index + m[0].length]);
  cut.sort((a, b) => a[0] - b[0]);
  const keep: MappedText[] = [];
  let pos = 0;
  for (const [a, z] of cut) {
    if (a > pos) keep.push(core.slice(pos, a));
    pos = Math.max(pos, z);
  }
  keep.push(core.slice(pos));
  t = '';
  const pieces = keep
    .map((k) =>
      k
        .stripStart(/^(?:[ ,.:;!?、]|的|了|吧)+/)
        .stripEnd(/(?:[ ,.:;!?、]|的|了|吧|吗|呢)+$/)
        .trim(),
    )
    .filter((k) => hanCount(k.text) >= 2);
  return pieces.map((k) => k.source().trim()).join(' ');
}

/** The words naming a meeting next to 参加 ("8号的小组学习我参加", "参加十号的常委会"). */
function meetingAround(core: MappedText, ts: number, te: number): string {
  const after = core
    .slice(te)
    .stripStart(/^(?:[ ,.:;!、]|一下|了)+/)
    .stripEnd(/(?:[ ,.!~]|[吧啊呀呢哈嘛啦哦])+$/)
    .trim();
  if (MEETING_CUE.test(after.text)) return after.source().trim();
  // "我收到一个视察的通知，我能去": what was received is the meeting's kind.
  const before = core
    .slice(0, ts)
    .stripStart(LEADING_FILLER)
    .stripStart(/^我?(?:收到|接到)了?(?:一个|一份|个|份)?/)
    .stripEnd(/(?:[ ,.:;!]|我们?|我就|会|能|肯定|一定|准时|按时|的)+$/)
    .trim();
  return MEETING_CUE.test(before.text) ? before.source().trim() : '';
}

// ---- leave: meeting and reason out of free-form text -------------------------------------------

/** Forms of address that open a message ("各位领导，…"): neither meeting nor reason. */
const SALUTATION =
  /^(?:各位|尊敬的)?\p{Script=Han}{0,2}?(?:领导|同志|老师|主任|书记|秘书长|工作人员|同事)们?(?:好|您好|你好|你们好)?$/u;
// "我是张大爷，我想问一下下礼拜三那个视察…": asking, after an introduction, opens the segment that says it.
const SEGMENT_LEAD = new RegExp(
  `^(?:[ ,.:;!?~、]|[嗯呃额啊哦噢哎唉]|那个|这个(?!月)|就是说?|然后|而且|另外|${ASKING_OPENER})+`,
);
const ASKING_HOW = /(?:我?(?:该|要|应该|得|能|可以))?(?:怎么|如何|怎样)$/;
// "下个月的会可以请假吗": asking whether one may is no part of the meeting or the reason (not 不能).
const SEGMENT_TAIL = /(?:[ ,.!~、]|[吧啊呀呢哈嘛啦哦吗]|(?<!不)(?:可以|能))+$/;

function segmentsOf(m: MappedText): MappedText[] {
  const out: MappedText[] = [];
  const re = /[ ,.;:!?]+/g;
  let last = 0;
  for (let x = re.exec(m.text); x !== null; x = re.exec(m.text)) {
    out.push(m.slice(last, x.index));
    last = x.index + x[0].length;
  }
  out.push(m.slice(last));
  return out
    .map((s) => s.stripStart(SEGMENT_LEAD).stripEnd(SEGMENT_TAIL).trim())
    .filter(
      (s) =>
        s.text !== '' &&
        !/^(?:我们?|本人|我想|我要|我得|想|要|了|我?(?:可以|能|能不能|可不可以|可否))$/.test(s.text),
    );
}

/** A day named at the start of a message ("下礼拜三", "明天", "12月9号"), and a later "那天的…" pointing back at it. */
const LEADING_DAY =
  /^(?:(?:下下?|这|本)?个?(?:礼拜|星期|周)[一二三四五六日天]|明天|后天|大后天|\d{1,2}月\d{1,2}[日号]|\d{1,2}[日号])/;
const BACK_TO_DAY = /^(?:那天|当天|这天|那一天)的?/;
/** The kind of meeting inside "不去视察", "不去开会". */
const DECLINED_KIND = /视察|调研|考察|活动|培训|学习|开会/;
/** What may stand between a meeting's name and the reason ("视察那天我有事"). */
const BETWEEN_MEETING_AND_REASON =
  /^(?:那天|当天|那次|这次|的时候|时|[ ,、])*(?:我们?|俺们?|本人)?(?:就|也|是|因为|由于)?/;

/**
 * "视察那天我有事", "常委会我家里有事": a meeting's kind word, then a reason; null when the words are not
 * so divided.
 */
function meetingThenReason(words: MappedText): { meeting: MappedText; reason: MappedText } | null {
  const mc = MEETING_CUE.exec(words.text);
  if (!mc) return null;
  const end = mc.index + mc[0].length;
  const reason = words.slice(end).stripStart(BETWEEN_MEETING_AND_REASON);
  if (reason.text === '' || !REASON_CUE.test(reason.text) || MEETING_CUE.test(reason.text)) return null;
  return { meeting: words.slice(0, end), reason };
}

function extractLeave(
  core: MappedText,
  trigger: [number, number] | null,
  via: 'word' | 'phrase',
  opts: ParseOptions,
): Built {
  const codeMatch = CODE_PATTERN.exec(core.text);
  const isActivity = codeMatch?.[1] === 'HD';
  const spec = commandById(isActivity ? 'activity.decline' : 'leave.request');
  const b = emptyBuilt(spec, via);
  b.consumed = true;

  // The message without the words asking for leave and without the code. A "去不了" trigger stays:
  // what precedes it names the meeting.
  const cuts: [number, number][] = [];
  for (const m of core.text.matchAll(new RegExp(LEAVE_WORD.source, 'g'))) {
    cuts.push([m.index, m.index + m[0].length]);
  }
  void trigger;
  if (codeMatch) cuts.push([codeMatch.index, codeMatch.index + codeMatch[0].length]);
  cuts.sort((x, y) => x[0] - y[0]);
  const pieces: MappedText[] = [];
  let pos = 0;
  for (const [a, z] of cuts) {
    if (a > pos) pieces.push(core.slice(pos, a));
    pos = Math.max(pos, z);
  }
  pieces.push(core.slice(pos));

  let meeting: MappedText | null = null;
  let fallback: MappedText | null = null;
  const reasons: MappedText[] = [];
  const addReason = (r: MappedText) => {
    // "…要住院做手术，怎么请假": the question word before the leave word is no part of the reason.
    const t = r
      .stripStart(REASON_OPENER)
      .stripStart(SEGMENT_LEAD)
      // "那天俺要做手术", "开会时候我住院": when, and who, are no part of why.
      .stripStart(WHEN_BEFORE_REASON)
      .stripEnd(SEGMENT_TAIL)
      .stripEnd(ASKING_HOW)
      .stripEnd(SEGMENT_TAIL)
      .trim();
    if (t.text !== '' && t.text !== '了') reasons.push(t);
  };
  for (const piece of pieces) {
    for (const seg of segmentsOf(piece)) {
      const unable = UNABLE_RE.exec(seg.text);
      if (unable) {
        const before = seg.slice(0, unable.index).stripEnd(MEETING_TAIL).trim();
        const earlier: MappedText | null = meeting ?? fallback;
        const day = earlier === null ? null : LEADING_DAY.exec(earlier.text);
        const backToDay = earlier !== null && day !== null && BACK_TO_DAY.test(before.text);
        if (backToDay) {
          // "下礼拜三我要去外地开会，那天的活动去不了": the day named first, the meeting named after it; the
          // rest of the first part is the reason.
          addReason(earlier!.slice(day![0].length));
          if (earlier === fallback) fallback = null;
          meeting = MappedText.identity(
            `${earlier!.slice(0, day![0].length).source()}的${before.stripStart(BACK_TO_DAY).source()}`,
          );
        }
        const after = seg.slice(unable.index + unable[0].length).stripStart(/^了+/);
        if (meeting === null && before.text !== '') {
          const split = meetingThenReason(before);
          const from = before.stripStart(/^(?:我们?|本人)+/);
          if (split) {
            // "视察那天我有事去不了": the meeting, then why.
            meeting = split.meeting;
            addReason(split.reason);
          } else if (REASON_CUE.test(before.text) && !MEETING_CUE.test(before.text)) {
            // "家里有事去不了", "我有事去不了视察": why first; a day may lead it ("明天有事去不了").
            const day = LEADING_DAY.exec(from.text);
            if (day) meeting = from.slice(0, day[0].length);
            addReason(day ? from.slice(day[0].length) : from);
          } else meeting = before;
        } else if (!backToDay && before.text !== '') {
          // "请假 人代会 身体不好去不了": the meeting was named already; what comes before 去不了 says why.
          addReason(before.stripStart(/^(?:我们?|本人)+/));
        }
        if (meeting === null && MEETING_CUE.test(after.text)) {
          // "我去不了明天的会", "去不了视察，单位有事": the meeting named after the words that decline.
          const split = meetingThenReason(after);
          if (split || !REASON_CUE.test(after.text)) {
            meeting = split?.meeting ?? after.stripEnd(SEGMENT_TAIL).trim();
            if (split) addReason(split.reason);
            continue;
          }
        }
        // "我不去视察了": the words that decline also name what is declined.
        const named = DECLINED_KIND.exec(unable[0]);
        if (meeting === null && named)
          meeting = seg.slice(unable.index + named.index, unable.index + named.index + named[0].length);
        addReason(after);
        continue;
      }
      if (REASON_OPENER.test(seg.text)) {
        addReason(seg);
        continue;
      }
      const mc = MEETING_CUE.exec(seg.text);
      if (meeting === null && mc) {
        // The meeting's name ends with its kind word ("下星期三的常委会", "…会议"); what follows it is the
        // reason when it says something ("我在北京学习").
        const end =
          mc.index +
          mc[0].length +
          (/^(?:会议|会|活动)/.exec(seg.text.slice(mc.index + mc[0].length))?.[0].length ?? 0);
        const tail = seg.slice(end);
        const rest = tail.stripStart(/^(?:[ ,、]|我们?|我就|的话|的)+/);
        const subject = /^(?:[ ,、]|我|本人|因为|由于)/.test(tail.text);
        const says =
          REASON_CUE.test(rest.text) ||
          (subject && hanCount(rest.text) >= 2) ||
          (!MEETING_CUE.test(rest.text) && hanCount(rest.text) >= 3);
        if (says) {
          meeting = seg.slice(0, end);
          addReason(rest);
        } else meeting = seg;
        continue;
      }
      if (SALUTATION.test(seg.text) || SELF_INTRO.test(seg.text) || COURTESY_LEFT.test(seg.text)) continue;
      if (REASON_CUE.test(seg.text) || meeting !== null) addReason(seg);
      else if (fallback === null) fallback = seg;
      else addReason(seg);
    }
  }
  // A segment with no kind word names the meeting only when no other did ("请假 十号 出差").
  if (meeting === null) meeting = fallback;
  else if (fallback !== null && !NO_MEETING_WORDS.test(fallback.text)) reasons.unshift(fallback);
  if (meeting !== null) {
    const m = (meeting as MappedText)
      .stripStart(/^(?:我们?|本人)+/)
      .stripEnd(MEETING_TAIL)
      .trim();
    // "那俺就请个假吧": 那 and 就 lead into the request; they name no meeting.
    meeting = m.text === '' || NO_MEETING_WORDS.test(m.text) ? null : m;
  }

  const [first, reasonArg] = spec.args as readonly [ArgSpec, ArgSpec];
  if (isActivity) {
    b.args.code = codeMatch![0];
  } else if (codeMatch) {
    const c = checkCode(codeMatch[0], ['HD']);
    if (!c.ok) b.invalid.push(invalidOf(first, codeMatch[0], c.error));
  } else if (meeting !== null) {
    b.args.meeting = { name: (meeting as MappedText).source().trim() };
  }
  if (reasons.length > 0) b.args.reason = reasons.map((r) => r.source().trim()).join('，');
  if (!(first.name in b.args) && !b.invalid.some((x) => x.name === first.name))
    b.missing.push(missingOf(first));
  if (!(reasonArg.name in b.args)) b.missing.push(missingOf(reasonArg));
  void opts;
  return b;
}

/** Words before 请假 that lead into it and name nothing ("那我就", "好吧那就", "这样"). */
const NO_MEETING_WORDS =
  /^(?:那|那么|那样|这样|好|好吧|行|行吧|嗯|哦|要不|要不然|干脆|还是)*(?:我|俺|我们)?(?:就|还是|只好|只能)?$/;

// ---- two requests in one message ---------------------------------------------------------------

/** "…，另外我想提个建议，…": where a second request of another kind begins. */
const SECOND_WORD = /另|还有|顺便|顺带|再有|同时|再就是|还想|还要|\s(?:建议|意见|批评)\s/;
// "…腿疼 我还想提个建议 村口路灯坏了" (spoken, no punctuation): 还想 before a request's verb starts one too;
// so does 另外 between words with no pause ("…你们给反映反映另外下个月的会…"), not 另外一个, 另外的.
// 顺便 joins two asks even when typed without a pause ("…住院顺便查一下我的建议").
const SECOND_REQUEST =
  /(?<=[\u4e00-\u9fff])另外(?![一两几的个些])|[,.;!?\s]\s*(?:另外|另(?=催|查|问|约|预约|请|提|看)|还有(?:一件事|个事|一个事|就是)?|再有|同时|再就是)[,]?\s*|[,.;!?\s]*(?:顺便|顺带)[,]?\s*|[,.;!?\s]\s*(?:我|俺)?还(?:想|要)(?=提|反映|请|约|预约|查|催|问)|\s+(?=(?:建议|意见|批评)\s)/g;
// What starts a request of its own after a suggestion's words: "另外我想请个假…", not "另外物业也不管，希望…督促".
const REQUEST_OPENS =
  /^(?:我|俺)?(?:还|再|也)?(?:想|要|得)?(?:帮我|给我)?(?:请个?假|请假|预约|约一?下?接待日|查询|查一?下|查查|问一?下|问问|催办|催一?下|催催|撤回|参加|视察|取消预约|提个?(?:建议|意见)|反映)/;

// "下个月的会俺可能去不了": the deputy themself not going, not others ("很多人去不了").
const OWN_ABSENCE = /(?:我|俺)(?:可能|恐怕|估计|怕是)?(?:去不了|来不了|参加不了|去不成|不能去|不能参加)/;

// "我上个月提的那个", "俺的建议": the deputy's own items, asked after.
const OWN_ITEMS_ASKED =
  /(?:我|俺)们?.{0,6}(?:提|交|报|反映)(?:过|了)?的|(?:我|俺)的(?:建议|意见|批评|事项|事)/;

/**
 * A message that asks for two things of different kinds ("下个月的会我去不了要出差，另外我想提个建议，村口的路灯
 * 坏了"): its two parts in the order to answer them, each on its own; null when it asks for one (a
 * suggestion that goes on "另外…" is one suggestion).
 */
export function twoRequests(
  text: string,
  opts: ParseOptions,
  /** A request the turn reads itself (撤回, 修改 of one's item), which the parser does not know. */
  isOwnRequest?: (part: string) => boolean,
): [string, string] | null {
  for (const { first, second, spaceOnly } of partsAtSecond(text, opts)) {
    const a = parseCommand(first, opts);
    const b = parseCommand(second, opts);
    // "撤回 刚才的建议 另外查一下我请假批了没": the query answered, then the withdrawal asked about.
    if (!spaceOnly && b.kind === 'command' && !b.spec.dialogControl && isOwnRequest?.(first))
      return [second, first];
    // "村口路灯坏了 另外查一下我的建议": the request answered, then the matter offered as a suggestion;
    // never the matter dropped for the request.
    if (
      !spaceOnly &&
      a.kind === 'unclear' &&
      a.intent.kind === 'matter' &&
      b.kind === 'command' &&
      b.id !== 'suggestion.submit' &&
      !b.spec.dialogControl &&
      b.missing.length === 0 &&
      (b.via === 'word' || REQUEST_OPENS.test(second))
    )
      return [second, first];
    if (a.kind !== 'command') continue;
    // "请假 人代会 出差 建议 路灯太暗": a bare 建议 after spaces starts a second request only after a leave
    // request's reason ("代录 张三 建议 …" is one command).
    if (spaceOnly && a.id !== 'leave.request' && a.id !== 'activity.decline') continue;
    // "…去不了，另外我们村的路灯坏了好几天了": a matter told after a request is offered as a suggestion, last.
    // A suggestion (or a booking's topic) that goes on "另外…" is one: its words stay together.
    const ownWords = a.spec.args.some((x) => x.kind.type === 'text' && x.name !== 'reason');
    if (b.kind === 'unclear' && b.intent.kind === 'matter' && a.missing.length === 0 && !ownWords)
      return [first, second];
    if (b.kind !== 'command' || a.id === b.id || b.spec.dialogControl) continue;
    // A suggestion's words go on unless what follows opens with a request of its own, asks after the
    // deputy's own items ("建议 路灯坏了 另外 我上个月提的那个咋样了": both, never the query alone), or is a
    // leave of the deputy's own told whole after 另外 ("…你们给反映反映另外下个月的会俺可能去不了俺老伴住院了").
    if (
      ownWords &&
      b.via !== 'word' &&
      !REQUEST_OPENS.test(second) &&
      !(b.id === 'item.query' && !spaceOnly && OWN_ITEMS_ASKED.test(second)) &&
      !(!spaceOnly && b.id === 'leave.request' && b.missing.length === 0 && OWN_ABSENCE.test(second))
    )
      continue;
    // Two that both ask something back would leave one question unanswered: read as one message.
    if (a.missing.length > 0 && b.missing.length > 0) continue;
    // The one that asks something back goes last, so its question is the one the next words answer.
    return a.missing.length > 0 ? [second, first] : [first, second];
  }
  return null;
}

/** The places a second request may start, with the parts before and after each. */
function* partsAtSecond(
  text: string,
  opts: ParseOptions,
): Generator<{ first: string; second: string; spaceOnly: boolean }> {
  // Most messages hold no such word: they are not normalised a second time on the way to their answer.
  if (!SECOND_WORD.test(text)) return;
  const norm = normalize(text, opts.botNames ? { botNames: opts.botNames } : {});
  for (const m of norm.text.matchAll(SECOND_REQUEST)) {
    const first = norm.source(0, m.index).trim();
    const second = norm.source(m.index + m[0].length, norm.length).trim();
    if (first !== '' && second !== '') yield { first, second, spaceOnly: m[0].trim() === '' };
  }
}

/**
 * An answer to a dialog's question with another whole request after it ("…要住院观察 另外俺有个建议就是俺们村的
 * 路该修了" while 请假 asks why): the answer and the request, or null. The request must be complete (it asks
 * nothing back) and open with its own verb, so a reason that mentions 建议 or 督促 stays the reason.
 */
export function requestAfterAnswer(
  text: string,
  opts: ParseOptions,
  dialogCommand: string,
): [string, string] | null {
  for (const { first, second, spaceOnly } of partsAtSecond(text, opts)) {
    if (spaceOnly) continue;
    const b = parseCommand(second, opts);
    if (b.kind !== 'command' || b.id === dialogCommand || b.spec.dialogControl || b.missing.length > 0)
      continue;
    if (
      b.via === 'word' ||
      REQUEST_OPENS.test(second) ||
      /^(?:我|俺)?有(?:个|一个|条)(?:建议|意见)/.test(second)
    )
      return [first, second];
  }
  return null;
}
