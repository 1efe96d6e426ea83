import type { Reply } from '../../messaging/index.ts';
import { CODE_PATTERN } from '../../services/items/index.ts';
import { decisionRefusal } from '../../services/leave/index.ts';
import { extensionMonth, extensionRefusal, unknownItemForStaff } from '../../services/suggestions/index.ts';
import { parseMonth as isMonthOf } from '../../statute/calendar-date.ts';
import { parseArgAnswer } from '../dialog/answers.ts';
import {
  asksToWait,
  closesTalk,
  continued,
  correctionOf,
  headingOnly,
  neverMind,
  positionSaid,
  quote,
  readFreeText,
  tooFewWords,
  usableWords,
  yesNo,
} from '../dialog/free-text.ts';
import { candidatesFor, fitByMeeting } from '../dialog/item-words.ts';
import { askToGoOn, meetingsAhead, questionFor, smalltalkReply } from '../dialog/wording.ts';
import { staffCongressesOf } from '../dispatch/sender-roles.ts';
import { dayOfMonthSaid } from '../language/argument-parsers.ts';
import {
  type ArgSpec,
  type ArgValue,
  type CommandId,
  commandById,
  type SpecOf,
} from '../language/command-catalog.ts';
import type { parseCommand } from '../language/command-parser.ts';
import { normalize } from '../language/normalize.ts';
import { MEETING_CUE, REASON_CUE } from '../language/phrasings.ts';

import { execute } from './execution.ts';
import type { TurnScope } from './scope.ts';

// The answer to a dialog's question: read as the argument asked for, or as a request of its own.

/** Commands a phrase of which may well be the words a dialog asks for (a reason, a suggestion's content). */
/**
 * Staff asking how many or who ("今天有几个人请假", "还有多少件没办", "是谁负责的？") where a reason is asked: a
 * question, not the reason. A deputy's reason may end in a question ("身体不好，能批吗"), so theirs is not read so.
 */
const ASKS_A_COUNT_OR_WHO =
  /[?？]$|[吗嘛么呢]$|有(?:几|多少)(?:个|件|位|条|项|人)|(?:几|多少)(?:个人|位|件)|(?:哪些|哪几|哪位|谁)[^，。,.]{0,8}$/;

const CONTENT_LIKE: ReadonlySet<string> = new Set([
  'suggestion.submit',
  'inspection.request',
  'suggestion.rate',
  'leave.request',
  'activity.decline',
  'activity.attend',
]);

/**
 * The answer to a dialog's question. Null when the message leaves the dialog: it is clearly another
 * request, or the second answer that could not be read (then the caller handles it afresh or helps).
 */
export async function continueDialog(
  t: TurnScope,
  text: string,
  parsed: ReturnType<typeof parseCommand>,
): Promise<Reply | null> {
  const dialog = t.conv.dialog!;
  const spec = commandById(dialog.commandId as CommandId);
  const pending = dialog.missing[0];
  const argSpec = pending ? spec?.args.find((a) => a.name === pending.name) : undefined;
  if (!spec || !pending || !argSpec) return null;
  const freeText = argSpec.kind.type === 'text' || argSpec.kind.type === 'meeting';

  // "我刚才不是说了吗": what was said before is the answer, never these words.
  let answerText = text;
  const quoted = t.conv.said?.value;
  const yn = freeText && quoted !== undefined ? yesNo(text) : null;
  if (quoted !== undefined && yn !== null) {
    // The question quoted words said before (offeredQuestion): yes files them, no asks for the content.
    delete t.conv.said;
    if (yn === 'yes') answerText = quoted;
    else {
      pending.question = questionFor(
        spec,
        pending.name,
        argSpec.question,
        dialog.args as Record<string, ArgValue>,
      );
      dialog.expiresAt = t.conversations.expiry();
      return { text: `好的，这段话不提交。${pending.question}\n（发“取消”可结束）` };
    }
  } else if (freeText && readFreeText(text) === 'back_reference') {
    const earlier = t.conv.said?.value;
    if (!earlier) {
      dialog.expiresAt = t.conversations.expiry();
      return { text: `抱歉，我这里没有保存到您之前说的内容，麻烦再说一次。\n${pending.question}` };
    }
    answerText = earlier;
    delete t.conv.said;
  }
  // "没有了" to which meeting, "就这些" to what the suggestion is: nothing given, so the request ends there.
  const nothingGiven =
    closesTalk(text) &&
    (argSpec.kind.type === 'meeting' || (spec.id === 'suggestion.submit' && pending.name === 'content'));
  if (nothingGiven && dialog.partial !== undefined) {
    // "关于路灯", asked for more, then "就这些": the words held are the whole matter, filed as they are.
    dialog.args.content = dialog.partial;
    delete dialog.partial;
    dialog.missing.shift();
    return askNextOrRun(t, spec);
  }
  if (neverMind(text) || nothingGiven) {
    delete t.conv.dialog;
    return { text: `好的，已取消“${dialog.word}”。需要时随时告诉我。` };
  }
  // "等一下我找找照片": the question stays open; nothing is taken from these words.
  if (freeText && asksToWait(text)) {
    dialog.expiresAt = t.conversations.expiry();
    return { text: '好的，不着急。准备好了直接发给我就行，照片也可以直接发。' };
  }
  // The same request said again ("视察我去不了，单位有事" answering which meeting): what it holds fills what
  // is asked; said again with none of it ("不去了"), it answers nothing and the question stands.
  if (parsed.kind === 'command' && parsed.id === spec.id && parsed.via === 'phrase' && answerText === text) {
    const given = dialog.missing.filter((m) => m.name in parsed.args);
    for (const m of given) dialog.args[m.name] = parsed.args[m.name as keyof typeof parsed.args];
    // "关于路灯" held, then "村东头的路灯坏了，建议尽快修": the words held begin the matter.
    if (
      dialog.partial &&
      typeof dialog.args.content === 'string' &&
      given.some((m) => m.name === 'content')
    ) {
      dialog.args.content = continued(dialog.partial, dialog.args.content);
      delete dialog.partial;
    }
    dialog.missing = dialog.missing.filter((m) => !given.includes(m));
    if (given.some((m) => m.name === pending.name)) return askNextOrRun(t, spec);
    dialog.expiresAt = t.conversations.expiry();
    return { text: `${pending.question}\n（发“取消”可结束）` };
  }
  // An item's code where no code is asked for ("延期 JY-2026-0002 …" while 交办 asks for an organ): another
  // request, never the answer.
  if (argSpec.kind.type !== 'code' && CODE_PATTERN.test(normalize(text).text)) return null;
  // Staff correcting a part given before ("不对，是王二") never have the correction filed as the answer.
  const corrected = correctionOf(text);
  if (corrected !== null && spec.who !== 'deputy') return correctEarlier(t, spec, corrected);
  // A deputy's "不对，是常委会" while the reason is asked: the meeting corrected, never the reason. Other
  // words after 不是 are left to be read as the answer ("不是我不想去，是真的走不开").
  const fixed = corrected !== null ? deputyCorrection(t, spec, corrected) : null;
  if (fixed) return fixed;
  const notAName = await meetingAnsweredOtherwise(t, spec, text);
  if (notAName) return notAName;
  // "15号" to "请问延到2027年10月的哪一天？": that day of the month asked about.
  const ofMonth =
    dialog.month !== undefined && pending.name === 'date' ? dayOfMonthSaid(answerText, dialog.month) : null;
  const parsedValue = ofMonth ?? parseArgAnswer(argSpec, answerText, t.ctx.today);
  // Words asked for: "啊？", "谢谢" or "不知道" are not words for anything.
  const value =
    freeText && parsedValue.ok && answerText === text && !usableWords(text)
      ? { ok: false as const, error: `没看懂，请写出${argSpec.label}。` }
      : parsedValue;
  // "视察" answering "哪个会议或活动" names the invited inspection, not a request for one.
  // Nor is the name of a meeting ahead that holds a command's word ("代表履职集体学习" is no 我的履职).
  const namesMeeting =
    argSpec.kind.type === 'meeting' &&
    (/^(?:视察|调研|学习|培训|常委会|人代会)/.test(text.trim()) ||
      (parsed.kind === 'command' &&
        fitByMeeting(
          text,
          await candidatesFor(t.ctx.deps, spec.id, t.ctx.sender.personId, t.ctx.today),
          t.ctx.today,
        ).length === 1));
  const another =
    !namesMeeting &&
    parsed.kind === 'command' &&
    parsed.id !== 'dialog.confirm' &&
    (parsed.via === 'word' ||
      (!freeText && !value.ok) ||
      // A question or request of another kind ("接待日是哪天", "查一下我的建议") is not these words.
      (freeText && parsed.id !== spec.id && !CONTENT_LIKE.has(parsed.id)));
  if (another) return null;
  // "今天有几个人请假" while 延期 asks its reason: a question of its own, never filed as the reason (it would
  // reach the organ). The question stands, nothing is counted against the person.
  if (
    spec.who !== 'deputy' &&
    pending.name === 'reason' &&
    value.ok &&
    ASKS_A_COUNT_OR_WHO.test(text.trim())
  ) {
    dialog.expiresAt = t.conversations.expiry();
    return {
      text: `“${quote(text)}”像是在问别的事，没有当作${argSpec.label}。${pending.question}\n（发“取消”可结束；问完再回来说${argSpec.label}也行）`,
    };
  }
  if (!value.ok) {
    if (parsed.kind === 'smalltalk') {
      dialog.expiresAt = t.conversations.expiry();
      return { text: `${smalltalkReply(parsed.act).text}\n${pending.question}（发“取消”可结束）` };
    }
    dialog.misses = (dialog.misses ?? 0) + 1;
    if (dialog.misses >= 2) {
      delete t.conv.dialog;
      return {
        text: `抱歉，还是没能看懂，“${dialog.word}”先结束了。需要时直接说就行，例如“${dialog.word}”后面写上要办的内容；发“帮助”可查看能办理的事项。`,
      };
    }
    dialog.expiresAt = t.conversations.expiry();
    return { text: `${value.error}\n${pending.question}\n（发“取消”可结束）` };
  }
  // "我们村" and then the rest: a suggestion's first words wait for the words that finish them.
  if (spec.id === 'suggestion.submit' && pending.name === 'content' && typeof value.value === 'string') {
    // "是的", "好" to "请讲讲您的建议内容": a yes, not the first words of the suggestion.
    if (!dialog.partial && yesNo(value.value) === 'yes') {
      dialog.expiresAt = t.conversations.expiry();
      return { text: '好的，请直接说要反映的问题，例如“小区路灯坏了，晚上很黑”。\n（发“取消”可结束）' };
    }
    const words = dialog.partial ? continued(dialog.partial, value.value) : value.value;
    if (tooFewWords(words) || (!dialog.partial && headingOnly(words))) {
      dialog.partial = words;
      dialog.expiresAt = t.conversations.expiry();
      return { text: `${askToGoOn(words)}\n（发“取消”可结束）` };
    }
    delete dialog.partial;
    dialog.args.content = words;
    dialog.missing.shift();
    return askNextOrRun(t, spec);
  }
  dialog.args[pending.name] =
    dialog.prefix !== undefined && typeof value.value === 'string'
      ? `${dialog.prefix} ${value.value}`
      : value.value;
  dialog.missing.shift();
  return askNextOrRun(t, spec);
}

/**
 * Which meeting answered with other words: "对" when one was listed takes it; "出差" is the reason, said
 * before it was asked, kept while the meeting is asked for again with what there is to choose from. Null
 * when the words may name a meeting.
 */
async function meetingAnsweredOtherwise(t: TurnScope, spec: SpecOf, text: string): Promise<Reply | null> {
  const dialog = t.conv.dialog!;
  const pending = dialog.missing[0]!;
  if (spec.id !== 'leave.request' || pending.name !== 'meeting') return null;
  const meetingOf = (c: { code: string; label: string }) =>
    c.code.startsWith('HD-') ? { code: c.code } : { name: c.label };
  // "2", "第二个", "最后一个": that line of the meetings listed (meetingsAhead's order).
  const at = positionSaid(text);
  if (at !== null) {
    const ahead = await candidatesFor(t.ctx.deps, spec.id, t.ctx.sender.personId, t.ctx.today);
    const shown = listedInOrder(ahead);
    const picked = at === -1 ? shown.at(-1) : shown[at];
    if (picked) {
      dialog.args.meeting = meetingOf(picked);
      dialog.missing.shift();
      return askNextOrRun(t, spec);
    }
  }
  if (yesNo(text) === 'yes') {
    // "对" when one meeting was listed: that one.
    const ahead = await candidatesFor(t.ctx.deps, spec.id, t.ctx.sender.personId, t.ctx.today);
    if (ahead.length !== 1) return null;
    dialog.args.meeting = meetingOf(ahead[0]!);
    dialog.missing.shift();
    return askNextOrRun(t, spec);
  }
  // "1 出差", "开会那天我要去医院复查", "那天我闺女结婚": the meeting and the reason in one answer, both kept.
  const said = text.trim();
  const numbered = /^(\d{1,2})[\s,，.。、:：]+(.+)$/.exec(said);
  if (dialog.args.reason === undefined && (numbered || THAT_MEETING.test(said))) {
    const ahead = await candidatesFor(t.ctx.deps, spec.id, t.ctx.sender.personId, t.ctx.today);
    const picked = numbered
      ? listedInOrder(ahead)[Number(numbered[1]) - 1]
      : ahead.length === 1
        ? ahead[0]
        : undefined;
    const words = (numbered ? numbered[2]! : said.replace(THAT_MEETING, '')).replace(/^(?:我|俺)(?=.)/, '');
    const reasonSpec = spec.args.find((a) => a.name === 'reason')!;
    const reason = parseArgAnswer(reasonSpec, words, t.ctx.today);
    const told =
      reason.ok && typeof reason.value === 'string' && usableWords(reason.value) ? reason.value : null;
    if (picked && told !== null) {
      dialog.args.meeting = meetingOf(picked);
      dialog.args.reason = told;
      dialog.missing = dialog.missing.filter((m) => m.name !== 'meeting' && m.name !== 'reason');
      return askNextOrRun(t, spec);
    }
    // "2 出差" with one meeting listed: the reason kept without the number, the meeting asked again.
    if (numbered && told !== null && ahead.length > 0) {
      dialog.args.reason = told;
      dialog.missing = dialog.missing.filter((m) => m.name !== 'reason');
      dialog.expiresAt = t.conversations.expiry();
      return meetingsAhead(
        `好的，事由“${quote(told)}”已记下。列表里没有第 ${numbered[1]} 项，${pending.question}`,
        ahead,
        dialog.args as Record<string, ArgValue>,
      );
    }
  }
  if (dialog.args.reason !== undefined || !REASON_CUE.test(text) || MEETING_CUE.test(text)) return null;
  const reasonSpec = spec.args.find((a) => a.name === 'reason')!;
  const reason = parseArgAnswer(reasonSpec, text, t.ctx.today);
  if (!reason.ok || typeof reason.value !== 'string') return null;
  const ahead = await candidatesFor(t.ctx.deps, spec.id, t.ctx.sender.personId, t.ctx.today);
  if (ahead.length === 0 || fitByMeeting(text, ahead, t.ctx.today).length > 0) return null;
  dialog.args.reason = reason.value;
  dialog.missing = dialog.missing.filter((m) => m.name !== 'reason');
  dialog.expiresAt = t.conversations.expiry();
  return meetingsAhead(
    `好的，事由“${quote(reason.value)}”已记下。${pending.question}`,
    ahead,
    dialog.args as Record<string, ArgValue>,
  );
}

/** The meetings as meetingsAhead lists them to choose from: by day, the first six. */
const listedInOrder = <C extends { on: string }>(ahead: readonly C[]): C[] =>
  [...ahead].sort((a, b) => a.on.localeCompare(b.on)).slice(0, 6);

/** The one meeting listed, pointed at rather than named: "开会那天…", "那天…", "到时候…". */
const THAT_MEETING = /^(?:开会(?:那天|那几天|的时候|时)|那天|当天|那几天|到时候|那时候)[\s,，]*/;

/** Kinds of part a correction may replace; free text is never guessed at. */
const CORRECTABLE: ReadonlySet<string> = new Set(['date', 'month', 'name', 'organs', 'meeting', 'targets']);

/**
 * "不对，是王二" in the middle of 代录: the earlier part the words fit is replaced and the question stands.
 * Words that fit none end the dialog with nothing done, to be sent again as meant.
 */
function correctEarlier(t: TurnScope, spec: SpecOf, words: string): Reply {
  const dialog = t.conv.dialog!;
  const given = spec.args
    .filter((a) => a.name in dialog.args && CORRECTABLE.has(a.kind.type))
    // A name is a few characters of a name, not a sentence.
    .filter((a) => a.kind.type !== 'name' || /^\p{Script=Han}{2,4}$/u.test(words))
    .reverse();
  const replaced = replaceEarlier(t, given, words, (v) => (typeof v === 'string' ? v : words));
  if (replaced) return replaced;
  delete t.conv.dialog;
  return { text: `好的，“${dialog.word}”这次没有办理。请把要办的事重新发一遍，我按新的办理。` };
}

/** A deputy's correction of the meeting or month given before, when the words plainly name one. */
function deputyCorrection(t: TurnScope, spec: SpecOf, words: string): Reply | null {
  const dialog = t.conv.dialog!;
  const pending = dialog.missing[0]!;
  const named = spec.args.filter(
    (a) =>
      a.name in dialog.args &&
      a.name !== pending.name &&
      ((a.kind.type === 'meeting' && MEETING_CUE.test(words)) ||
        (a.kind.type === 'month' && /月|\d{4}-\d{1,2}/.test(words))),
  );
  return replaceEarlier(t, named, words, () => words);
}

/**
 * The first of these earlier parts the correcting words read as, replaced, and the dialog's question
 * asked again, saying what it now holds (`shown`); null when the words fit none of them.
 */
function replaceEarlier(
  t: TurnScope,
  parts: readonly ArgSpec[],
  words: string,
  shown: (value: ArgValue) => string,
): Reply | null {
  const dialog = t.conv.dialog!;
  const pending = dialog.missing[0]!;
  for (const a of parts) {
    const v = parseArgAnswer(a, words, t.ctx.today);
    if (!v.ok) continue;
    dialog.args[a.name] = v.value;
    dialog.expiresAt = t.conversations.expiry();
    return { text: `好的，${a.label}改为“${shown(v.value)}”。\n${pending.question}\n（发“取消”可结束）` };
  }
  return null;
}

/** After an answer: the dialog's next question, or, with nothing left to ask, the command itself. */
async function askNextOrRun(t: TurnScope, spec: SpecOf): Promise<Reply> {
  const dialog = t.conv.dialog!;
  dialog.misses = 0;
  dialog.expiresAt = t.conversations.expiry();
  const next = dialog.missing[0];
  // 延期 checks its date even when nothing is left to ask: a date it cannot take is asked for again.
  const refused =
    next || spec.id === 'suggestion.extend'
      ? await refusedBeforeAsking(t, spec, dialog.args as Record<string, ArgValue>, next?.name ?? '')
      : null;
  const again = refused?.again ? spec.args.find((a) => a.name === refused.again) : undefined;
  if (refused && again && again.name in dialog.args) {
    // The answer just given is what is refused (延期 to a date it cannot take): it is asked for again, or,
    // a month said without its day, which day of it.
    delete dialog.args[again.name];
    const question = questionFor(
      spec,
      again.name,
      refused.question ?? again.question,
      dialog.args as Record<string, ArgValue>,
    );
    dialog.missing.unshift({ name: again.name, question });
    if (refused.month) dialog.month = refused.month;
    else delete dialog.month;
    return { text: `${refused.text ? `${refused.text}\n` : ''}${question}\n（发“取消”可结束）` };
  }
  if (refused) {
    delete t.conv.dialog;
    return { text: refused.text };
  }
  if (next) return { text: next.question };
  delete t.conv.dialog;
  // "不要公开我的名字" said before the matter goes with it (the handler reads it off the content).
  if (dialog.nameWithheld && typeof dialog.args.content === 'string')
    dialog.args.content = `${dialog.args.content} ${dialog.nameWithheld}`;
  return execute(t, spec, dialog.word, dialog.args as Record<string, ArgValue>, dialog.attachments);
}

/**
 * What the command will refuse, said before the next part is asked for: 不批准 of a request already decided
 * (or not the approver's); 交办 of an item that does not exist; 延期 of an item not being handled, or to a
 * date it cannot take (`again`: the part to ask for again).
 */
export async function refusedBeforeAsking(
  t: TurnScope,
  spec: SpecOf,
  args: Record<string, ArgValue>,
  asking: string,
): Promise<Refusal | null> {
  if (typeof args.code !== 'string') return null;
  if (spec.id === 'leave.reject' && asking === 'reason') {
    const refused = await decisionRefusal(t.ctx.deps, args.code, { personId: t.ctx.sender.personId });
    return refused === null ? null : { text: refused };
  }
  // "交办 JY-…0099": no such item is said first, never after asking which organ.
  if (spec.id === 'suggestion.assign' && asking !== '') {
    const unknown = await unknownItemForStaff(t.ctx.deps, args.code, staffCongressesOf(t.ctx.sender), '交办');
    return unknown === null ? null : { text: unknown };
  }
  if (spec.id === 'suggestion.extend' && typeof args.date === 'string' && isMonthValue(args.date))
    return monthWithoutDay(t, args.code, args.date);
  if (spec.id === 'suggestion.extend') {
    const refused = await extensionRefusal(
      t.ctx.deps,
      args.code,
      staffCongressesOf(t.ctx.sender),
      typeof args.date === 'string' ? args.date : undefined,
    );
    if (!refused) return null;
    return refused.about === 'date' ? { text: refused.text, again: 'date' } : { text: refused.text };
  }
  return null;
}

/**
 * What is refused before a command is done or its next part asked: `again`, the part to ask for again,
 * with its own `question` when it differs from the command's (and `month`, the month a day is asked of).
 */
const isMonthValue = (v: string): boolean => isMonthOf(v) !== null;

export interface Refusal {
  text: string;
  again?: string;
  question?: string;
  month?: string;
}

/**
 * "JY-… 推迟到明年10月": 延期 to a month without its day. Which day of it is asked, with the limits that fall
 * in the month; a month wholly past six months from 交办 (S8, 《代表法》第五十一条第二款) is refused with where
 * the limit falls, and nothing asked.
 */
async function monthWithoutDay(t: TurnScope, code: string, month: string): Promise<Refusal> {
  const m = await extensionMonth(t.ctx.deps, code, staffCongressesOf(t.ctx.sender), month);
  if ('refused' in m) return m.about === 'date' ? { text: m.refused, again: 'date' } : { text: m.refused };
  const limits = m.limits.length > 0 ? `；${m.limits.join('，')}` : '';
  const said = `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
  return {
    text: '',
    again: 'date',
    month,
    question: `请问延到${said}的哪一天？（如“15号”“月底”${limits}）`,
  };
}
