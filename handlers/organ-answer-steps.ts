import type { AnswerFields } from '../db/repositories/suggestions.ts';
import { smalltalkOf, yesNo } from '../src/bot/dialog/free-text.ts';
import type { Deps } from '../src/deps.ts';
import type { Reply } from '../src/messaging/index.ts';
import { type OrganItemView, submitOrganAnswer } from '../src/services/suggestions/index.ts';

// An organ's answer told in chat a piece at a time: what was done in the contact's own words, then the
// item (when several are open), the result class and the signer the office needs, each asked with what
// to tap. Nobody has to copy a form; what is missing is asked for, what was said is kept.

export interface AnswerDraft {
  code?: string;
  fields: AnswerFields;
  resultClass?: string;
  contact?: string;
  docNo?: string;
}

export interface OrganActor {
  id: string;
  name: string;
  organId: number;
}

/** How long a half-told answer waits for its next part. */
const DRAFT_TTL_MS = 30 * 60_000;
const MAX_SIGNER = 16;
/** Longer than any answer to a question of the steps: a message of its own. */
const LONG_ENOUGH = 12;

const draftKey = (channel: string, senderId: string) => `organ-desk:answer:${channel}:${senderId}`;

const hasContent = (f: AnswerFields) => Boolean(f.done || f.planned || f.cannot);

const CANCEL = /^(?:取消|算了|不答复了|先不答复|先不答了|不用了|退出)$/;

/** A class named by its letter ("A", "a类", "分类：A"), its place in the list, or its label's words. */
function classIn(text: string, classes: OrganItemView['resultClasses']): string | undefined {
  const t = text.replace(/[\s。.!！，,]/g, '');
  const letter = /^(?:分类[:：]?|结果[:：]?)?([A-Za-z]{1,4})(?:类)?$/.exec(t);
  if (letter) return classes.find((c) => c.code === letter[1]!.toUpperCase())?.code;
  const place = /^(?:第)?([1-9])(?:类|个|项)?$/.exec(t);
  if (place) return classes[Number(place[1]) - 1]?.code;
  return classes.find(
    (c) => t.includes(c.label) || c.label.split(/或|、/).some((part) => part.length >= 2 && t.includes(part)),
  )?.code;
}

/** "签发人是王局长", "王局长签发": the signer's name or post alone. */
function signerIn(text: string): string | undefined {
  const t = text
    .trim()
    .replace(/^(?:签发人|签发领导|签发)(?:是|为|[:：])?/, '')
    .replace(/(?:签发|签的字|签字)(?:的)?$/, '')
    .replace(/[。.!！]+$/, '')
    .trim();
  // A sentence is no name: "局长出差了，明天再说".
  if (t === '' || t.length > MAX_SIGNER || /[\n，,？?；;]|[了吗呢吧]$/.test(t) || yesNo(t) !== null)
    return undefined;
  return t;
}

export interface AnswerSteps {
  /** A draft waits for this contact's next words. */
  waiting(): Promise<boolean>;
  /** Begins (or begins again) an answer with what was said; asks for what is missing, or submits. */
  start(draft: AnswerDraft, open?: OrganItemView[]): Promise<Reply>;
  /**
   * The contact's next words read as the part asked for. Null when they are plainly something else (thanks,
   * a long message that answers nothing asked): the draft is dropped and the words are read on their own.
   */
  next(text: string): Promise<Reply | null>;
  drop(): Promise<void>;
}

export function answerSteps(
  deps: Deps,
  who: { channel: string; senderId: string },
  actor: OrganActor,
  openItems: () => Promise<OrganItemView[]>,
): AnswerSteps {
  const key = draftKey(who.channel, who.senderId);
  const save = (d: AnswerDraft) => deps.store.set(key, JSON.stringify(d), DRAFT_TTL_MS);
  const load = async (): Promise<AnswerDraft | null> => {
    const raw = await deps.store.get(key);
    return raw ? (JSON.parse(raw) as AnswerDraft) : null;
  };
  const drop = () => deps.store.del(key);

  /**
   * The next question for `d`, or the answer submitted once nothing is missing; `known` is the organ's open
   * items when they were just read.
   */
  const askOrSubmit = async (d: AnswerDraft, before = '', known?: OrganItemView[]): Promise<Reply> => {
    const open = known ?? (await openItems());
    if (open.length === 0) {
      await drop();
      return { text: '本单位目前没有正在办理的事项。' };
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
    await drop();
    const r = await submitOrganAnswer(deps, {
      code: item.letter.code,
      actor,
      answer: {
        fields: d.fields,
        ...(lead ? { resultClass: d.resultClass } : {}),
        ...(d.contact ? { contact: d.contact } : {}),
        ...(d.docNo ? { docNo: d.docNo } : {}),
      },
    });
    if (r.status === 'to_lead') return { text: `${before}已将协办意见送承办单位（${r.code}）。` };
    const cls = item.resultClasses.find((c) => c.code === d.resultClass);
    return {
      text:
        `${before}已收到 ${r.code} 的答复，经人大常委会代表工作机构审核后发给代表。\n` +
        `分类：${cls ? `${cls.code} ${cls.label}` : d.resultClass}；签发人：${d.fields.signedBy}`,
    };
  };

  return {
    waiting: async () => (await deps.store.get(key)) !== null,
    start: (draft, open) => askOrSubmit(draft, '', open),
    drop,
    async next(text) {
      const d = await load();
      if (!d) return { text: '这份答复已经超时，请重新告诉我办理情况。' };
      const said = text.trim();
      if (CANCEL.test(said.replace(/[。.!！]+$/, ''))) {
        await drop();
        return { text: '好的，答复没有提交。需要时再告诉我办理情况即可。' };
      }
      const talk = smalltalkOf(said);
      const leave = async () => {
        await drop();
        return null;
      };
      if (talk === 'thanks' || talk === 'greeting') return leave();
      const open = await openItems();
      /** Words that answer nothing asked: a short slip is asked again, a message of its own is let go. */
      const unread = (why: string) => (said.length > LONG_ENOUGH ? leave() : askOrSubmit(d, why, open));
      if (!d.code) {
        const shown = open.slice(0, 6);
        const n = /^[1-6]$/.exec(said);
        const code = n
          ? shown[Number(n[0]) - 1]?.letter.code
          : shown.find((i) => said.includes(i.letter.code))?.letter.code;
        if (!code) return unread('没有找到这一项。');
        d.code = code;
        return askOrSubmit(d, '', open);
      }
      const item = open.find((i) => i.letter.code === d.code);
      if (!item) return askOrSubmit(d, '', open);
      if (!hasContent(d.fields)) {
        if (said.length < 4 || yesNo(said) !== null) return askOrSubmit(d, '没看懂。', open);
        d.fields.done = said;
        return askOrSubmit(d, '', open);
      }
      if (item.letter.role === 'lead' && !d.resultClass) {
        const cls = classIn(said, item.resultClasses);
        if (!cls) return unread('没看懂是哪一类。');
        d.resultClass = cls;
        return askOrSubmit(d, '', open);
      }
      const signer = signerIn(said);
      if (!signer) return unread(`没看懂。签发人请只写姓名或职务（不超过${MAX_SIGNER}个字）。`);
      d.fields.signedBy = signer;
      return askOrSubmit(d, '', open);
    },
  };
}
