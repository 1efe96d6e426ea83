import type { Reply } from '../../messaging/index.ts';
import { meetingNames, sameWeekMeeting, sameWeekText } from '../../services/leave/index.ts';
import { receptionMonthForStaff } from '../../services/reception/index.ts';
import { readWithholdMark } from '../../services/suggestions/index.ts';
import { formatDate } from '../../statute/date-text.ts';
import {
  canGoAfterAll,
  heldTopic,
  readFreeText,
  tooFewWords,
  topicOnly,
  withdrawsLeave,
} from '../dialog/free-text.ts';
import {
  candidatesFor,
  codeAtPosition,
  fitByMeeting,
  fitByWords,
  ITEM_COMMANDS,
  type ItemCandidate,
  meetingNamedNowhere,
} from '../dialog/item-words.ts';
import { STAFF_ITEM_COMMANDS, staffItemsFor } from '../dialog/staff-items.ts';
import {
  askToGoOn,
  meetingsAhead,
  NAME_WITHHELD_NOTED,
  offeredQuestion,
  questionFor,
  YES_NO,
} from '../dialog/wording.ts';
import { staffCongressesOf } from '../dispatch/sender-roles.ts';
import { findMonth } from '../language/argument-parsers.ts';
import { type ArgValue, mayUse, type SpecOf } from '../language/command-catalog.ts';
import { type CommandParse, parseCommand } from '../language/command-parser.ts';
import { handedByWords, ITEM_POINTER, LEAVE_WORD } from '../language/phrasings.ts';
import { ifCannotCome } from './booking-change.ts';
import { refusedBeforeAsking } from './dialog-answer.ts';
import { execute, gate } from './execution.ts';
import {
  answeredNotUrged,
  askFirst,
  itemByWords,
  itemNamedByWords,
  staffItemChoice,
  withOrgansMeant,
} from './item-choice.ts';
import { askLeaveTakeBack, LEAVE_TAKE_BACK } from './leave-take-back.ts';
import { rememberPick } from './list-correction.ts';
import { attendShownSession, shownMeeting } from './meetings-ahead.ts';
import { proxyOffer } from './proxy-offer.ts';
import type { TurnScope } from './scope.ts';

// A command read from a message: what an earlier message left filled in, what is still missing asked one
// by one, or the command run.

/** Commands whose free text (content, reason, topic) an earlier unclear message may fill. */
const FILLS_TEXT: ReadonlySet<string> = new Set([
  'suggestion.submit',
  'leave.request',
  'reception.book',
  'inspection.request',
]);

/** A booking's topic from the same message, when the parser left it: what follows the 接待日. */
function topicOf(text: string, today: string): string | undefined {
  const m = [...text.matchAll(/接待(?:代表)?日|接待/g)].at(-1);
  if (!m) return undefined;
  let after = text.slice(m.index + m[0].length).replace(/^[\s，,。.:：、]+/, '');
  // "预约接待日 下个月": the month the parser took is no topic (the host would read “话题：下个月”).
  const month = findMonth(after, today);
  if (month?.index === 0) after = after.slice(month.length).replace(/^的/, '');
  const t = after
    .replace(/^[\s，,。.:：、]*(?:的?预约)?[\s，,。.:：、]*(?:话题|主题|谈|说)?[是为:：\s]*/, '')
    // "下个月的接待日我想去": wanting to go is the booking itself, not its topic.
    .replace(/^(?:我|俺)?(?:想|要|准备|打算|希望)?(?:去|参加|预约|约|报名)(?:一下|下)?[\s，,。.:：、]*/, '')
    .replace(/[\s，,。.！!？?~]+$/, '');
  return (t.match(/\p{Script=Han}/gu)?.length ?? 0) >= 2 ? t : undefined;
}

export async function onCommand(t: TurnScope, parsed: CommandParse): Promise<Reply> {
  // "我不想请假了", "请假那个不要了": leave already asked for, taken back (asked first).
  if (parsed.id === 'leave.request' && withdrawsLeave(t.text)) return askLeaveTakeBack(t, t.text);
  // "会我能参加了" with a session's leave ahead: that leave, not an invitation to answer.
  if (parsed.id === 'activity.attend' && parsed.args.code === undefined && canGoAfterAll(t.text)) {
    const asked = await askLeaveTakeBack(t);
    if (t.conv.confirm?.commandId === LEAVE_TAKE_BACK) return asked;
  }
  // "算了不约了" just after booking: that booking's cancellation, asked 是 / 否 (取消预约).
  const booking = t.conv.lastItem?.startsWith('JD-') ? t.conv.lastItem : undefined;
  if (parsed.id === 'dialog.cancel' && booking && /约/.test(t.text)) {
    const cancel = await t.onText('取消预约');
    if (cancel) return cancel;
  }
  // 确认 and 取消 outside a dialog reach their handlers (handlers/confirm.ts): a previewed 通知 waits there.
  const invalid = parsed.invalid.map((i) => `${i.label}：${i.error}`);
  const args = { ...(parsed.args as Record<string, ArgValue>) };
  const missing = [...parsed.invalid, ...parsed.missing].map((m) => ({
    name: m.name,
    question: m.question,
    fromContext: m.fromContext,
  }));
  for (const i of parsed.invalid) delete args[i.name];
  if (parsed.id === 'reception.book' && args.topic === undefined) {
    // "预约下个月接待日 加装电梯补贴": the topic is what is left once the booking words are gone.
    const topic = topicOf(t.text, t.ctx.today);
    if (topic) args.topic = topic;
  }
  const reply = await startCommand(t, parsed.spec, parsed.word, args, missing, {
    invalid: parsed.invalid.map((i) => i.name),
    loose: parsed.loose === true,
    ...(parsed.nameWithheld ? { nameWithheld: parsed.nameWithheld } : {}),
  });
  return invalid.length > 0 ? { ...reply, text: `${invalid.join('\n')}\n${reply.text}` } : reply;
}

/** "这个月接待日是哪天" from staff: the day of their congresses and who booked it, not a pointer only. */
async function staffReceptionDay(
  t: TurnScope,
  spec: SpecOf,
  args: Record<string, ArgValue>,
): Promise<Reply | null> {
  if (spec.id !== 'reception.day' || !mayUse('staff', t.standing.roles)) return null;
  const month = typeof args.month === 'string' ? args.month : undefined;
  const text = await receptionMonthForStaff(t.ctx.deps, {
    congressIds: staffCongressesOf(t.ctx.sender),
    month,
    today: t.ctx.today,
  });
  return { text };
}

/** Leave words or a meeting's kind: the message is about a meeting, not the reception day booked. */
const NAMES_MEETING_KIND = new RegExp(`${LEAVE_WORD.source}|会|视察|调研|培训|活动|学习`);

/** Words that ask rather than tell. */
const ASKED = /[?？]|吗|什么时候|啥时候|哪天|几号|怎么样|有没有|开不开/;

/**
 * The words kept from an unclear message, read as this command's content, reason or topic. Returns the
 * words instead when they are only offered: words that do not read as a matter ("我今天在开会") become a
 * suggestion's content only when the person picked 建议 from the list that promised to keep them, or says
 * yes to the question that quotes them; "我想提个意见" typed afresh announces new words.
 */
function fillFromSaid(
  t: TurnScope,
  spec: SpecOf,
  word: string,
  args: Record<string, ArgValue>,
  missing: string[],
  picked: boolean,
): string | null {
  // Only the command that follows the unclear message takes its words.
  const said = t.conv.said?.value;
  delete t.conv.said;
  if (!said || !FILLS_TEXT.has(spec.id)) return null;
  const wants = spec.args.filter(
    (a) => (a.kind.type === 'text' || a.kind.type === 'meeting') && !(a.name in args),
  );
  if (wants.length === 0 || !wants.some((a) => missing.includes(a.name) || a.optional)) return null;
  // "人代会什么时候开", then "我能不能不去": a question asked before is no reason for leave.
  if (spec.id === 'leave.request' && ASKED.test(said)) return null;
  if (
    spec.id === 'suggestion.submit' &&
    !picked &&
    readFreeText(said) !== 'matter' &&
    wants.some((a) => a.kind.type === 'text' && missing.includes(a.name))
  ) {
    t.conv.said = t.conversations.keep(said);
    return said;
  }
  const again = parseCommand(`${word} ${said}`, { now: t.ctx.today, roles: t.standing.heldRoles });
  if (again.kind !== 'command' || again.id !== spec.id) {
    const content = wants.find((a) => a.kind.type === 'text');
    if (!content || spec.id !== 'suggestion.submit') return null;
    args[content.name] = said;
  } else {
    for (const [k, v] of Object.entries(again.args as Record<string, ArgValue>))
      if (!(k in args)) args[k] = v;
  }
  return null;
}

/** The meeting named in words (not by an activity's code), if any. */
function meetingNameOf(args: Record<string, ArgValue>): string | undefined {
  const m = args.meeting;
  return typeof m === 'object' && m !== null && 'name' in m ? m.name : undefined;
}

/** "这个延期…", "这件延期…": a staff command said of the item just talked about, pointed at. */
const POINTS_AT_LAST = new RegExp(
  `^\\s*(?:把\\s*(?:它|${ITEM_POINTER})|${ITEM_POINTER})\\s*[,，]?\\s*(?:延期|延长|交办|交给)|^(?:延期|延长|交办)\\s*${ITEM_POINTER}(?![\\p{Script=Han}])`,
  'u',
);
const POINTED_COMMANDS: ReadonlySet<string> = new Set(['suggestion.extend', 'suggestion.assign']);

export async function startCommand(
  t: TurnScope,
  spec: SpecOf,
  word: string,
  args: Record<string, ArgValue>,
  missingIn: { name: string; question: string; fromContext?: boolean }[] | [],
  how: { picked?: boolean; invalid?: readonly string[]; loose?: boolean; nameWithheld?: string } = {},
): Promise<Reply> {
  const refusal = gate(t, spec);
  if (refusal) return (await proxyOffer(t, spec)) ?? (await staffReceptionDay(t, spec, args)) ?? refusal;
  let missing = missingIn;
  if (missing.length === 0 && Object.keys(args).length === 0) {
    // Picked from a list or started by its bare word: ask for every required part.
    missing = spec.args
      .filter((a) => !a.optional)
      .map((a) => ({ name: a.name, question: a.question, fromContext: a.fromContext ?? false }));
  }
  const offered = fillFromSaid(
    t,
    spec,
    word,
    args,
    missing.map((m) => m.name),
    how.picked ?? false,
  );
  // A month written wrongly (2026-02-30) is asked for again, not taken from earlier in the conversation.
  if (!how.invalid?.includes('month')) rememberMonth(t, spec, args);

  // "那天我临时有事去不了了" just after the reception day was talked about: that day is meant, not a meeting.
  // "我去不了的话咋办", "要是那天下雨去不了怎么办" just after booking: what to do, asked; nothing is offered
  // to be cancelled yet, and no meeting is looked for.
  const whatIf =
    spec.id === 'leave.request' && t.conv.lastItem?.startsWith('JD-') && !NAMES_MEETING_KIND.test(t.text)
      ? await ifCannotCome(t)
      : null;
  if (whatIf) return whatIf;
  if (spec.id === 'leave.request' && backToReceptionDay(t, args)) {
    const cancel = await t.onText('取消预约');
    if (cancel) return cancel;
  }

  // "参加" just after a session was shown: nothing to answer (turn/meetings-ahead.ts).
  const attending = spec.id === 'activity.attend' ? await attendShownSession(t, args) : null;
  if (attending) return attending;
  // "请假", "那天去不了 出差" just after one meeting was shown (turn/meetings-ahead.ts): that meeting.
  const shown = spec.id === 'leave.request' ? await shownMeeting(t, args.meeting) : null;
  if (shown) {
    args.meeting = shown;
    missing = missing.filter((m) => m.name !== 'meeting');
  }

  // 请假 with nothing ahead to ask leave from: said at once, rather than asking which meeting.
  let ahead: ItemCandidate[] = [];
  if (spec.id === 'leave.request' && args.meeting === undefined) {
    ahead = await candidatesFor(t.ctx.deps, spec.id, t.ctx.sender.personId, t.ctx.today);
    if (ahead.length === 0) {
      return {
        text: '您近期没有可以请假的会议或受邀活动（人代会、列席常委会、代表活动等）。收到会议通知或活动邀请后，再发“请假 会议名称 事由”即可。',
      };
    }
  }

  // "请假 常委会" when nothing ahead goes by that name: said at once, with what there is, before the reason
  // is asked for (else the reason is asked, then the request refused with the same list).
  const meetingName = meetingNameOf(args);
  let unknownMeeting: string | undefined;
  if (
    spec.id === 'leave.request' &&
    meetingName !== undefined &&
    args.reason === undefined &&
    mayUse('deputy', t.standing.roles) &&
    meetingNames(meetingName, t.ctx.today).length === 1
  ) {
    const all = await candidatesFor(t.ctx.deps, spec.id, t.ctx.sender.personId, t.ctx.today);
    if (
      all.length > 0 &&
      (await meetingNamedNowhere(t.ctx.deps, t.ctx.sender.personId, meetingName, all, t.ctx.today))
    ) {
      unknownMeeting = meetingName;
      delete args.meeting;
      ahead = all;
      const meetingArg = spec.args.find((a) => a.name === 'meeting')!;
      missing = [
        { name: 'meeting', question: meetingArg.question, fromContext: false },
        ...missing.filter((m) => m.name !== 'meeting'),
      ];
    }
  }

  // Items found by their words: the one that fits the command needs no code.
  const codeArg = spec.args.find((a) => a.kind.type === 'code');
  if (spec.id === 'item.query' && codeArg && args[codeArg.name] === undefined) {
    // "那个路灯的事怎么样了": the one suggestion the words single out, else the whole list.
    const own = await candidatesFor(t.ctx.deps, 'item.query', t.ctx.sender.personId, t.ctx.today);
    const fit = own.length > 1 ? fitByWords(t.text, own, t.ctx.today) : [];
    if (fit.length === 1) args[codeArg.name] = fit[0]!.code;
  }
  // "第一个催一下" just after a numbered list: the item on that line.
  if (codeArg?.kind.type === 'code' && args[codeArg.name] === undefined) {
    const code = codeAtPosition(t.text, t.shown, codeArg.kind.prefixes);
    if (code) {
      args[codeArg.name] = code;
      // Kept for "不对 是2": the same command on the line meant.
      const rating = spec.id === 'suggestion.rate';
      const comment = rating && typeof args.comment === 'string' ? ` ${args.comment}` : '';
      rememberPick(t, t.shown, `${rating ? String(args.rating ?? word) : word} ${code}${comment}`);
    }
    // "第二个催一下" on a line already answered: rated, not urged.
    if (code && spec.id === 'suggestion.urge') {
      const open = await candidatesFor(t.ctx.deps, 'photo', t.ctx.sender.personId, t.ctx.today);
      const item = open.find((c) => c.code === code && c.status === 'answered');
      if (item) return answeredNotUrged(item);
    }
  }
  if (ITEM_COMMANDS[spec.id] && codeArg && args[codeArg.name] === undefined) {
    const found = await itemByWords(t, spec, word, args, codeArg.name, how.loose ?? false);
    if (found) return found;
  }

  // "不要公开我的名字" said before the matter: filed with it, here or once it is told (DialogState).
  let withheld = spec.id === 'suggestion.submit' ? how.nameWithheld : undefined;
  // "建议 路灯 不要公开我的名字": the request kept, and the matter's few words wait for the rest.
  if (spec.id === 'suggestion.submit' && !withheld && typeof args.content === 'string') {
    const mark = readWithholdMark(args.content);
    if (mark.withhold && mark.content !== '' && tooFewWords(mark.content)) {
      args.content = mark.content;
      withheld = mark.request;
    }
  }
  if (withheld && typeof args.content === 'string' && !tooFewWords(args.content))
    args.content = `${args.content} ${withheld}`;
  // "建议 村里": too few words to file; "我想给学校周边交通提点意见": only what it will be about. They wait
  // for the rest (the content is asked for again).
  let partial: string | undefined;
  if (
    spec.id === 'suggestion.submit' &&
    typeof args.content === 'string' &&
    (tooFewWords(args.content) || topicOnly(args.content, t.text))
  ) {
    partial = tooFewWords(args.content) ? args.content : heldTopic(args.content);
    delete args.content;
    const content = spec.args.find((a) => a.name === 'content')!;
    if (!missing.some((m) => m.name === 'content'))
      missing = [...missing, { name: 'content', question: content.question, fromContext: false }];
  }

  // A command that needs an item defaults to the one just talked about (CONTRACT §3); a staff command only
  // when that item waits for it (交办 after 查询 of one already handed over lists what waits instead).
  const staffItem = STAFF_ITEM_COMMANDS.has(spec.id);
  const last = t.conv.lastItem;
  // "把自来水那个延期一个月": the one suggestion being handled that the words name.
  if (staffItem && codeArg && args[codeArg.name] === undefined) {
    const named = await itemNamedByWords(t, spec);
    if (named) args[codeArg.name] = named;
  }
  // Not when the words name the item ("把路灯那个交给住建局"): those words find it.
  if (
    staffItem &&
    codeArg?.fromContext &&
    args[codeArg.name] === undefined &&
    last &&
    handedByWords(t.text) === null
  ) {
    const waiting = await staffItemsFor(t.ctx.deps, spec.id, t.ctx.sender, t.ctx.today);
    if (waiting.some((c) => c.code === last)) args[codeArg.name] = last;
  }
  // "这个延期到下月底" just after 查询 of a handed-over item: the words point at that item.
  if (
    codeArg &&
    args[codeArg.name] === undefined &&
    last &&
    POINTS_AT_LAST.test(t.text) &&
    POINTED_COMMANDS.has(spec.id) &&
    codeArg.kind.type === 'code' &&
    codeArg.kind.prefixes.some((p) => last.startsWith(`${p}-`))
  )
    args[codeArg.name] = last;
  const remaining = missing.filter((m) => {
    if (args[m.name] !== undefined) return false;
    const argSpec = spec.args.find((a) => a.name === m.name);
    if (
      !staffItem &&
      m.fromContext &&
      t.conv.lastItem &&
      argSpec?.kind.type === 'code' &&
      argSpec.kind.prefixes.some((p) => t.conv.lastItem!.startsWith(`${p}-`))
    ) {
      args[m.name] = t.conv.lastItem;
      return false;
    }
    return true;
  });
  if (codeArg && remaining[0]?.name === codeArg.name && STAFF_ITEM_COMMANDS.has(spec.id))
    return staffItemChoice(t, spec, word, args, codeArg.name);
  // "延期 JY-… 下个月15号 理由" to a date it cannot take: said, and the date asked for again (the reason kept).
  const refused =
    remaining.length > 0 || spec.id === 'suggestion.extend'
      ? await refusedBeforeAsking(t, spec, args, remaining[0]?.name ?? '')
      : null;
  const again = refused?.again && args[refused.again] !== undefined ? refused.again : undefined;
  if (refused && !again) return { text: refused.text };
  const redo = spec.args.find((a) => a.name === again);
  if (redo) {
    delete args[redo.name];
    // "延到明年10月": which day of that month is asked (the refusal's own question).
    const question = refused?.question ?? redo.question;
    remaining.unshift({ name: redo.name, question, fromContext: redo.fromContext });
  }
  if (remaining.length > 0) {
    t.conv.dialog = {
      commandId: spec.id,
      word,
      args,
      missing: remaining.map(({ name, question }) => ({
        name,
        question:
          offered !== null && name === 'content'
            ? offeredQuestion(offered, args)
            : questionFor(spec, name, question, args),
      })),
      attachments: [],
      expiresAt: t.conversations.expiry(),
      ...(partial !== undefined ? { partial } : {}),
      ...(withheld && args.content === undefined ? { nameWithheld: withheld } : {}),
      ...(redo && refused?.month ? { month: refused.month } : {}),
    };
    const asked = t.conv.dialog.missing[0]!;
    if (partial !== undefined && asked.name === 'content') {
      asked.question = askToGoOn(partial);
      const noted = t.conv.dialog.nameWithheld ? NAME_WITHHELD_NOTED : '';
      return { text: `${noted}${asked.question}\n（发“取消”可结束）` };
    }
    if (t.conv.dialog.nameWithheld && asked.name === 'content')
      return { text: `${NAME_WITHHELD_NOTED}${asked.question}\n（发“取消”可结束）` };
    if (asked.name === 'meeting' && ahead.length > 0) {
      const none = unknownMeeting ? `没有找到与“${unknownMeeting}”相符的会议或活动。` : '';
      return meetingsAhead(`${none}${asked.question}`, ahead, args);
    }
    return { text: `${refused?.text ? `${refused.text}\n` : ''}${asked.question}\n（发“取消”可结束）` };
  }
  if (how.loose && codeArg && typeof args[codeArg.name] === 'string')
    return askFirst(t, spec, word, await withOrgansMeant(t, args), String(args[codeArg.name]));
  if (how.loose && spec.id === 'leave.request') return askLeaveFirst(t, spec, word, args);
  return execute(t, spec, word, args, []);
}

/**
 * "下周人代会 住院": leave read from a meeting and a reason alone, no 请假 said. Asked 是 / 否 before it is
 * filed, as other requests read from words that only lean one way are; the meeting named as it was found.
 */
async function askLeaveFirst(
  t: TurnScope,
  spec: SpecOf,
  word: string,
  args: Record<string, ArgValue>,
): Promise<Reply> {
  const name = meetingNameOf(args);
  // "下周常委会和人代会 住院": each is found when 是 runs the request; the words are asked about as said.
  if (name !== undefined && meetingNames(name, t.ctx.today).length === 1) {
    const ahead = await candidatesFor(t.ctx.deps, spec.id, t.ctx.sender.personId, t.ctx.today);
    const fit = fitByMeeting(name, ahead, t.ctx.today);
    // One found: that one is asked about and, on 是, asked leave from (never found again differently).
    if (fit.length === 1) {
      const c = fit[0]!;
      args.meeting = c.code.startsWith('HD-') ? { code: c.code } : { name: c.label };
      return confirmLeave(t, spec, word, args, `您是要为${c.label}（${formatDate(c.on)}）请假吗？`);
    }
    // "下礼拜二的视察住院" when the inspection is on the Wednesday: the one of that week is what is asked
    // about, once; 是 asks leave from it (never "which inspection?" after the yes).
    const near =
      fit.length === 0
        ? sameWeekMeeting(
            name,
            ahead.flatMap((c) => (c.meeting ? [c.meeting] : [])),
            t.ctx.today,
          )
        : null;
    if (near) {
      const c = near.meeting;
      args.meeting = c.kind === 'session' ? { name: c.name } : { code: c.ref };
      const code = c.kind === 'session' ? '' : `（${c.ref}）`;
      return confirmLeave(t, spec, word, args, `${sameWeekText(near, t.ctx.today)}${code}，是这个吗？`);
    }
  }
  return confirmLeave(t, spec, word, args, `您是要为${name === undefined ? '' : `“${name}”`}请假吗？`);
}

function confirmLeave(
  t: TurnScope,
  spec: SpecOf,
  word: string,
  args: Record<string, ArgValue>,
  question: string,
): Reply {
  const reason = typeof args.reason === 'string' ? `事由：${args.reason}。` : '';
  t.conv.confirm = { commandId: spec.id, word, args, question, expiresAt: t.conversations.expiry() };
  return { text: `${question}${reason}\n回复“是”提交请假；回复“否”不办。`, buttons: YES_NO };
}

const BACK_TO_DAY = /那天|那次|当天|到时候/;
/** "取消吧", "算了" where a meeting's name would stand: they name no meeting. */
const NAMES_NO_MEETING = /^(?:取消|算了|不约)/;

/**
 * Leave asked with only "那天" for what, while the reception day (or a booking) is what was talked about;
 * or, just after a booking, "俺不去了 取消吧" / "下个月有事去不了了" with no meeting named and no 请假 said.
 */
function backToReceptionDay(t: TurnScope, args: Record<string, ArgValue>): boolean {
  const name = meetingNameOf(args);
  const unnamed =
    args.meeting === undefined ||
    (name !== undefined && ((BACK_TO_DAY.test(name) && name.length <= 3) || NAMES_NO_MEETING.test(name)));
  if (!unnamed) return false;
  const booked = t.conv.lastItem?.startsWith('JD-') === true;
  if (BACK_TO_DAY.test(t.text)) return Boolean(t.conv.receptionAsked) || booked;
  return booked && !LEAVE_WORD.test(t.text);
}

/** "下个月" named for the reception day is remembered for the next 预约接待日 of the conversation. */
function rememberMonth(t: TurnScope, spec: SpecOf, args: Record<string, ArgValue>): void {
  if (spec.id !== 'reception.day' && spec.id !== 'reception.book') return;
  if (spec.id === 'reception.day') t.conv.receptionAsked = t.conversations.keep(true);
  if (typeof args.month === 'string') t.conv.month = t.conversations.keep(args.month);
  // A later month asked about is the one to book; this month's (or an earlier one, whose day may be past)
  // is left to the booking's default: this month's day, or next month's once it has passed.
  else if (spec.id === 'reception.book' && t.conv.month && t.conv.month.value > t.ctx.today.slice(0, 7))
    args.month = t.conv.month.value;
}
