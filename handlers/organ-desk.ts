import type { AnswerFields } from '../db/repositories/suggestions.ts';
import { smalltalkOf, yesNo } from '../src/bot/dialog/free-text.ts';
import { fitByWords } from '../src/bot/dialog/item-words.ts';
import type { ChatMessage } from '../src/channels/types.ts';
import type { Deps } from '../src/deps.ts';
import { AppError, isAppError } from '../src/errors.ts';
import type { Reply } from '../src/messaging/index.ts';
import {
  itemsForOrgan,
  type OrganItemView,
  organContactOfChat,
  requestReturn,
  signForItem,
  submitOrganAnswer,
} from '../src/services/suggestions/index.ts';
import { todayIn } from '../src/statute/calendar-date.ts';
import { parseAnswerText } from './answer-text.ts';
import { type AnswerDraft, answerSteps } from './organ-answer-steps.ts';
import { answering } from './suggestion-common.ts';

// An organ's contact in chat: 签收 <编号>, 申请退回 <编号> <理由>, 答复 <编号> <分类> 已办理：…；签发人：…,
// and 查询 for the organ's own open items (CONTRACT §3). Anyone else gets null and the dispatcher's usual
// answer for a sender not on the roster. A contact who is also on the roster keeps the roster's 查询 (and,
// as staff, 答复); the rest of the organ's commands reach the desk.

const CODE = /JY-?(\d{4})-?(\d{1,6})/i;

const codeIn = (text: string): string | undefined => {
  const m = CODE.exec(text);
  return m ? `JY-${m[1]}-${m[2]!.padStart(4, '0')}` : undefined;
};

/** Labels only an organ's answer carries: its result class (分类：A, A类), its contact and its 文号. */
const CLASS_RE = /(?:(?:分类|结果)[:：]?\s*([A-Da-d])(?![A-Za-z])|(?<![A-Za-z])([A-Da-d])类)[；;，,]?/;
const OWN_LABEL_RE = (label: string) => new RegExp(`${label}[:：]\\s*([^；;\\n]*)[；;]?`);

/**
 * "答复 JY-2026-0012 分类：A；已办理：…；签发人：…；联系人：…；文号：…" → its parts. The fields are read as
 * staff answers are (handlers/answer-text.ts): text before any label is what was done.
 */
function organAnswerIn(text: string, today: string) {
  let rest = text.replace(/^答复/, '').replace(CODE, '');
  const m = CLASS_RE.exec(rest);
  rest = rest.replace(CLASS_RE, '');
  const own = (label: string) => {
    const re = OWN_LABEL_RE(label);
    const x = re.exec(rest);
    rest = rest.replace(re, '');
    return x?.[1]?.trim() || undefined;
  };
  const contact = own('联系人');
  const docNo = own('文号');
  const parsed = parseAnswerText(rest.trim().replace(/^[；;，,：:]+/, ''), [], today);
  return { parsed, resultClass: m?.[1] ?? m?.[2], contact, docNo };
}

/** What the desk takes, shown with one of the organ's own codes when it has one. */
const helpWith = (code = 'JY-2026-0012') =>
  `承办单位可以发：\n签收 ${code}\n申请退回 ${code} 理由\n` +
  `答复 ${code} 已办理的情况（分类和签发人我会再问）\n查询（本单位正在办理的事项）\n` +
  '也可以直接用平常的话说，例如“路灯已经修好了”。';

/** "收到", "好的，我们马上安排": the letter acknowledged, which for an item not yet signed for means 签收. */
const TAKEN_IN =
  /^(?:(?:收到|好的?|知道了|明白了?|了解|没问题)[了啦]?[，,。.!！\s]*)?(?:我们|我|本单位)?(?:会|将)?(?:马上|尽快|立即|抓紧|及时)?(?:安排|办理|处理|落实|办)?(?:一下)?[。.!！]*$/;

/** How long a list of items to sign for answers a number. */
const CHOICE_TTL_MS = 30 * 60_000;

/** What only an organ's contact says: for one also on the roster, the desk answers these alone. */
const ORGAN_WORDS = /^(签收|申请退回|答复)/;
/** Staff answer for organs themselves (答复 is also a staff command): they keep it. */
const ORGAN_WORDS_FOR_STAFF = /^(签收|申请退回)/;

/** "这个不归我们管", "不属于本单位职责": a return asked for in words. */
const NOT_OURS =
  /不归(?:我们|本单位|我单位|我局|我们单位)|不属于(?:我们|本单位|我单位|我局)|不是(?:我们|本单位|我单位|我局)的?(?:职责|事|管)|(?:我们|本单位)管不了|应该(?:是|由|归|交给)?.{1,12}(?:管|负责|办理|的事)/;
/** "已经修好了", "办完了": an answer told in words. */
const DONE_WORDS =
  /(?:已经?|都)(?:修好|办好|办完|办结|处理好|处理完|解决|完成|维修|整改|落实)|(?:修|办|弄|处理|整改)好了|办完了|解决了/;

/** The organ's items still open. */
const openOf = (items: OrganItemView[]) => items.filter((i) => i.assignmentStatus === 'open');

/**
 * The open item the words point to ("电梯那个…"), or the only one open; undefined when they leave several.
 */
function itemMeant(text: string, open: OrganItemView[], today: string): OrganItemView | undefined {
  if (open.length === 1) return open[0];
  const said = text.replace(NOT_OURS, '').replace(DONE_WORDS, '');
  const candidates = open.map((i) => ({
    code: i.letter.code,
    label: i.letter.code,
    words: i.letter.title,
    on: today,
  }));
  const fit = fitByWords(said, candidates, today);
  return fit.length === 1 && fit.length < candidates.length
    ? open.find((i) => i.letter.code === fit[0]!.code)
    : undefined;
}

/** An answer as far as it was told (its text already read without error), for the steps to complete. */
function draftOf(
  code: string | undefined,
  fields: AnswerFields,
  f: Pick<ReturnType<typeof organAnswerIn>, 'resultClass' | 'contact' | 'docNo'>,
): AnswerDraft {
  return {
    ...(code ? { code } : {}),
    fields,
    ...(f.resultClass ? { resultClass: f.resultClass.toUpperCase() } : {}),
    ...(f.contact ? { contact: f.contact } : {}),
    ...(f.docNo ? { docNo: f.docNo } : {}),
  };
}

const listed = (open: OrganItemView[]) =>
  open
    .slice(0, 6)
    .map((i) => `${i.letter.code}「${i.letter.title}」`)
    .join('\n');

export function organDesk(
  deps: Deps,
): (msg: ChatMessage, onRoster?: { staff: boolean }) => Promise<Reply | null> {
  return async (msg, onRoster) => {
    if (msg.channel !== 'wecom' && msg.channel !== 'dingtalk') return null;
    // A deputy or staff member who is also an organ's contact: only the organ's own commands come here, so
    // the roster's commands (and 查询) stay theirs; the contact is looked up only for those.
    if (onRoster && !(onRoster.staff ? ORGAN_WORDS_FOR_STAFF : ORGAN_WORDS).test((msg.text ?? '').trim()))
      return null;
    const contact = await organContactOfChat(deps, msg.channel, msg.senderId);
    if (!contact) return null;
    const actor = {
      id: `organ:${msg.channel}:${msg.senderId}`,
      name: contact.name,
      organId: contact.organId,
    };
    const said = (msg.text ?? '').trim();
    const today = todayIn(deps.clock, deps.config.timezone);
    const openNow = async () => openOf(await itemsForOrgan(deps, contact.organId));
    // An answer told a piece at a time (not for a contact on the roster: their next words go to the roster).
    const steps = onRoster ? null : answerSteps(deps, msg, actor, openNow);
    // "1" after "请问签收哪一项？": the item at that place of the list just shown (kept 30 minutes); "是"
    // when one was offered.
    const choiceKey = `organ-desk:choice:${msg.channel}:${msg.senderId}`;
    const choosing = /^[1-6]$/.test(said) || yesNo(said) === 'yes';
    const picked = choosing ? await deps.store.get(choiceKey) : null;
    const list = picked ? (JSON.parse(picked) as string[]) : [];
    const pickedCode = /^[1-6]$/.test(said)
      ? list[Number(said) - 1]
      : list.length === 1
        ? list[0]
        : undefined;
    const text = pickedCode ? `签收 ${pickedCode}` : said;
    if (picked) await deps.store.del(choiceKey);
    const code = codeIn(text);
    return answering(async () => {
      if (steps && !pickedCode && (await steps.waiting())) {
        // Another of the desk's commands leaves the answer half told; anything else is its next part.
        if (/^(?:签收|申请退回|查询|答复)/.test(text) || NOT_OURS.test(text)) await steps.drop();
        else {
          const reply = await steps.next(text);
          if (reply) return reply;
        }
      }
      if (/^签收/.test(text)) {
        if (!code) {
          // Which of the organ's items are still to be signed for: one button each, no guessing.
          const unsigned = (await itemsForOrgan(deps, contact.organId)).filter(
            (i) => i.assignmentStatus === 'open' && !i.letter.signedAt,
          );
          if (unsigned.length === 0) return { text: '本单位目前没有待签收的事项。' };
          await steps?.drop();
          const shown = unsigned.slice(0, 6);
          await deps.store.set(choiceKey, JSON.stringify(shown.map((i) => i.letter.code)), CHOICE_TTL_MS);
          return {
            text: `请问签收哪一项？回复数字、点选或发“签收 编号”：\n${shown.map((i, n) => `${n + 1}. ${i.letter.code}「${i.letter.title}」`).join('\n')}`,
            buttons: shown.map((i) => ({ label: `签收 ${i.letter.code}`, command: `签收 ${i.letter.code}` })),
          };
        }
        const r = await signForItem(deps, { code, actor });
        return { text: r.already ? `${r.code} 已签收过。` : `已签收 ${r.code}，请按期办理。` };
      }
      const asked = /^申请退回/.test(text);
      if (asked || NOT_OURS.test(text)) {
        if (!code || !asked) {
          // The item the words point to, as a button that asks; else the open items and a form to copy.
          const open = openOf(await itemsForOrgan(deps, contact.organId));
          if (open.length === 0) return { text: '本单位目前没有正在办理的事项。' };
          const reason =
            text
              .replace(/^申请退回/, '')
              .replace(CODE, '')
              .trim() || '不属于本单位职责';
          const meant = asked
            ? undefined
            : code
              ? open.find((i) => i.letter.code === code)
              : itemMeant(text, open, today);
          if (meant) {
            const command = `申请退回 ${meant.letter.code} ${reason}`;
            return {
              text: `是要申请退回 ${meant.letter.code}「${meant.letter.title}」吗？点下面的按钮提交，或发：\n${command}`,
              buttons: [{ label: `申请退回 ${meant.letter.code}`, command }],
            };
          }
          return {
            text: `请写明要退回的编号，例如：申请退回 ${open[0]!.letter.code} ${reason}\n本单位正在办理：\n${listed(open)}`,
          };
        }
        const reason = text
          .replace(/^申请退回/, '')
          .replace(CODE, '')
          .trim();
        if (reason === '') return { text: `请写明理由，如：申请退回 ${code} 不属于本单位职责` };
        const r = await requestReturn(deps, { code, reason, actor });
        return { text: `已提出退回申请（${r.code}），由人大常委会代表工作机构决定，决定前请继续办理。` };
      }
      if (/^答复/.test(text) || DONE_WORDS.test(text)) {
        if (!code) {
          // Which item, and the answer's form with the words already said in it.
          const open = await openNow();
          if (open.length === 0) return { text: '本单位目前没有正在办理的事项。' };
          const meant = itemMeant(text, open, today);
          // What was done, without the words that pointed at the item ("外墙那个").
          const told = text
            .replace(/^答复/, '')
            .replace(/^.{0,12}?(?:那个|这个|那条|这条|那件)(?:事|建议)?/, '')
            .trim()
            .replace(/^[：:，,]+/, '');
          if (steps) {
            await deps.store.del(choiceKey);
            const f = organAnswerIn(told, today);
            if ('error' in f.parsed) return { text: f.parsed.error };
            return steps.start(draftOf(meant?.letter.code, f.parsed.fields, f), open);
          }
          const done = told || '……';
          const example = `答复 ${meant?.letter.code ?? open[0]!.letter.code} 分类：A；已办理：${done}；签发人：……；联系人：……；文号：……`;
          return {
            text: meant
              ? `答复 ${meant.letter.code}「${meant.letter.title}」请写明分类和签发人，按这个样子发：\n${example}`
              : `请写明要答复的编号，例如：\n${example}\n本单位正在办理：\n${listed(open)}`,
          };
        }
        const f = organAnswerIn(text, today);
        if ('error' in f.parsed) return { text: f.parsed.error };
        // One of the organ's open items: what is missing from the answer is asked for, a part at a time.
        const open = steps ? await openNow() : [];
        if (steps && open.some((i) => i.letter.code === code)) {
          await deps.store.del(choiceKey);
          return steps.start(draftOf(code, f.parsed.fields, f), open);
        }
        const fields = f.parsed.fields;
        const r = await submitOrganAnswer(deps, {
          code,
          actor,
          answer: { fields, resultClass: f.resultClass, contact: f.contact, docNo: f.docNo },
        }).catch((e: unknown) => {
          // What is missing, and the whole answer as it should be sent.
          if (isAppError(e) && e.code === 'bad_request')
            throw new AppError(
              'bad_request',
              `${e.message}。请按这个样子重发：\n答复 ${code} 分类：A；已办理：${fields.done ?? '……'}；签发人：……`,
            );
          throw e;
        });
        return {
          text:
            r.status === 'to_lead'
              ? `已将协办意见送承办单位（${r.code}）。`
              : `已收到 ${r.code} 的答复，经人大常委会代表工作机构审核后发给代表。`,
        };
      }
      if (/^查询/.test(text)) {
        const open = await openNow();
        if (open.length === 0) return { text: '本单位目前没有正在办理的事项。' };
        return {
          text: open
            .map(
              (i) =>
                `${i.letter.code}「${i.letter.title}」${i.letter.role === 'lead' ? '承办' : '协办'}，期限 ${i.letter.dueText}${i.letter.signedAt ? '' : '，未签收'}`,
            )
            .join('\n'),
        };
      }
      // A greeting is greeted, then shown what the desk takes; thanks and 收到 need no list.
      const talk = smalltalkOf(text);
      if (talk === 'thanks') return { text: '不客气。需要时发“查询”可查看本单位正在办理的事项。' };
      const open = await openNow();
      if (talk === 'ack' || TAKEN_IN.test(text)) {
        // The letter acknowledged: an item not yet signed for is offered for signing.
        const unsigned = open.filter((i) => !i.letter.signedAt);
        if (unsigned.length === 1) {
          const only = unsigned[0]!;
          await deps.store.set(choiceKey, JSON.stringify([only.letter.code]), CHOICE_TTL_MS);
          return {
            text: `好的。要签收 ${only.letter.code}「${only.letter.title}」吗？回复“是”或点下面的按钮签收。`,
            buttons: [{ label: `签收 ${only.letter.code}`, command: `签收 ${only.letter.code}` }],
          };
        }
        if (unsigned.length > 1) {
          const shown = unsigned.slice(0, 6);
          await deps.store.set(choiceKey, JSON.stringify(shown.map((i) => i.letter.code)), CHOICE_TTL_MS);
          return {
            text: `好的。本单位还有 ${unsigned.length} 项待签收，回复数字或点选签收：\n${shown.map((i, n) => `${n + 1}. ${i.letter.code}「${i.letter.title}」`).join('\n')}`,
            buttons: shown.map((i) => ({ label: `签收 ${i.letter.code}`, command: `签收 ${i.letter.code}` })),
          };
        }
        return { text: '好的。需要时发“查询”可查看本单位正在办理的事项。' };
      }
      const help = helpWith(open[0]?.letter.code);
      return { text: talk === 'greeting' ? `${contact.name}，您好。${help}` : help };
    });
  };
}
