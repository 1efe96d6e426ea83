// How the dialog reads a message no command took, and short answers to its own questions. Deterministic
// and explainable: a few word lists, no scoring model. The language layer parses commands; this only
// decides what the dialog does with what is left, so that no word a deputy wrote is thrown away.

import { normalize } from '../language/normalize.ts';
import {
  CLOSING,
  HOW_MANY_SUGGESTIONS,
  QUOTE_MARKS,
  REASON_CUE,
  TOPIC_OPENER,
  TOPIC_SUBJECT_LEAD,
  TRAILING_FILLER,
} from '../language/phrasings.ts';
import { readStartBySound } from '../language/sound.ts';

/** What a message that is not a command may be. */
export type FreeTextReading =
  /** A problem, request or opinion: offered back as a suggestion. */
  | 'matter'
  /** "我刚才不是说了吗": points back at what was said before; never content itself. */
  | 'back_reference'
  | 'other';

const HAN = /\p{Script=Han}/gu;

// Words that show a problem, a wish or an opinion about public affairs.
const MATTER_CUE =
  /坏|破|漏|堵|乱|脏|臭|吵|噪音|积水|拥堵|不通|没人管|没人修|[要该没]修|没动静?|不管|太[贵差慢少多远难乱脏]|难|危险|隐患|安全|问题|希望|建议|呼吁|应该|应当|能不能|能否|麻烦|尽快|抓紧|解决|修理|维修|修一下|改善|整治|加强|增加|减少|反映|投诉|群众|老百姓|居民|村民|小区|学校|幼儿园|医院|道路|路灯|电梯|停车|垃圾|供暖|暖气|自来水|下水道|公交|红绿灯|补贴|政策|不合理|不方便|困难|着急/;

const BACK_REFERENCE =
  /(?:刚才|刚刚|上面|前面|之前|已经|不是).{0,4}(?:说|讲|发|写|提)(?:了|过)|说过了|讲过了|发过了|上一条|前一条/;

/** Reads a message nobody could take as a command. */
export function readFreeText(text: string): FreeTextReading {
  const han = text.match(HAN)?.length ?? 0;
  if (BACK_REFERENCE.test(text) && han <= 16) return 'back_reference';
  if (han >= 8 && MATTER_CUE.test(text)) return 'matter';
  if (han >= 20) return 'matter';
  return 'other';
}

/** Whether a message is worth keeping to fill the next command's text (more than a word or two). */
export function worthKeeping(text: string): boolean {
  const reading = readFreeText(text);
  if (reading !== 'other') return reading === 'matter';
  // A question to the bot ("这个东西怎么弄") is not content for anything.
  if (/[吗呢?？]\s*$|怎么|什么|哪|几/.test(text)) return false;
  // A reason, however short ("家里有事"), is what 请假 picked next will ask for.
  return (text.match(HAN)?.length ?? 0) >= (REASON_CUE.test(text) ? 2 : 6);
}

/** "2", "第二个", "最后一个" said of a numbered list: the line (0-based; -1 the last), or null. */
export function positionSaid(text: string): number | null {
  const t = text.trim().replace(/[\s。.！!]+$/, '');
  if (/^最后(?:一|那)?(?:个|项|条)?$/.test(t)) return -1;
  const m = /^(?:第|选)?([1-9一二三四五六七八九])(?:个|项|条)?$/.exec(t);
  if (!m) return null;
  const n = '一二三四五六七八九'.indexOf(m[1]!);
  return (n >= 0 ? n + 1 : Number(m[1])) - 1;
}

/**
 * "不对 是2", "不对，是第二个", "点错了 应该是最后一个": the line of a numbered list meant instead of the one
 * picked (0-based; -1 the last), or null when the message says no such thing.
 */
export function positionCorrected(text: string): number | null {
  const m = LINE_CORRECTED.exec(text.trim());
  return m ? positionSaid(text.trim().slice(m[0].length)) : null;
}

const LINE_CORRECTED =
  /^(?:[哎唉哦啊嗯呀]+[，,。！!\s]*)?(?:不对(?:不对)?|错了|不是(?:这个|这一?项|这条|它)?|(?:我|刚才)?(?:说|写|打|发|弄|搞|按|点|选|回)错了)[，,。！!：:\s]*(?:我?(?:要|想)?(?:的|选的?|说的)?(?:应该|应当)?(?:是|选))?[\s，,：:]*/;

/** "那要多长时间才能重新给我答复呀": when the answer comes, asked. */
export const asksWhenAnswered = (text: string): boolean =>
  /多长时间|多久|什么时候|啥时候|几天|哪天|要等/.test(text) && /答复|回复|办|结果|回音|消息|等/.test(text);

/** "等一下我找找照片", "稍等": the person will answer in a moment; these words answer nothing. */
const WAIT =
  /^(?:你|您)?(?:先)?(?:稍等|等等|等)(?:我)?(?:一下|一会儿?|会儿?|下)?(?:[，,。. ]*(?:我|让我)?(?:先)?(?:找|拍|翻|看|想|问|查|拿|整理|写)(?:一)?(?:找|拍|翻|看|想|问|查|下|一下)?.{0,6})?$/;

export const asksToWait = (text: string): boolean =>
  WAIT.test(text.trim().replace(/[吧啊呀呢哈嘛啦哦~～!！]+$/, ''));

const YES = /^(?:是|是的|对|对的|好|好的|行|可以|要|要的|嗯|嗯嗯|确认|确定|提交|同意|没错|yes|y|ok|1)$/i;
const NO = /^(?:否|不|不是|不要|不用|不用了|算了|不了|先不|先不用|no|n|2)$/i;

/**
 * "不撤了", "算了不撤了", "先别交", "不撤回了": declining the very thing the question asks about (a character
 * of its word, e.g. 撤 of 撤回), and "保留" / "还是留着吧" to whether to withdraw.
 */
function declines(t: string, word: string): boolean {
  if (word.includes('撤') && /^(?:还是|那就|那)?(?:先)?(?:保留|留着)$/.test(t)) return true;
  // 不满意, 不批准, 不同意, 不参加 are commands of their own (a rating, a refusal, leave), read as such, never a
  // mere no.
  if (/^(?:不满意|不批准|不同意|不准|不参加|不去)/.test(t)) return false;
  const m = /^(?:算了|那|那就|还是)?(?:先|就)?(?:不|别|不用|不要)(?:再)?(.{1,2}?)(?:了|啦)?$/.exec(t);
  return m !== null && [...m[1]!].some((c) => word.includes(c));
}

/**
 * A yes or no to the dialog's own question; null when the message is neither. `word`: what the question
 * asks to do (撤回, 批准), so that declining that very act is a no.
 */
export function yesNo(text: string, word?: string): 'yes' | 'no' | null {
  const t = text
    .trim()
    .replace(/[\s，,。.！!？?~～]+/g, '')
    .replace(/[吧啊呀呢哈嘛啦哦]+$/, '')
    // "对，提交吧", "好的，交上去": the yes, and what it agrees to.
    .replace(/^(是的?|对的?|好的?|行|可以|嗯+)(?:提交|交上去|发|提|交)(?:了|吧)?$/, '$1');
  if (YES.test(t)) return 'yes';
  if (NO.test(t) || (word !== undefined && declines(t, word))) return 'no';
  return null;
}

/** A short quote of what someone wrote, for a question about it. */
export const quote = (text: string, max = 40): string =>
  text.length > max ? `${text.slice(0, max)}……` : text;

/** Short small talk the command parser left unread ("谢谢你们", "在吗？", "好的好的"). */
const POLITE =
  /谢谢|多谢|感谢|辛苦|麻烦|你们|您们|你|您|大家|小同志|同志|小姑娘|姑娘|小伙子|领导|工作人员|了|啊|呀|哈|啦|哦|嘞|喽|啦|们|真是|太|非常|很/g;

/** Praise of how something was done ("办得挺快", "很及时", "辛苦了"). */
const PRAISE = /办得|(?:挺|很|真|太|非常|特别)(?:快|好|及时|到位|负责|用心|满意)|及时|满意|辛苦|不错/;

export function smalltalkOf(text: string): 'greeting' | 'thanks' | 'ack' | null {
  const t = text.replace(/[\s，,。.！!？?~～]+/g, '');
  // "谢谢你啊小同志 辛苦了": thanks however long, when nothing but thanks and address is in it.
  if (/^(?:谢谢|多谢|感谢)/.test(t) && t.replace(POLITE, '') === '') return 'thanks';
  // "我那个路灯的事谢谢你们了办得挺快": thanks with praise, and nothing wrong or wished for in it.
  if (
    /谢谢|多谢|感谢/.test(t) &&
    PRAISE.test(t) &&
    !/但|不过|可是|还是|没|不(?!错)|再|又|希望|能不能/.test(t)
  )
    return 'thanks';
  if ((t.match(HAN)?.length ?? 0) > 8) return null;
  if (/^(?:谢谢|多谢|感谢|辛苦|麻烦)/.test(t) && !/但|不过|可是/.test(t)) return 'thanks';
  if (/^(?:在吗|在不在|你好|您好|喂|有人吗)/.test(t)) return 'greeting';
  if (/^(?:好的|好嘞|收到|知道了|明白|了解|行|嗯)+(?:了|啊|呀|哈)?$/.test(t)) return 'ack';
  return null;
}

/** "算了", "不请了", "不提了": the person gives up what the dialog is collecting. */
export function neverMind(text: string): boolean {
  const t = text.replace(/[\s，,。.！!？?~～]+/g, '');
  return /^(?:哎呀?|唉|那)?(?:算了|不请了|不提了|不说了|不用了|不要了|不办了|没事了|不弄了|先不|我?还没想好|想好再说)/.test(
    t,
  );
}

const CLOSES_TALK = new RegExp(`^(?:${CLOSING})[吧啊呀哈]*$`);

/**
 * "没有了", "就这些" where a meeting or a matter is asked for: nothing to give, so nothing to file (never the
 * name of a meeting or the words of a suggestion).
 */
export function closesTalk(text: string): boolean {
  return CLOSES_TALK.test(text.replace(/[\s，,。.！!？?~～]+/g, ''));
}

/**
 * "我不想请假了", "撤回我的请假": a deputy taking back leave already asked for, not asking for it; also with
 * the opening word typed with a same-sound slip ("撤会 刚才的请假").
 */
export function withdrawsLeave(text: string): boolean {
  return takesBackLeave(text) || takesBackLeave(readStartBySound(normalize(text)).text);
}

/**
 * "我出差回来了 能去了", "事办完了，可以去开会了", "会我能参加了": able to come after all, said with no word of
 * leave — meant of the deputy's leave of a meeting ahead, when there is one.
 */
export function canGoAfterAll(text: string): boolean {
  const t = text.replace(/[\s，,。.！!？?~～]+/g, '');
  return (
    /(?:能|可以)(?:去|来)?(?:去|来|参加|到会|开会|参会|出席)(?:会议|会)?了|去得了了|(?:不|没)(?:用|必要)请假了/.test(
      t,
    ) && !/吗|么|不了/.test(t)
  );
}

function takesBackLeave(text: string): boolean {
  const t = text.replace(/[\s，,。.！!？?~～]+/g, '');
  // "我不想请假，但实在去不了" asks for leave after all.
  if (/但|可是|不过|实在|只能/.test(t)) return false;
  // "刚才请假的那个会我家里事情办完了又能去了": the leave is not needed after all.
  if (/请(?:过|了)?的?假.{0,16}(?:又能去|又可以去|能去了|可以去了|能参加了|可以参加了|去得了)/.test(t))
    return true;
  return /(?:不想|不用|不需要|不要|不打算|用不着)再?请假|不请假了|(?:撤回|撤销|取消|收回)(?:我的|那个|这个|刚才的|之前的)?请假|请假.{0,4}(?:撤回|撤销|作废|不请了|不用了|不要了)|请的假.{0,3}(?:撤|取消|作废|不请了|不用了|不要了)|(?:撤|取消)掉?(?:刚才|之前|上次)?请的假/.test(
    t,
  );
}

/**
 * "哎呀我说错了，不是请假，是想查一下我的建议": the person takes back the command a dialog is collecting
 * (`word`, e.g. 请假). Returns what they say they want instead (possibly empty), or null when they do not.
 */
export function takesBack(text: string, word: string): { rest: string } | null {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // "不是请假" anywhere; "说错了" only as the message's opening, not inside a reason ("路牌写错了").
  const m =
    new RegExp(`不是(?:要|想)?${escaped}`).exec(text) ??
    /^(?:[哎唉哦啊嗯呀]+[，,。！!\s]*)?我?(?:说|发|打|写|弄|搞|按)错了(?=[，,。！!\s]|$)/.exec(text.trim());
  if (!m) return null;
  // What follows the last "not that": 是想查一下我的建议 → 想查一下我的建议.
  const after = text.slice(m.index + m[0].length);
  const again = new RegExp(`不是(?:要|想)?${escaped}`).exec(after);
  return restAfter(again ? after.slice(again.index + again[0].length) : after, THEN_IS);
}

const THEN_IS = /^[\s，,。.！!~～、]*(?:而是|其实是|我是|是)?[\s，,]*/;
const SHOULD_BE = /^[\s，,。.！!：:~～、]*(?:应该是|应当是|而是|其实是)?[\s，,：:]*/;

/** The words after what introduces them. */
const restAfter = (s: string, lead: RegExp): { rest: string } => ({ rest: s.replace(lead, '').trim() });

/**
 * "刚才说错了，是东关街不是西关街", "不对不对 应该是三楼", "更正一下：…": the message opens by saying the
 * words sent before were wrong; the words that follow (perhaps none). Only as the opening: "路牌写错了" is a
 * matter, not a correction.
 */
export function correctsEarlierWords(text: string): { rest: string } | null {
  const after = afterOpening(text, SAID_WRONG);
  return after === null ? null : restAfter(after, SHOULD_BE);
}

const SAID_WRONG =
  /^(?:[哎唉哦啊嗯呀]+[，,。！!\s]*)?(?:(?:刚才|刚刚|上一条|前面|上面)(?:那个|那条|那句|的)?)?我?(?:(?:说|写|打|发|弄|搞|记|按|点|选|评)(?:错了|错字了|得不对)|(?:说|写)的不对)|^(?:[哎唉哦啊嗯呀]+[，,。！!\s]*)?(?:不对(?:不对)?|更正(?:一下)?|纠正(?:一下)?|(?:我)?(?:想|要|得)?(?:改|修改|更正)一下(?:刚才|刚刚|前面|上面)(?:说|写|发)?的?(?:那条|那个|那句|话)?)(?=[，,。！!：:\s]|$)/;

/**
 * "不对，是王二", "错了，延到5月1日": a part given earlier corrected, as the words that follow; null when the
 * message is no correction.
 */
export function correctionOf(text: string): string | null {
  const rest = afterOpening(text, CORRECTED)
    ?.replace(/[。.！!]+$/, '')
    .trim();
  return rest ? rest : null;
}

const CORRECTED =
  /^(?:[哎唉哦啊嗯呀]+[，,。！!\s]*)?(?:不对|不是|错了|弄错了|搞错了|写错了|打错了|说错了)[，,。！!\s]*(?:应该)?(?:是|为|改成|改为|换成|延到|改到|推到)?[\s，,：:]*/;

/** The message after the words `opening` matches at its start, or null when it does not open so. */
function afterOpening(text: string, opening: RegExp): string | null {
  const t = text.trim();
  const m = opening.exec(t);
  return m ? t.slice(m[0].length) : null;
}

/**
 * Whether an answer to a question asking for words (content, reason, topic, a meeting's name) can be
 * one: not small talk, not a bare "啊？" or "不知道", at least two characters that say something.
 */
export function usableWords(text: string): boolean {
  const t = text
    .replace(/[\s，,。.！!？?~～、：:]+/g, '')
    .replace(/^(?:不知道|不清楚|不晓得|什么|啥|哪个|哪一个|怎么了?|你说啥|啥意思)+$/, '')
    .replace(/[啊吗呢吧哈嗯哦呀额呃诶欸哎唉]/g, '');
  if (smalltalkOf(text)) return false;
  return (t.match(HAN)?.length ?? 0) + (t.match(/[A-Za-z0-9]/g)?.length ?? 0) >= 2;
}

/**
 * "那天我去，想说说停车难" said just after the reception day was given: booking it, with the topic when one is
 * said; null when the words are not about going.
 */
export function goingToReception(text: string): { topic: string } | null {
  const t = text.trim();
  if (
    !/^(?:那天|当天|那|好的?|行)?[\s，,]*(?:帮我|给我|替我|我|俺)?(?:那天|当天)?(?:就)?(?:想|要|准备|打算|可以)?(?:去|参加|报名|报个名|预约|约一下|约上|约个|约一个|过去)/.test(
      t,
    )
  )
    return null;
  const opener = TOPIC_OPENER.exec(t);
  const topic = opener
    ? t
        .slice(opener.index + opener[0].length)
        .replace(/[\s，,。.！!~]+$/, '')
        .trim()
    : '';
  return { topic };
}

/**
 * "我们村", "村里": the start of a matter, too few words to file on their own (fewer than four characters and
 * no word of a problem or wish). The deputy is asked to go on, and what follows is joined to them.
 */
export function tooFewWords(text: string): boolean {
  // "就是俺们村", "嗯 那个 我们村": the words people start with say nothing yet.
  const said = text.trim().replace(OPENING_FILLERS, '');
  return (said.match(HAN)?.length ?? 0) < 4 && readFreeText(said) !== 'matter';
}

// "关于老旧小区加装电梯", "路灯那个": a heading or a pointer names what it is about, and no problem or wish.
const HEADING_ONLY =
  /^(?:关于[^，,。；;：:\s]{2,20}?(?:的(?:建议|意见|批评|事情?))?|[^，,。；;：:\s]{1,8}?(?:那个|这个|那件)(?:事情?|事儿)?)[。.！!]?$/;
const PROBLEM_OR_WISH =
  /坏|破|漏|堵|乱|脏|臭|吵|噪音|积水|不通|没|不管|难|危险|隐患|不安全|不合理|不方便|困难|太|少|缺|差|慢|贵|希望|要求|应该|应当|尽快|解决|修|改善|整治|加强|增加|减少|问题/;

/**
 * The answer to "请讲讲您的建议内容" that is only a heading ("关于老旧小区加装电梯"): the matter is still to be
 * told, most likely in the next message, and is joined to it rather than filed as an item of its own.
 */
export const headingOnly = (text: string): boolean => {
  const said = text.trim().replace(OPENING_FILLERS, '');
  return HEADING_ONLY.test(said) && !PROBLEM_OR_WISH.test(said);
};

// "给学校周边交通（提点意见）", "就停车难的问题（提个建议）": what the words will be about, and no more.
const TOPIC_ONLY =
  /^(?:关于|对于|针对|围绕|就|对|给|为)[^，,。；;：:\s]{1,16}?(的?(?:问题|事情?|情况|方面|工作|这块|这一块))?$/;

/**
 * A message that ends by announcing a suggestion ("…提点意见", "…我有个建议", "我要给市长写信反映问题"), with
 * nothing after it.
 */
const ENDS_ANNOUNCING = new RegExp(
  `(?:(?:提|有|说|写|交|报|递|反映)${HOW_MANY_SUGGESTIONS}(?:建议|意见|批评)|(?:反映|说|汇报)(?:个|点|一下|下|几个)?(?:问题|情况|事情?))$`,
);

/**
 * The content read from a message that only announces a suggestion and names what it will be about ("我想给
 * 学校周边交通提点意见", "关于路灯，我有个建议"): the matter is still to be told, and is joined to the next
 * message rather than filed as it is.
 */
export const topicOnly = (content: string, message: string): boolean => {
  // "…提点意见哈！": the particles and courtesies that close a message are no part of it.
  if (!ENDS_ANNOUNCING.test(normalize(message).text.replace(TRAILING_FILLER, ''))) return false;
  // "“我对农村养老”有个建议": the quotes the deputy put around it change nothing.
  const said = content
    .replace(QUOTE_MARKS, '')
    .trim()
    .replace(OPENING_FILLERS, '')
    .replace(/^(?:我们?|俺们?|咱们?)/, '');
  const m = TOPIC_ONLY.exec(said);
  return m !== null && (m[1] !== undefined || !PROBLEM_OR_WISH.test(said));
};

/**
 * The topic an announcement names, held for the matter that follows: "我对农村养老" holds 农村养老, never a
 * stray 我对 before the matter; every other word is kept as written ("关于路灯", "给学校周边交通").
 */
export const heldTopic = (content: string): string => {
  const t = content.trim().replace(TOPIC_SUBJECT_LEAD, '$1');
  // "“我对农村养老”": the quotes stay only around words.
  return t.replace(QUOTE_MARKS, '').trim() === '' ? content.trim() : t;
};

const OPENING_FILLERS =
  /^(?:[\s，,。.]*(?:就是说?|那个|这个|嗯+|呃+|额+|啊+|哎+|是这样的?|这样的|我想说|我要说|俺想说|俺要说|我说|俺说))+[\s，,。.]*/;

/**
 * Another errand than the matter being told: leave (a meeting one cannot go to and why), the reception day,
 * one's items. Words held from an unclear message ("路灯") are not joined to a message about one.
 */
const OTHER_ERRAND =
  /请假|请个假|去不了|来不了|参加不了|不能参加|住院|出差|接待日|预约|查询|进度|催办|履职|(?:人代会|常委会|会议|开会|大会).{0,10}(?:有事|病|不去|没空|冲突)/;

/** Whether `next` goes on with the held words `held`: not when one is about such an errand and the other not. */
export const goesOn = (held: string, next: string): boolean =>
  OTHER_ERRAND.test(next) === OTHER_ERRAND.test(held);

/** Words that continue `partial`, joined as one text. */
export const continued = (partial: string, next: string): string =>
  /[，,。.！!？?；;：:\s]$/.test(partial) ? `${partial}${next}` : `${partial}，${next}`;
