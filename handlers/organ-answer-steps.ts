import type { AnswerFields } from '../db/repositories/suggestions.ts';
import type { Photo } from '../db/schema.ts';
import { quote, smalltalkOf, yesNo } from '../src/bot/dialog/free-text.ts';
import { fitByWords } from '../src/bot/dialog/item-words.ts';
import type { Deps } from '../src/deps.ts';
import { AppError, isAppError } from '../src/errors.ts';
import type { Reply } from '../src/messaging/index.ts';
import {
  type AddedWords,
  CHAT_FILES_MAX,
  type OrganActor,
  type OrganAudit,
  type OrganItemView,
  submitOrganAnswer,
} from '../src/services/suggestions/index.ts';
import { todayIn } from '../src/statute/calendar-date.ts';
import { hasAnswerLabel, parseAnswerText, withContactColon } from './answer-text.ts';

// An organ's answer told in chat a piece at a time: what was done in the contact's own words, then the
// item (when several are open), the result class and the signer the office needs, each asked with what
// to tap. Nobody has to copy a form; what is missing is asked for, and nothing said is lost: more words
// go into the answer, photos go with it, thanks keep it waiting. Also how the organ's words are read
// (codes as clerks type them, an answer's labels), shared with the desk (organ-desk.ts).

// ---- reading an organ's words -----------------------------------------------------------------------

/**
 * A code as clerks type it: JY-2026-0012, JY2026-0012, JY 2026 0012, JY20260012, in full width too
 * (ＪＹ－２０２６－００１２).
 */
const CODE = /[JＪjｊ][YＹyｙ][\s\-－—_]*([0-9０-９]{4})[\s\-－—_]*([0-9０-９]{1,6})(?![0-9０-９])/;
const halfWidth = (s: string) => s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));

export const codeIn = (text: string): string | undefined => {
  const m = CODE.exec(text);
  return m ? `JY-${halfWidth(m[1]!)}-${halfWidth(m[2]!).padStart(4, '0')}` : undefined;
};

/** Every code in the text, in order, each once ("签收 JY-2026-0001、JY-2026-0002"). */
export const codesIn = (text: string): string[] => [
  ...new Set([...text.matchAll(new RegExp(CODE.source, 'g'))].map((m) => codeIn(m[0])!)),
];

/** The text with its code replaced by `code` (a mistyped code put right). */
export const withCode = (text: string, code: string): string => text.replace(CODE, code);

/** The text without its code (the words around it kept as they were). */
export const withoutCode = (text: string): string =>
  text
    .replace(CODE, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();

/**
 * The heading of a 公文-style answer: 关于 <code>（号）（的）建议/意见/批评 的 办理情况/答复/办理结果（的函）…,
 * up to the punctuation after it. What follows is the answer's text.
 */
const FORMAL_HEADING = new RegExp(
  `^关于\\s*[《“"]?\\s*(?:第\\s*)?${CODE.source}\\s*号?\\s*[》”"]?\\s*的?\\s*(?:代表)?(?:建议|意见|批评)?\\s*[》”"]?\\s*的?\\s*` +
    '(?:办理情况|办理结果|答复|回复|办理意见|办理报告|情况说明|情况报告)(?:的?(?:报告|函|说明|答复))?\\s*[：:，,。\\s]\\s*',
);

/**
 * The desk's command word first, as the desk reads it: "JY2026 0012 答复：…" is "答复 JY-2026-0012 …";
 * 回复 is 答复; 退回 (without 申请) is 申请退回; 已签收 is 签收.
 */
export function commandFirst(said: string): string {
  const code = codeIn(said);
  // "关于JY-2026-0003号建议的办理情况：经研究，…": a 公文's heading names the item answered.
  const formal = code ? FORMAL_HEADING.exec(said.trim()) : null;
  if (formal) return `答复 ${code} ${said.trim().slice(formal[0].length).trim()}`.trim();
  let t = said.trim();
  if (code) {
    const after = new RegExp(
      `^${CODE.source}\\s*[，,:：]?\\s*(签收|申请退回|退回|答复|回复|撤回|补充)[:：]?`,
    ).exec(t);
    if (after) t = `${after[3]} ${code} ${t.slice(after[0].length).trim()}`.trim();
  }
  return t
    .replace(/^回复(?=\s|[:：]|[JＪjｊ][YＹyｙ]|$)/, '答复')
    .replace(/^答复[:：]\s*/, '答复 ')
    .replace(/^退回(?!申请)/, '申请退回')
    .replace(/^已经?签收/, '签收');
}

/** "这个不归我们管", "不属于本单位职责": a return asked for in words. */
export const NOT_OURS =
  /不归(?:我们|本单位|我单位|我局|我们单位)|不属于(?:我们|本单位|我单位|我局)|不是(?:我们|本单位|我单位|我局)的?(?:职责|事|管)|(?:我们|本单位)管不了|应该(?:是|由|归|交给)?.{1,12}(?:管|负责|办理|的事)/;

const NOT_OURS_ALL = new RegExp(NOT_OURS.source, 'g');

/** "已经修好了", "路灯换好了", "已办结", "派人去修了": an answer told in words. */
export const DONE_WORDS =
  /(?:已经?|都)(?:修好|修复|修缮|办好|办完|办结|处理好|处理完|解决|完成|维修|整改|落实|更换|换好|换了|安装|装好|清理|清运|疏通|铺设|硬化|派人)|(?:修|换|装|补|弄|办|处理|整改|清理|清运|疏通|铺|填|拆|搞)(?:好|完)了|办完了|解决了|办结了/;

/** "附件稍后发", "照片等会儿发", "稍后补材料": photos or files to come later. */
export const FILES_LATER =
  /(?:附件|照片|图片|材料|文件|相片)[，,\s]*(?:稍后|等会儿?|等一下|待会儿?|一会儿?|晚点|随后|回头|后面|明天|下午)(?:再)?(?:发|补|传|上传|提供|给)|(?:稍后|等会儿?|待会儿?|一会儿?|晚点|随后|回头)(?:再)?(?:发|补|传|上传|提供)(?:附件|照片|图片|材料|文件|相片)/;

/** Words that plainly go on with an answer: "另外…", "还有…", "补充一下…". */
const GOES_ON = /^(?:另外|还有|补充|再补充|忘了说|对了|同时|此外|并且|而且|以及|也)/;

/** Labels only an organ's answer carries: its result class (分类：A, A类), its contact and its 文号. */
const CLASS_RE = /(?:(?:分类|结果)[:：]?\s*([A-Da-d])(?![A-Za-z])|(?<![A-Za-z])([A-Da-d])类)[；;，,]?/;

/**
 * "答复 JY-2026-0012 分类：A；已办理：…；签发人：…；联系人：…；文号：…" → its parts. The fields are read as
 * staff answers are (handlers/answer-text.ts): text before any label is what was done.
 */
export function organAnswerIn(text: string, today: string) {
  let rest = withoutCode(text.replace(/^答复/, ''));
  const m = CLASS_RE.exec(rest);
  rest = rest.replace(CLASS_RE, '');
  // 联系人 with or without its colon (answer-text.ts): the labels end where the next label begins.
  const parsed = parseAnswerText(rest.trim().replace(/^[；;，,：:]+/, ''), [], today);
  const contact = 'error' in parsed ? undefined : parsed.contact;
  const docNo = 'error' in parsed ? undefined : parsed.docNo;
  return { parsed, resultClass: m?.[1] ?? m?.[2], contact, docNo };
}

/** The open item the words point to ("电梯那个…"), or undefined when they leave several (or none). */
export function itemByWords(text: string, open: OrganItemView[], today: string): OrganItemView | undefined {
  const candidates = open.map((i) => ({
    code: i.letter.code,
    label: i.letter.code,
    words: i.letter.title,
    on: today,
  }));
  // The words that say what happened point at nothing ("外墙那个已经修好了" points with 外墙).
  const naming = (words: string) => {
    const fit = fitByWords(words.replace(NOT_OURS_ALL, '').replace(DONE_WORDS, ''), candidates, today);
    return fit.length === 1 && fit.length < candidates.length ? fit[0]!.code : undefined;
  };
  // "红绿灯不归我们管，应该是交警": the part that names the item, read on its own, when the whole does not.
  const found = naming(text) ?? onlyOne(text.split(/[，,。；;！!？?\s]+/).map(naming));
  return open.find((i) => i.letter.code === found);
}

/** The one value the list holds (undefined ones left out), or undefined when it holds none or several. */
function onlyOne(values: (string | undefined)[]): string | undefined {
  const kinds = new Set(values.filter((v) => v !== undefined));
  return kinds.size === 1 ? [...kinds][0] : undefined;
}

/** More words of an answer, each in its field (a plan is a plan, a refusal with its reason). */
export function addedWordsOf(text: string, today: string): AddedWords | undefined {
  const said = text
    .replace(/^(?:(?:补充(?:一下|一点)?|再补充|另外|还有|忘了说|对了)[:：，,\s]*)+/, '')
    .trim();
  if (said === '') return undefined;
  const p = parseAnswerText(said, [], today);
  if ('error' in p) return { done: said };
  const { done, planned, cannot, cannotReason } = p.fields;
  const words = Object.fromEntries(
    Object.entries({ done, planned, cannot, cannotReason }).filter(([, v]) => v),
  ) as AddedWords;
  return Object.keys(words).length > 0 ? words : { done: said };
}

/** Thanks with nothing else in it ("谢谢", "好的谢谢", "收到，辛苦了"). */
export const thanksOnly = (text: string): boolean =>
  smalltalkOf(text) === 'thanks' ||
  /^(?:好的?|收到了?|嗯+|ok)?[，,。.！!\s]*(?:谢谢|感谢|多谢|辛苦)(?:了|你|您|你们|啦)*[。.！!]*$/i.test(
    text.trim(),
  );

/** Small talk: thanks, a greeting, "好的". */
const smallTalk = (text: string): 'thanks' | 'other' | null =>
  thanksOnly(text) ? 'thanks' : smalltalkOf(text) !== null ? 'other' : null;

// ---- the steps ----------------------------------------------------------------------------------------

export interface AnswerDraft {
  code?: string;
  fields: AnswerFields;
  resultClass?: string;
  contact?: string;
  docNo?: string;
  /** Photos or files sent while the answer was being told, kept in our storage (media rows). */
  attachments?: Photo[];
}

/** How long a half-told answer waits for its next part, and how long one just sent takes more words. */
const DRAFT_TTL_MS = 30 * 60_000;
const MAX_SIGNER = 16;
/** Longer than any answer to a question of the steps: a message of its own. */
const LONG_ENOUGH = 12;

const draftKey = (channel: string, senderId: string) => `organ-desk:answer:${channel}:${senderId}`;
const sentKey = (channel: string, senderId: string) => `organ-desk:sent:${channel}:${senderId}`;

const hasContent = (f: AnswerFields) => Boolean(f.done || f.planned || f.cannot);

const CANCEL = /^(?:取消|算了|不用了|退出|撤回|撤回答复|不发了|先?不(?:答复?|回复?)了?)$/;

/** A class named by its letter ("A", "a类", "分类：A"), its place in the list, or its label's words. */
function classIn(text: string, classes: OrganItemView['resultClasses']): string | undefined {
  const t = text
    .replace(/[\s。.!！，,]/g, '')
    .replace(/已经/g, '已')
    .replace(/(?:了|的|吧)+$/, '');
  const letter = /^(?:分类[:：]?|结果[:：]?)?([A-Za-z]{1,4})(?:类)?$/.exec(t);
  if (letter) return classes.find((c) => c.code === letter[1]!.toUpperCase())?.code;
  const place = /^(?:第)?([1-9])(?:类|个|项)?$/.exec(t);
  if (place) return classes[Number(place[1]) - 1]?.code;
  return classes.find(
    (c) => t.includes(c.label) || c.label.split(/或|、/).some((part) => part.length >= 2 && t.includes(part)),
  )?.code;
}

/** A phone number at the end of what was said ("王局长 电话13912345678"). */
const PHONE_AT_END = /[\s，,]*(?:电话|手机|联系电话|联系方式)?[:：]?\s*(\+?\d[\d\-\s]{5,}\d)$/;

/** A contact's label as the answer's text has it once its colon is given (withContactColon). */
const CONTACT_LABEL = /(?:联系人|联系电话|联系方式)[:：]/;

/** Words no name or post holds: files, time, not knowing, asking. */
const NOT_A_NAME =
  /附件|照片|图片|文件|材料|稍后|等会|等一下|待会|一会|回头|晚点|明天|后天|下午|再说|再发|不知道|不清楚|问问|问一下|没定|发了|延期|推迟/;

/** "签发人是王局长", "王局长签发": the signer's name or post alone. */
function signerIn(text: string): string | undefined {
  const t = text
    .trim()
    .replace(/^(?:签发人|签发领导|签发)(?:是|为|[:：])?/, '')
    .replace(/(?:签发|签的字|签字)(?:的)?$/, '')
    .replace(/[。.!！]+$/, '')
    .trim();
  // A sentence is no name ("局长出差了，明天再说"), nor are thanks ("好的谢谢").
  if (t === '' || t.length > MAX_SIGNER || /[\n，,？?；;]|[了吗呢吧]$/.test(t) || yesNo(t) !== null)
    return undefined;
  if (smallTalk(t) !== null || /谢谢|感谢|辛苦|收到|好的/.test(t)) return undefined;
  // Nor is a remark about something else ("附件稍后发", "等会再说", "不知道").
  if (NOT_A_NAME.test(t)) return undefined;
  return t;
}

export interface AnswerSteps {
  /** A draft waits for this contact's next words. */
  waiting(): Promise<boolean>;
  /** The draft as stored (to tell whether a message changed it). */
  snapshot(): Promise<string | null>;
  /** Begins (or begins again) an answer with what was said; asks for what is missing, or submits. */
  start(draft: AnswerDraft, open?: OrganItemView[], before?: string): Promise<Reply>;
  /**
   * The contact's next words read as the part asked for, or as more of the answer. Null when they are
   * plainly a message of their own (a long one that answers nothing asked, or points at another item):
   * the draft still waits, and the words are read on their own.
   */
  next(text: string): Promise<Reply | null>;
  /** A photo or file sent while the answer is told: it goes with the answer. */
  attach(photo: Photo): Promise<Reply>;
  /** One line saying the draft still waits, to follow an answer to a message of its own. */
  reminder(): Promise<string | null>;
  /** The item whose answer this contact sent within the last half hour, if any. */
  justSent(): Promise<string | undefined>;
  drop(): Promise<void>;
}

/**
 * `openItems` are the items an answer may go to now: open, with no answer waiting for review and no
 * return request waiting for the office.
 */
export function answerSteps(
  deps: Deps,
  who: { channel: string; senderId: string },
  actor: OrganActor,
  audit: OrganAudit,
  openItems: () => Promise<OrganItemView[]>,
): AnswerSteps {
  const key = draftKey(who.channel, who.senderId);
  const save = (d: AnswerDraft) => deps.store.set(key, JSON.stringify(d), DRAFT_TTL_MS);
  const load = async (): Promise<AnswerDraft | null> => {
    const raw = await deps.store.get(key);
    return raw ? (JSON.parse(raw) as AnswerDraft) : null;
  };
  const drop = () => deps.store.del(key);
  const today = () => todayIn(deps.clock, deps.config.timezone);

  /**
   * The next question for `d`, or the answer submitted once nothing is missing; `known` is the organ's open
   * items when they were just read.
   */
  const askOrSubmit = async (d: AnswerDraft, before = '', known?: OrganItemView[]): Promise<Reply> => {
    const open = known ?? (await openItems());
    if (open.length === 0) {
      await drop();
      return { text: `${before}本单位目前没有等待答复的事项。${untold(d)}` };
    }
    const item = d.code ? open.find((i) => i.letter.code === d.code) : undefined;
    if (!item) {
      delete d.code;
      await save(d);
      const shown = open.slice(0, 6);
      return {
        text: `${before}请问答复的是哪一项？\n${shown.map((i, n) => `${n + 1}. ${i.letter.code}「${i.letter.title}」`).join('\n')}\n回复数字或点选即可（发“取消”可结束）。`,
        buttons: shown.map((i) => ({ label: i.letter.code, command: i.letter.code })),
      };
    }
    const about = `${item.letter.code}「${item.letter.title}」`;
    if (!hasContent(d.fields)) {
      await save(d);
      return {
        text: `${before}请问 ${about} 办得怎么样了？请用一两句话写明已经办了什么，例如：已于12月1日修复路灯。（发“取消”可结束）`,
      };
    }
    const lead = item.letter.role === 'lead';
    if (lead && !d.resultClass) {
      await save(d);
      return {
        text: `${before}${about} 的办理结果属于哪一类？\n${item.resultClasses.map((c) => `${c.code}. ${c.label}`).join('\n')}\n回复字母或点选即可（发“取消”可结束）。`,
        buttons: item.resultClasses.map((c) => ({ label: `${c.code} ${c.label}`, command: c.code })),
      };
    }
    if (lead && !d.fields.signedBy) {
      await save(d);
      return {
        text: `${before}请问这份答复的签发人是谁？写姓名或职务即可，例如：王局长。（发“取消”可结束）`,
      };
    }
    const files = d.attachments ?? [];
    const r = await submitOrganAnswer(deps, {
      code: item.letter.code,
      actor,
      audit,
      answer: {
        fields: d.fields,
        ...(lead ? { resultClass: d.resultClass } : {}),
        ...(d.contact ? { contact: d.contact } : {}),
        ...(d.docNo ? { docNo: d.docNo } : {}),
        ...(files.length > 0 ? { attachments: files } : {}),
      },
    }).catch(async (e: unknown) => {
      // Refused (the office acted meanwhile): the words told are said back, not lost unseen.
      await drop();
      if (isAppError(e)) throw new AppError(e.code, `${e.message}${untold(d)}`);
      throw e;
    });
    await drop();
    const withFiles = files.length > 0 ? `（附照片或文件 ${files.length} 个）` : '';
    if (r.status === 'to_lead') return { text: `${before}已将协办意见送承办单位（${r.code}）${withFiles}。` };
    // More words or photos within the next half hour go into it while it waits for review.
    await deps.store.set(sentKey(who.channel, who.senderId), r.code, DRAFT_TTL_MS);
    const cls = item.resultClasses.find((c) => c.code === d.resultClass);
    return {
      text:
        `${before}已收到 ${r.code} 的答复${withFiles}，经人大常委会代表工作机构审核后发给代表。\n` +
        `分类：${cls ? `${cls.code} ${cls.label}` : d.resultClass}；签发人：${d.fields.signedBy}\n` +
        '审核前还可以补充（直接发文字或照片），或发“撤回答复”重新写。',
    };
  };

  /** More of the answer told while a question waits: kept in its field, and the question asked again. */
  const addTo = (d: AnswerDraft, said: string, open: OrganItemView[]): Promise<Reply> | null => {
    const words = hasAnswerLabel(said) ? labelledParts(d, said) : addedWordsOf(said, today());
    if (!words) return null;
    const first = !hasContent(d.fields);
    const told = Object.entries(words).filter(([, v]) => v) as [keyof AddedWords, string][];
    for (const [k, v] of told) d.fields[k] = d.fields[k] ? `${d.fields[k]}；${v}` : v;
    return askOrSubmit(d, first || told.length === 0 ? '' : `已补充：“${quote(said, 30)}”。`, open);
  };

  /**
   * Parts told by their labels in a later message ("已办理：…", "下一步计划：…；联系人：…"): the class, signer,
   * time limit, contact and 文号 fill the draft where still missing; the words are returned to be added.
   */
  const labelledParts = (d: AnswerDraft, said: string): AddedWords | undefined => {
    const f = organAnswerIn(said, today());
    if ('error' in f.parsed) return addedWordsOf(said, today());
    const { done, planned, cannot, cannotReason, plannedBy, signedBy } = f.parsed.fields;
    if (f.resultClass && !d.resultClass) d.resultClass = f.resultClass.toUpperCase();
    if (signedBy && !d.fields.signedBy) d.fields.signedBy = signedBy;
    if (plannedBy && !d.fields.plannedBy) d.fields.plannedBy = plannedBy;
    if (f.contact) d.contact = d.contact ? `${d.contact}，${f.contact}` : f.contact;
    if (f.docNo && !d.docNo) d.docNo = f.docNo;
    return { done, planned, cannot, cannotReason } as AddedWords;
  };

  return {
    waiting: async () => (await deps.store.get(key)) !== null,
    snapshot: () => deps.store.get(key),
    start: (draft, open, before) => askOrSubmit(draft, before, open),
    drop,
    justSent: async () => (await deps.store.get(sentKey(who.channel, who.senderId))) ?? undefined,
    async attach(photo) {
      const waiting = await load();
      const d = waiting ?? { fields: emptyFields() };
      // A photo alone with one item to answer: that item.
      const open = waiting ? undefined : await openItems();
      if (open?.length === 1) d.code = open[0]!.letter.code;
      const files = d.attachments ?? [];
      if (files.length >= CHAT_FILES_MAX)
        return askOrSubmit(d, `一份答复最多带 ${CHAT_FILES_MAX} 张照片或文件，这一张没有加上。`);
      d.attachments = [...files, photo];
      return askOrSubmit(
        d,
        `收到${photo.kind === 'file' ? '文件' : '照片'}，会和答复一起提交（共 ${d.attachments.length} 个）。`,
        open,
      );
    },
    async reminder() {
      const d = await load();
      if (!d) return null;
      const what = d.code ? `${d.code} 的答复` : '答复';
      return `（${what}还没有提交，回复上面问的内容即可继续；发“取消”不再答复。）`;
    },
    async next(text) {
      const d = await load();
      if (!d) return { text: '这份答复已经超时，请重新告诉我办理情况。' };
      const said = text.trim();
      if (CANCEL.test(said.replace(/[。.!！]+$/, ''))) {
        await drop();
        return { text: '好的，答复没有提交。需要时再告诉我办理情况即可。' };
      }
      const open = await openItems();
      // "附件稍后发": the answer keeps waiting for its part, and the photos will go with it.
      if (FILES_LATER.test(said.replace(/\s+/g, '')))
        return askOrSubmit(d, '好的，照片或文件发来后会和这份答复一起提交。', open);
      // Thanks (or "好的") in the middle: the answer keeps waiting, and says so.
      const talk = smallTalk(said);
      if (talk) return askOrSubmit(d, `${talk === 'thanks' ? '不客气。' : ''}这份答复还没有提交，`, open);
      // Words about another of the organ's items are a message of their own.
      const meant = itemByWords(said, open, today());
      if (d.code && meant && meant.letter.code !== d.code && (DONE_WORDS.test(said) || NOT_OURS.test(said)))
        return null;
      /** Words that answer nothing asked: a short slip is asked again, a message of its own is read as such. */
      const unread = (why: string) => (said.length > LONG_ENOUGH ? null : askOrSubmit(d, why, open));
      /** More of the answer: "另外…", "线路也检修好了". */
      const goesOn = GOES_ON.test(said) || DONE_WORDS.test(said) || hasAnswerLabel(said);
      if (!d.code) {
        const shown = open.slice(0, 6);
        const n = /^[1-6]$/.exec(said);
        const code = n
          ? shown[Number(n[0]) - 1]?.letter.code
          : (shown.find((i) => codeIn(said) === i.letter.code) ?? meant)?.letter.code;
        if (!code) return (goesOn && addTo(d, said, open)) || unread('没有找到这一项。');
        d.code = code;
        return askOrSubmit(d, '', open);
      }
      const item = open.find((i) => i.letter.code === d.code);
      if (!item) return askOrSubmit(d, '', open);
      if (!hasContent(d.fields)) {
        if (said.length < 4 || yesNo(said) !== null) return askOrSubmit(d, '没看懂。', open);
        return addTo(d, said, open) ?? askOrSubmit(d, '没看懂。', open);
      }
      if (item.letter.role === 'lead' && !d.resultClass) {
        // "已经解决了" names class A; "另外…" goes on with the answer.
        const cls = GOES_ON.test(said) ? undefined : classIn(said, item.resultClasses);
        if (cls) {
          d.resultClass = cls;
          return askOrSubmit(d, '', open);
        }
        return (goesOn && addTo(d, said, open)) || unread('没看懂是哪一类。');
      }
      // "王局长 联系人 王五 138…": the signer, then the contact (its label with or without the colon).
      const contactAt = CONTACT_LABEL.exec(withContactColon(said));
      const signerFirst =
        contactAt && contactAt.index > 0 ? signerIn(said.slice(0, contactAt.index)) : undefined;
      if (contactAt && signerFirst) {
        d.fields.signedBy = signerFirst;
        const contact = withContactColon(said)
          .slice(contactAt.index + contactAt[0].length)
          .trim();
        if (contact) d.contact = d.contact ? `${d.contact}，${contact}` : contact;
        return askOrSubmit(d, '', open);
      }
      const phone = PHONE_AT_END.exec(said);
      const signer = goesOn ? undefined : signerIn(phone ? said.slice(0, phone.index) : said);
      if (signer) {
        d.fields.signedBy = signer;
        // "王局长 电话139…": the number is how the office reaches them.
        if (phone && !d.contact) d.contact = said;
        return askOrSubmit(d, '', open);
      }
      return (
        (goesOn && addTo(d, said, open)) ||
        unread(`没看懂。签发人请只写姓名或职务（不超过${MAX_SIGNER}个字）。`)
      );
    },
  };
}

/** What a draft that will not be sent held, said back: "（这份答复没有提交：“…”）". */
function untold(d: AnswerDraft): string {
  const words = [d.fields.done, d.fields.planned, d.fields.cannot].filter(Boolean).join('；');
  return words ? `（这份答复没有提交：“${quote(words, 40)}”）` : '';
}

export const emptyFields = (): AnswerFields => ({
  done: null,
  planned: null,
  plannedBy: null,
  cannot: null,
  cannotReason: null,
  signedBy: null,
});
