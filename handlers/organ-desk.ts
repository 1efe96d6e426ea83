import type { MediaKind, Photo } from '../db/schema.ts';
import { quote, smalltalkOf, yesNo } from '../src/bot/dialog/free-text.ts';
import { smallNumber } from '../src/bot/language/argument-parsers.ts';
import { LIST_PICK } from '../src/bot/language/phrasings.ts';
import type { ChatMessage } from '../src/channels/types.ts';
import type { Deps } from '../src/deps.ts';
import { AppError, isAppError } from '../src/errors.ts';
import type { Reply } from '../src/messaging/index.ts';
import { keepMedia } from '../src/services/media/index.ts';
import {
  addToOrganAnswer,
  itemsForOrgan,
  type OrganAudit,
  type OrganItemView,
  organContactOfChat,
  requestExtension,
  requestReturn,
  signForItem,
  submitOrganAnswer,
  withdrawOrganAnswer,
  withdrawReturnRequest,
} from '../src/services/suggestions/index.ts';
import { todayIn } from '../src/statute/calendar-date.ts';
import {
  type AnswerDraft,
  addedWordsOf,
  answerSteps,
  codeIn,
  codesIn,
  commandFirst,
  DONE_WORDS,
  emptyFields,
  itemByWords,
  NOT_OURS,
  organAnswerIn,
  thanksOnly,
  withCode,
  withoutCode,
} from './organ-answer-steps.ts';
import {
  amend,
  type DeskAsk,
  deskAskOf,
  filesLater,
  howTo,
  joint,
  moreTime,
  unknownCode,
} from './organ-asks.ts';
import { asksAboutItems, itemLine, organQuestion, pendingOf, stateOf } from './organ-questions.ts';
import { answering } from './suggestion-common.ts';

// An organ's contact in chat: 签收 <编号>, 申请退回 <编号> <理由>, 答复 <编号> <分类> 已办理：…；签发人：…,
// 撤回 and 补充 of an answer still waiting for review, and 查询 for the organ's own open items (CONTRACT §3).
// Codes are read as clerks type them (JY2026 0012, JY20260012, the code before the word). Anyone else gets
// null and the dispatcher's usual answer for a sender not on the roster. A contact who is also on the
// roster keeps the roster's 查询 (and, as staff, 答复); the rest of the organ's commands reach the desk.

/** What the desk takes, shown with one of the organ's own codes when it has one. */
const helpWith = (code = 'JY-2026-0012') =>
  `承办单位可以发：\n签收 ${code}\n申请退回 ${code} 理由\n` +
  `答复 ${code} 已办理的情况（分类和签发人我会再问）\n查询（本单位正在办理的事项）\n` +
  '也可以直接用平常的话说，例如“路灯已经修好了”；现场照片直接发来即可。';

/** "收到", "好的，我们马上安排", "已阅", "这个事情我们正在办": the letter acknowledged. */
const TAKEN_IN =
  /^(?:(?:收到|好的?|知道了|明白了?|了解|没问题)[了啦]?[，,。.!！\s]*)?(?:我们|我|本单位)?(?:会|将)?(?:马上|尽快|立即|抓紧|及时)?(?:安排|办理|处理|落实|办)?(?:一下)?[。.!！]*$/;
const READ_IT = /^(?:已阅|阅|已收到|收悉|已收悉|已知悉|知悉)[。.!！]*$/;
const UNDER_WAY =
  /^(?:我们|本单位)?(?:正在|在)(?:办|办理|处理|落实|安排|抓紧办理?|推进)(?:中|了|呢|着)?[。.!！]*$/;

function acknowledges(text: string): boolean {
  const t = withoutCode(text)
    .replace(/^[，,。\s]+|[，,。\s]+$/g, '')
    .replace(/[，,。！!\s]*(?:谢谢|感谢|多谢|辛苦了?)(?:你|您|你们)?[。！!]*$/, '')
    .replace(/^(?:这个|这件|那个)(?:事情?|建议)?/, '')
    .trim();
  return t !== '' && (TAKEN_IN.test(t) || READ_IT.test(t) || UNDER_WAY.test(t));
}

/** "自来水那个我们签收了", "路灯的签收一下": 签收 said after the words naming what is signed for. */
const SIGNED_IN_WORDS = /^(?!签收).*(?<![没未不])签收(?:了|啦|一下)?[。.!！]*$/;

/** "都签收", "全部签收", "两个都签收了": every item still to be signed for. */
const SIGN_ALL = /^(?:都|全部|全都|一起|一并|统一)签收|^签收(?:全部|所有|一下全部)|(?:都|全部)签收/;

/** "什么时候到期", "查一下", "有哪些事项": the organ's open items. */
const QUERY_WORDS =
  /^(?:查询|查一下|查查|查看|看看|看一下|列一下)|(?:什么时候|哪天|几号|何时)(?:到期|截止)|(?:期限|截止)(?:是|到)?(?:哪天|什么时候|多久)|还有(?:几天|多久)|(?:有|还有)(?:哪些|什么|啥|几个|几件|多少)(?:事|事项|建议|没办|要(?:我们|本单位)?(?:办|处理|答复))|(?:有|还有)(?:几个|几件|多少件?)[吗呢啊]?[?？]?$/;

/** "撤回刚才的答复", "答复写错了": the organ's answer still waiting for review taken back. */
const WITHDRAW_ANSWER =
  /(?:撤回|撤销|收回|作废)(?:刚才|刚刚|之前|上次|前面)?的?(?:那个|这个|那份|这份)?(?:答复|回复)|(?:答复|回复).{0,4}(?:撤回|撤销|作废|不算|写错|发错|有误)|^撤回\s*(?:JY|$)/i;
/** "撤回退回申请", "不退回了". */
const WITHDRAW_RETURN =
  /(?:撤回|撤销|取消)(?:刚才|之前)?的?(?:退回申请|申请退回|退回)|退回申请.{0,3}(?:撤回|撤销|作废|不要了|取消)|不(?:申请)?退回了|不退了/;

/** A question (it is not an answer to anything). */
const QUESTION = /[？?]$|[吗呢]$|多少|几[天个号件]|什么|怎么|哪[个天里些]|为什么/;

/** How long a list of items to choose from answers a number, or an offer a yes. */
const CHOICE_TTL_MS = 30 * 60_000;

/** What only an organ's contact says: for one also on the roster, the desk answers these alone. */
const ORGAN_WORDS = /^(签收|申请退回|答复)/;
/** Staff answer for organs themselves (答复 is also a staff command): they keep it. */
const ORGAN_WORDS_FOR_STAFF = /^(签收|申请退回)/;

/** The organ's items still open. */
const openOf = (items: OrganItemView[]) => items.filter((i) => i.assignmentStatus === 'open');

/** A half-told answer (as stored) holds words or photos. */
const toldIn = (stored: string): boolean => {
  const d = JSON.parse(stored) as AnswerDraft;
  return Boolean(d.fields.done || d.fields.planned || d.fields.cannot) || (d.attachments?.length ?? 0) > 0;
};

/** What a half-told answer about to be replaced held, said back so its words are not lost unseen. */
function replacedNote(stored: string | null, code: string | undefined): string {
  if (!stored || !toldIn(stored)) return '';
  const d = JSON.parse(stored) as AnswerDraft;
  if (d.code && d.code === code) return '';
  const words = [d.fields.done, d.fields.planned, d.fields.cannot].filter(Boolean).join('；');
  return `（刚才${d.code ? ` ${d.code} ` : ''}的答复还没有提交${words ? `：“${quote(words, 30)}”` : ''}，先放下了，需要时请重新发。）\n`;
}

/** An item an answer may go to now: no answer of the organ waits for review, no return request either. */
const answerable = (i: OrganItemView): boolean => !pendingOf(i) && !i.returnRequested;

/** An answer as far as it was told (its text already read without error), for the steps to complete. */
function draftOf(code: string | undefined, f: ReturnType<typeof organAnswerIn>): AnswerDraft {
  return {
    ...(code ? { code } : {}),
    fields: 'error' in f.parsed ? emptyFields() : f.parsed.fields,
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

const numbered = (items: OrganItemView[]) =>
  items.map((i, n) => `${n + 1}. ${i.letter.code}「${i.letter.title}」`).join('\n');

/** The kind of thing a photo, file or voice message is kept as. */
const mediaKindOf = (msg: ChatMessage): MediaKind =>
  msg.kind === 'image' || msg.kind === 'voice' || msg.kind === 'video' ? msg.kind : 'file';

export function organDesk(
  deps: Deps,
): (msg: ChatMessage, onRoster?: { staff: boolean }) => Promise<Reply | null> {
  return async (msg, onRoster) => {
    if (msg.channel !== 'wecom' && msg.channel !== 'dingtalk') return null;
    const said = (msg.text ?? '').trim();
    const read = commandFirst(said);
    // A deputy or staff member who is also an organ's contact: only the organ's own commands come here, so
    // the roster's commands (and 查询) stay theirs; the contact is looked up only for those.
    // (Their words as written: a clerk's way with codes and synonyms is read for contacts off the roster.)
    if (onRoster && !(onRoster.staff ? ORGAN_WORDS_FOR_STAFF : ORGAN_WORDS).test(said)) return null;
    const contact = await organContactOfChat(deps, msg.channel, msg.senderId);
    if (!contact) return null;
    const actor = {
      id: `organ:${msg.channel}:${msg.senderId}`,
      name: contact.name,
      organId: contact.organId,
    };
    // Every action's audit row names the message it came from, as inbound_messages records it.
    const audit: OrganAudit = { via: 'chat', requestId: `${msg.channel}:${msg.messageKey}` };
    const today = todayIn(deps.clock, deps.config.timezone);
    const openNow = async () => openOf(await itemsForOrgan(deps, contact.organId));
    const answerableNow = async () => (await openNow()).filter(answerable);
    // An answer told a piece at a time (not for a contact on the roster: their next words go to the roster).
    const steps = onRoster ? null : answerSteps(deps, msg, actor, audit, answerableNow);
    // "1" after a list of choices: the command at that place (kept 30 minutes); "是" when one was offered.
    const choiceKey = `organ-desk:choice:${msg.channel}:${msg.senderId}`;
    const offer = (commands: string[]) => deps.store.set(choiceKey, JSON.stringify(commands), CHOICE_TTL_MS);
    // "2", "第二个": a line of the list just shown.
    const place = LIST_PICK.exec(said.replace(/[\s。.]/g, ''))?.[1];
    const position = place === undefined ? null : smallNumber(place);
    const isNumber = position !== null && position <= 6;
    // "签收" alone just after one item was offered for signing ("…还没签收吧"): that one, as "是" would.
    const bareSign = /^签收[。.!！]*$/.test(said);
    const answersOffer = isNumber || yesNo(said) === 'yes' || bareSign;
    const stored = answersOffer ? await deps.store.get(choiceKey) : null;
    const kept = stored ? (JSON.parse(stored) as string[]) : [];
    const offered = bareSign && !(kept.length === 1 && kept[0]!.startsWith('签收 ')) ? [] : kept;
    if (!isNumber && offered.length > 1)
      return { text: `请回复数字（1–${offered.length}）选择其中一项，或点选上面的按钮。` };
    const picked = isNumber ? offered[position - 1] : offered[0];
    // Anything but a number or a yes lets the buttons offered lapse: a later "是" means what it answers then.
    if (stored || !answersOffer) await deps.store.del(choiceKey);
    const text = picked ?? read;
    const code = codeIn(text);
    // "怎么答复", "能不能晚几天答复", "把答复改一下": asked of the desk, answered without acting. Words that
    // plainly do something else keep their meaning: a command written out ("答复 … 推迟了两天"), what was
    // done ("已会同交通局修好了"), a return ("不归我们管，应该交通局牵头"), a withdrawal ("撤回答复重新写").
    const ask = ((): DeskAsk | null => {
      // A pick is a command already, of which only 申请延期 is read here.
      const a = picked && !/^申请延期/.test(picked) ? null : deskAskOf(text);
      if (a === 'how' || a === null) return a;
      if (a === 'amend') return WITHDRAW_ANSWER.test(text) ? null : a;
      if (/^(?:签收|申请退回|答复|补充|撤回)/.test(text) || DONE_WORDS.test(text)) return null;
      return a === 'joint' && NOT_OURS.test(text) ? null : a;
    })();
    /** The half-told answer waiting when the message came (as stored), if any. */
    let held: string | null = null;

    /** A photo, file or voice message: kept, and put with the answer it belongs to. */
    const received = async (): Promise<Reply> => {
      const media = msg.media!;
      const kind = mediaKindOf(msg);
      // Kept at once, like a deputy's (services/media fetches it while the platform still serves it).
      const kept = await keepMedia(deps, {
        channel: msg.channel,
        platformId: media.mediaId,
        kind,
        inboundId: null,
      });
      const photo: Photo = {
        mediaId: media.mediaId,
        stored: kept,
        ...(kind === 'image' ? {} : { kind: kind === 'video' ? 'video' : 'file' }),
        ...(media.fileName ? { fileName: media.fileName } : {}),
      };
      if (!steps) return { text: '收到。' };
      if (await steps.waiting()) return steps.attach(photo);
      // Just after an answer was sent: it goes with that answer while it waits for review.
      const sent = await steps.justSent();
      if (sent) {
        const r = await addToOrganAnswer(deps, { code: sent, actor, audit, attachments: [photo] }).catch(
          (e: unknown) => {
            if (isAppError(e) && e.code === 'conflict') return null;
            throw e;
          },
        );
        if (r)
          return {
            text: `已补充到 ${r.code} 的答复（正等待审核），这份答复现有照片或文件 ${r.files} 个。`,
          };
      }
      if ((await openNow()).length === 0) return { text: '收到，已保存。本单位目前没有正在办理的事项。' };
      return steps.attach(photo);
    };

    /** 签收 of one item, as the line the contact reads. */
    const signOne = async (c: string): Promise<string> => {
      const r = await signForItem(deps, { code: c, actor, audit }).catch((e: unknown) => {
        if (isAppError(e) && codesIn(text).length > 1) return e.message;
        throw e;
      });
      if (typeof r === 'string') return r;
      return r.already ? `${r.code} 已签收过。` : `已签收 ${r.code}，请按期办理。`;
    };

    /** The organ's answer (or return request) still waiting for the office, taken back. */
    const withdraw = async (): Promise<Reply> => {
      const items = await itemsForOrgan(deps, contact.organId);
      const returning = WITHDRAW_RETURN.test(text);
      // "撤回" alone: whichever waits, an answer or a return request.
      const either = !returning && !/答复|回复/.test(text);
      const waiting = items.filter((i) =>
        returning ? i.returnRequested : pendingOf(i) || (either && i.returnRequested),
      );
      const sent = await steps?.justSent();
      const one =
        (code ? items.find((i) => i.letter.code === code) : undefined) ??
        (waiting.length === 1 ? waiting[0] : waiting.find((i) => i.letter.code === sent));
      if (!one) {
        if (waiting.length > 1) {
          const word = returning ? '撤回退回申请' : '撤回答复';
          const commands = waiting.slice(0, 6).map((i) => `${word} ${i.letter.code}`);
          await offer(commands);
          return {
            text: `要撤回哪一项？回复数字或点选：\n${numbered(waiting.slice(0, 6))}`,
            buttons: commands.map((c) => ({ label: c, command: c })),
          };
        }
        if (!returning && steps && (await steps.waiting())) {
          await steps.drop();
          return { text: '好的，答复没有提交。需要时再告诉我办理情况即可。' };
        }
        return {
          text: returning
            ? '本单位目前没有等待决定的退回申请。'
            : '本单位目前没有等待审核的答复可以撤回（已审核通过的答复已经发给代表，如需更正请与人大常委会代表工作机构联系）。',
        };
      }
      // The words said with it when they say more than 撤回 (why it was taken back).
      const why = withoutCode(text)
        .replace(WITHDRAW_ANSWER, '')
        .replace(WITHDRAW_RETURN, '')
        .replace(/[，,。.！!\s]/g, '')
        ? withoutCode(text)
        : undefined;
      if (returning || (!pendingOf(one) && one.returnRequested)) {
        const r = await withdrawReturnRequest(deps, { code: one.letter.code, actor, audit, said: why });
        return { text: `已撤回 ${r.code} 的退回申请，请继续办理，期限不变。` };
      }
      const r = await withdrawOrganAnswer(deps, { code: one.letter.code, actor, audit, reason: why });
      if (!steps) return { text: `已撤回 ${r.code} 的答复，它不会发给代表。请重新答复。` };
      return steps.start(
        { code: r.code, fields: emptyFields() },
        undefined,
        `已撤回 ${r.code} 的答复，它不会发给代表。`,
      );
    };

    /** More words for an answer waiting for review, offered (nothing changes until it is sent). */
    const offerToAdd = async (item: string, words: string): Promise<Reply> => {
      const command = `补充 ${item} ${words}`;
      await offer([command]);
      return {
        text: `${item} 的答复已提交，正等待审核。要把“${quote(words, 40)}”补充到这份答复中吗？回复“是”或点下面的按钮。`,
        buttons: [{ label: `补充到 ${item} 的答复`, command }],
      };
    };

    const handle = async (): Promise<Reply> => {
      if (msg.media?.mediaId && said === '') return received();
      // "那件路灯的事我们还没签收吧", "还有几件没答复": asked about the organ's items, answered from them.
      const question = picked ? null : await organQuestion(text, openNow, today);
      if (question) {
        if (question.offer) await offer(question.offer);
        return question.reply;
      }
      // A code that is none of the organ's (mistyped, or another organ's): said, with the right ones to pick.
      const items = code && !picked ? await itemsForOrgan(deps, contact.organId) : [];
      if (code && !picked && !items.some((i) => i.letter.code === code)) {
        const r = unknownCode(code, text, openOf(items), withCode);
        if (r.offer) await offer(r.offer);
        return r.reply;
      }
      if (ask) return deskAnswer(ask);
      // "自来水那个我们签收了": signed for in words, the item named by them (never "还没签收", nor a question).
      const signsInWords = SIGNED_IN_WORDS.test(text) && !QUESTION.test(text);
      if (/^签收/.test(text) || SIGN_ALL.test(text) || signsInWords) {
        if (!code) {
          // Which of the organ's items are still to be signed for: one button each, no guessing.
          const unsigned = (await openNow()).filter((i) => !i.letter.signedAt);
          if (unsigned.length === 0) return { text: '本单位目前没有待签收的事项。' };
          // One item to sign for: "签收" can mean nothing else.
          if (unsigned.length === 1) return { text: await signOne(unsigned[0]!.letter.code) };
          const named = signsInWords ? itemByWords(text, unsigned, today) : undefined;
          if (named) return { text: await signOne(named.letter.code) };
          if (SIGN_ALL.test(text)) {
            for (const i of unsigned) await signForItem(deps, { code: i.letter.code, actor, audit });
            return {
              text: `已签收 ${unsigned.length} 项：${unsigned.map((i) => i.letter.code).join('、')}，请按期办理。`,
            };
          }
          const shown = unsigned.slice(0, 6);
          await offer(shown.map((i) => `签收 ${i.letter.code}`));
          return {
            text: `请问签收哪一项？回复数字、点选或发“签收 编号”：\n${numbered(shown)}`,
            buttons: shown.map((i) => ({ label: `签收 ${i.letter.code}`, command: `签收 ${i.letter.code}` })),
          };
        }
        const codes = codesIn(text);
        // Several codes in one message: each is signed for (or said why not), none dropped unseen.
        if (codes.length > 1) {
          const lines: string[] = [];
          for (const c of codes) lines.push(await signOne(c));
          return { text: lines.join('\n') };
        }
        return { text: await signOne(code) };
      }
      if (WITHDRAW_ANSWER.test(text) || WITHDRAW_RETURN.test(text)) return withdraw();
      if (/^补充/.test(text)) {
        const item = code ?? (await steps?.justSent());
        const words = addedWordsOf(withoutCode(text), today);
        if (item && words) {
          const r = await addToOrganAnswer(deps, { code: item, actor, audit, words });
          return { text: `已补充到 ${r.code} 的答复（正等待审核）。` };
        }
      }
      const asked = /^申请退回/.test(text);
      if (asked || NOT_OURS.test(text)) {
        const reason = withoutCode(text.replace(/^申请退回/, '')).replace(/^[：:，,\s]+/, '');
        if (!code || !asked) {
          // The item the words point to, as a button that asks; else the open items, a button each.
          const open = await openNow();
          if (open.length === 0) return { text: '本单位目前没有正在办理的事项。' };
          const why = reason || '不属于本单位职责';
          const meant = asked
            ? undefined
            : code
              ? open.find((i) => i.letter.code === code)
              : open.length === 1
                ? open[0]
                : itemByWords(text, open, today);
          if (meant) {
            const command = `申请退回 ${meant.letter.code} ${why}`;
            // "是" answers this question (never an offer made before it, such as 签收).
            await offer([command]);
            return {
              text: `是要申请退回 ${meant.letter.code}「${meant.letter.title}」吗？回复“是”或点下面的按钮提交，或发：\n${command}`,
              buttons: [{ label: `申请退回 ${meant.letter.code}`, command }],
            };
          }
          const shown = open.slice(0, 6);
          await offer(shown.map((i) => `申请退回 ${i.letter.code} ${why}`));
          return {
            text: `请写明要退回的编号，例如：申请退回 ${open[0]!.letter.code} ${why}\n本单位正在办理（回复数字或点选即可申请退回该项）：\n${numbered(shown)}`,
            buttons: shown.map((i) => ({
              label: `申请退回 ${i.letter.code}`,
              command: `申请退回 ${i.letter.code} ${why}`,
            })),
          };
        }
        if (reason === '') return { text: `请写明理由，如：申请退回 ${code} 不属于本单位职责` };
        const r = await requestReturn(deps, { code, reason, actor, audit });
        return { text: `已提出退回申请（${r.code}），由人大常委会代表工作机构决定，决定前请继续办理。` };
      }
      if (/^答复/.test(text) || DONE_WORDS.test(text)) return answer();
      if (
        code &&
        withoutCode(text).replace(/[，,。.！!？?\s]|查询|查一下|查看|看看|看一下|这个|这件|事项/g, '') === ''
      )
        return card(code);
      if (/^查询/.test(text) || QUERY_WORDS.test(text)) {
        const open = await openNow();
        if (open.length === 0) return { text: '本单位目前没有正在办理的事项。' };
        // Numbered: "第二个" (or "2") next shows the item on that line, with what may be done with it.
        if (open.length > 1) await offer(open.slice(0, 6).map((i) => i.letter.code));
        const lines = open.map((i, n) => itemLine(i, n, today));
        const more = open.length > 1 ? '\n回复序号（如“第二个”）可查看该项。' : '';
        return { text: `${lines.join('\n')}${more}` };
      }
      // "是" (or "2") when nothing was offered, or the offer has lapsed: said plainly, nothing done.
      if (answersOffer && !picked && !acknowledges(text))
        return {
          text: `现在没有等您回答的问题，这条“${quote(said, 10)}”没有办理任何事项。发“查询”可查看本单位正在办理的事项。`,
        };
      // A greeting is greeted, then shown what the desk takes; thanks and 收到 need no list.
      const talk = smalltalkOf(text);
      const open = await openNow();
      if (talk === 'ack' || acknowledges(text)) return acknowledged(open);
      if (talk === 'thanks' || thanksOnly(text))
        return { text: '不客气。需要时发“查询”可查看本单位正在办理的事项。' };
      // More words just after an answer was sent: offered to go with it while it waits for review.
      const sent = await steps?.justSent();
      if (sent && open.some((i) => i.letter.code === sent && pendingOf(i)) && withoutCode(text).length >= 4)
        return offerToAdd(sent, text);
      if (talk === 'greeting') return { text: `${contact.name}，您好。${helpWith(open[0]?.letter.code)}` };
      return unread(open);
    };

    /** What is asked of the desk rather than done (organ-asks.ts); only 申请延期 with its code and reason acts. */
    const deskAnswer = async (a: DeskAsk): Promise<Reply> => {
      const items = await itemsForOrgan(deps, contact.organId);
      const open = openOf(items);
      const meant = code
        ? open.find((i) => i.letter.code === code)
        : open.length === 1
          ? open[0]
          : itemByWords(text, open, today);
      if (a === 'how') return howTo(text, open);
      if (a === 'amend') return amend(text, items, await steps?.justSent());
      if (a === 'joint') return joint(text, open, meant);
      if (a === 'files_later') {
        const sent = await steps?.justSent();
        return filesLater(open.find((i) => i.letter.code === sent && pendingOf(i)));
      }
      // 《代表法》第五十一条第二款 (S8): the office approves an extension; the organ's request goes to it.
      if (code && /^申请延期/.test(text)) {
        const reason = withoutCode(text.replace(/^申请延期/, '')).replace(/^[：:，,\s]+/, '');
        if (reason === '') return { text: `请写明理由，如：申请延期 ${code} 需要协调资金，预计3月底完成` };
        const r = await requestExtension(deps, { code, reason, actor, audit });
        return {
          text:
            `已提出延期申请（${r.code}），由人大常委会代表工作机构决定；决定前请按原期限 ${r.dueText}办理` +
            `${r.extendByText ? `，延期最迟至 ${r.extendByText}` : ''}。`,
        };
      }
      const r = moreTime(text, open, meant);
      if (r.offer) await offer(r.offer);
      return r.reply;
    };

    /** 答复, or what was done told in words. */
    const answer = async (): Promise<Reply> => {
      const open = await openNow();
      // What was done, without the word 答复 and the words that pointed at the item ("外墙那个").
      // "答复了 已经修好了": 了 says it is done, it is no part of what was done.
      const rest = withoutCode(text.replace(/^答复(?:了(?![解结]))?/, ''));
      const told = (code ? rest : rest.replace(/^.{0,12}?(?:那个|这个|那条|这条|那件)(?:事情|事|建议)?/, ''))
        .trim()
        .replace(/^[：:，,]+/, '');
      const meant = code
        ? open.find((i) => i.letter.code === code)
        : open.length === 1
          ? open[0]
          : itemByWords(text, open, today);
      // A return request waiting for the office comes first: said before anything is asked.
      if (meant?.returnRequested)
        return {
          text: `${meant.letter.code} 已申请退回，正等待人大常委会代表工作机构决定，决定前不能答复。如不再申请退回，点下面的按钮撤回退回申请后再答复。`,
          buttons: [
            { label: `撤回退回申请 ${meant.letter.code}`, command: `撤回退回申请 ${meant.letter.code}` },
          ],
        };
      // An answer already waiting for review takes more words; it is never sent twice.
      if (meant && pendingOf(meant) && steps) {
        if (told === '') return { text: `${meant.letter.code} 的答复已提交，正等待审核。${stateOf(meant)}` };
        return offerToAdd(meant.letter.code, told);
      }
      const f = organAnswerIn(told, today);
      if ('error' in f.parsed) return { text: f.parsed.error };
      if (!code) {
        if (open.length === 0) return { text: '本单位目前没有正在办理的事项。' };
        if (steps)
          return steps.start(
            draftOf(meant?.letter.code, f),
            open.filter(answerable),
            replacedNote(held, meant?.letter.code),
          );
        const example = `答复 ${meant?.letter.code ?? open[0]!.letter.code} 分类：A；已办理：${told || '……'}；签发人：……；联系人：……；文号：……`;
        return {
          text: meant
            ? `答复 ${meant.letter.code}「${meant.letter.title}」请写明分类和签发人，按这个样子发：\n${example}`
            : `请写明要答复的编号，例如：\n${example}\n本单位正在办理：\n${listed(open)}`,
        };
      }
      // One of the organ's open items: what is missing from the answer is asked for, a part at a time.
      if (steps && meant)
        return steps.start(draftOf(code, f), open.filter(answerable), replacedNote(held, code));
      const fields = f.parsed.fields;
      const r = await submitOrganAnswer(deps, {
        code,
        actor,
        audit,
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
    };

    /** A code alone: the item as the organ sees it, and what may be done with it. */
    const card = async (c: string): Promise<Reply> => {
      const item = (await itemsForOrgan(deps, contact.organId)).find((i) => i.letter.code === c);
      if (!item) return { text: `没有找到编号为 ${c} 的事项` };
      const l = item.letter;
      const open = item.assignmentStatus === 'open';
      const buttons = [
        ...(open && !l.signedAt ? [{ label: `签收 ${c}`, command: `签收 ${c}` }] : []),
        ...(open && !item.returnRequested && !pendingOf(item)
          ? [{ label: `答复 ${c}`, command: `答复 ${c}` }]
          : []),
      ];
      return {
        text:
          `${c}「${l.title}」\n本单位${l.role === 'lead' ? '承办' : '协办'}，答复期限 ${l.dueText}。${stateOf(item)}` +
          (buttons.length > 0 ? '\n可以点下面的按钮，也可以直接告诉我办理情况。' : ''),
        ...(buttons.length > 0 ? { buttons } : {}),
      };
    };

    /** The letter acknowledged: an item not yet signed for is offered for signing. */
    const acknowledged = async (open: OrganItemView[]): Promise<Reply> => {
      const named = code ? open.filter((i) => i.letter.code === code) : open;
      const unsigned = named.filter((i) => !i.letter.signedAt);
      if (unsigned.length === 1) {
        const only = unsigned[0]!;
        await offer([`签收 ${only.letter.code}`]);
        return {
          text: `好的。要签收 ${only.letter.code}「${only.letter.title}」吗？回复“是”或点下面的按钮签收。`,
          buttons: [{ label: `签收 ${only.letter.code}`, command: `签收 ${only.letter.code}` }],
        };
      }
      if (unsigned.length > 1) {
        const shown = unsigned.slice(0, 6);
        await offer(shown.map((i) => `签收 ${i.letter.code}`));
        return {
          text: `好的。本单位还有 ${unsigned.length} 项待签收，回复数字或点选签收（发“都签收”可一起签收）：\n${numbered(shown)}`,
          buttons: shown.map((i) => ({ label: `签收 ${i.letter.code}`, command: `签收 ${i.letter.code}` })),
        };
      }
      return { text: '好的。需要时发“查询”可查看本单位正在办理的事项。' };
    };

    /**
     * Words the desk cannot place: a statement is offered as an answer to one of the open items (its words
     * in the button, nothing sent until it is tapped); a question or a word or two gets what the desk takes.
     */
    const unread = async (open: OrganItemView[]): Promise<Reply> => {
      const words = text.replace(/[\s，,。.！!]/g, '');
      const help = helpWith(open[0]?.letter.code);
      const free = open.filter(answerable);
      // A 公文-style statement that names its item ("关于JY-2026-0001号建议，我局已于…") offers that item only.
      const named = free.filter((i) => i.letter.code === code);
      const items = (named.length > 0 ? named : free).slice(0, 6);
      if (words.length < 6 || QUESTION.test(text) || items.length === 0) return { text: help };
      return {
        text:
          `没看懂“${quote(said, 30)}”要办什么。如果这是办理情况，请点下面的按钮作为该项的答复（分类和签发人我会再问）；` +
          `不是的话，请按下面的样子发。\n${help}`,
        buttons: items.map((i) => ({
          label: `作为 ${i.letter.code} 的答复`,
          command: `答复 ${i.letter.code} ${said}`,
        })),
      };
    };

    return answering(async () => {
      const isMedia = Boolean(msg.media?.mediaId) && said === '';
      held = steps && !picked ? await steps.snapshot() : null;
      // "还有几件没答复" while an answer is being told: answered, and the answer keeps waiting as it was.
      // (Photos to come later are for the steps: the answer's question is asked again.)
      if (steps && held && !isMedia && !asksAboutItems(text) && (!ask || ask === 'files_later')) {
        const ownWords =
          /^(?:签收|申请退回|查询|答复)/.test(text) ||
          NOT_OURS.test(text) ||
          WITHDRAW_ANSWER.test(text) ||
          WITHDRAW_RETURN.test(text);
        // Another of the desk's commands: a draft with nothing told yet is let go; one with words or photos
        // keeps waiting (nothing said is lost). Anything else is its next part.
        if (!ownWords) {
          const reply = await steps.next(text);
          if (reply) return reply;
        } else if (!toldIn(held) && !WITHDRAW_ANSWER.test(text)) await steps.drop();
      }
      const reply = await handle();
      // The draft still waits as it was: say so under the answer to the message of its own.
      if (steps && held && (await steps.snapshot()) === held) {
        const line = await steps.reminder();
        if (line) return { ...reply, text: `${reply.text}\n${line}` };
      }
      return reply;
    });
  };
}
