import type { Reply } from '../../messaging/index.ts';
import { namesNoMeeting } from '../../services/leave/index.ts';
import { type Organs, organsMeant, organsNamed } from '../../services/organs/index.ts';
import { extensionWords } from '../../statute/date-text.ts';
import {
  candidatesFor,
  fitByMeeting,
  fitByWords,
  ITEM_COMMANDS,
  type ItemCandidate,
  saysSomethingOf,
} from '../dialog/item-words.ts';
import { argsAfterCode, NOTHING_WAITING, staffItemsFor, WAITING_NOUN } from '../dialog/staff-items.ts';
import type { ChoiceState } from '../dialog/state.ts';
import { YES_NO } from '../dialog/wording.ts';
import type { ArgValue, SpecOf } from '../language/command-catalog.ts';
import { normalize } from '../language/normalize.ts';
import { ALL_OF, extendedByWords, handedByWords, leaveOfWhom, namesDeputy } from '../language/phrasings.ts';
import { execute } from './execution.ts';
import type { TurnScope } from './scope.ts';

// A command that needs an item and was written without its code: the item its words point to, or a
// numbered choice of what it can act on.

/** 取消下个月的预约: a booking named by its month. */
function bookingMonth<T extends { month?: string }>(id: string, text: string, today: string, all: T[]): T[] {
  if (id !== 'reception.cancel') return all;
  const [y, m] = today.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  const month = /下个?月/.test(text) ? next : /这个?月|本月/.test(text) ? today.slice(0, 7) : null;
  const fit = month ? all.filter((c) => c.month === month) : all;
  return fit.length > 0 ? fit : all;
}

/**
 * 催办, 满意, 取消预约 without a code: the items the command can act on, narrowed by the message's words
 * (“加装电梯的那个建议”, “上个月提的”). One: it is used (取消预约 after a yes); several: a numbered choice;
 * none: said so, and no dialog is started. Null when the command should go on as it is.
 */
export async function itemByWords(
  t: TurnScope,
  spec: SpecOf,
  word: string,
  args: Record<string, ArgValue>,
  codeName: string,
  loose = false,
): Promise<Reply | null> {
  const all = await candidatesFor(t.ctx.deps, spec.id, t.ctx.sender.personId, t.ctx.today);
  if (all.length === 0) {
    if (spec.id === 'activity.attend')
      return { text: '您目前没有待答复的活动邀请。收到邀请后点“参加”或回复“参加”即可。' };
    if (spec.id === 'reception.cancel')
      return { text: '您目前没有可以取消的接待日预约，不去也不用请假。想去时发“预约接待日”即可。' };
    if (spec.id === 'suggestion.urge')
      return { text: '您目前没有正在办理中的建议可以催办（交办后才能催办）。发“查询”可查看您的事项。' };
    // "我不想公开名字" before any suggestion: never asked for a code there is none of.
    if (spec.id === 'suggestion.withhold_name')
      return {
        text: '您还没有提交过建议。提建议时加一句“不公开姓名”就行，例如“建议 小区路灯坏了 不公开姓名”，公开到网上时就不写您的姓名。',
      };
    return null; // 满意 with nothing waiting: the service says so.
  }
  const named = args.meeting;
  const fit: typeof all =
    spec.id === 'activity.attend'
      ? named && typeof named === 'object' && 'name' in named && !namesNoMeeting(named.name)
        ? fitByMeeting(named.name, all, t.ctx.today)
        : all
      : fitByWords(t.text, bookingMonth(spec.id, t.text, t.ctx.today, all), t.ctx.today);
  if (spec.id === 'suggestion.rate' || spec.id === 'suggestion.urge') {
    // The words name one of the deputy's items that this cannot act on: say so, keep the words. Read
    // among all their open items, so "学校门口交警那个" is never taken for the 小区门口 one just because
    // that is the only one being handled.
    const open = await candidatesFor(t.ctx.deps, 'photo', t.ctx.sender.personId, t.ctx.today);
    const others = open.filter((c) => !all.some((a) => a.code === c.code));
    const widest = fitByWords(t.text, [...all, ...others], t.ctx.today);
    const onlyOthers =
      widest.length < all.length + others.length && widest.every((c) => !all.some((a) => a.code === c.code));
    const other = onlyOthers ? widest : fit.length === 0 ? fitByWords(t.text, others, t.ctx.today) : [];
    if (other.length === 1) {
      const item = other[0]!;
      // An answer already given is rated, not urged: "交警那个催一下" after the answer came.
      if (spec.id === 'suggestion.urge' && item.status === 'answered') return answeredNotUrged(item);
      t.conv.said = t.conversations.keep(t.text);
      // One rated 不满意 already is being handled again: its new answer is what comes to be rated.
      const notYet =
        item.status === 'rehandling' ? '已在重新办理，新的答复到了再评价' : '还没有答复，答复后才能评价';
      return {
        text:
          spec.id === 'suggestion.urge'
            ? `${item.label} 还没有交办，交办后才能催办。`
            : `${item.label} ${notYet}。您说的情况我先记着，需要时发“建议”即可补充提出。`,
      };
    }
    // A rating's words are mostly its reason ("那个答复不满意，下午还是没人管"): they never rule an item out.
    if (spec.id === 'suggestion.rate' && fit.length === 0) fit.push(...all);
  }
  // "两个都催一下", "都催催": every item being handled, each answered on its own line.
  if (spec.id === 'suggestion.urge' && fit.length > 1 && /都|全部|所有|每[一个]|统统/.test(t.text)) {
    const lines: string[] = [];
    for (const c of fit.slice(0, 6))
      lines.push((await execute(t, spec, word, { ...args, [codeName]: c.code }, [])).text);
    return { text: lines.join('\n') };
  }
  const last = t.conv.lastItem;
  const preferLast = ITEM_COMMANDS[spec.id]?.preferLast === true;
  // Words that name no item ("催一下" just after 查询 showed one): that one (CONTRACT §3). Words that fit
  // several ("路的那个") are asked about.
  const namesNone =
    fit.length > 1 &&
    fit.length === all.length &&
    last !== undefined &&
    t.conv.viewed === last &&
    !saysSomethingOf(t.text, all);
  const guessed =
    fit.length === 1
      ? fit[0]
      : (preferLast || namesNone) && fit.length > 1
        ? fit.find((c) => c.code === last)
        : undefined;
  // "不满意 路灯只换了一半" with two answers waiting, the road one last: words that point at another one
  // alone leave it asked, never rated on the last one's account.
  const pointed = fit.length > 1 ? fit.filter((c) => saysSomethingOf(t.text, [c])) : [];
  const chosen = pointed.length === 1 && pointed[0] !== guessed ? undefined : guessed;
  if (chosen) {
    args[codeName] = chosen.code;
    if (ITEM_COMMANDS[spec.id]?.confirm || loose) return askFirst(t, spec, word, args, chosen.label);
    return execute(t, spec, word, args, []);
  }
  const offered = (fit.length > 0 ? fit : all).slice(0, 6);
  const send = (code: string) => {
    if (spec.id === 'suggestion.rate') {
      const comment = typeof args.comment === 'string' ? ` ${args.comment}` : '';
      return `${String(args.rating ?? word)} ${code}${comment}`;
    }
    return `${word} ${code}`;
  };
  t.conv.choice = {
    options: offered.map((c) => ({ commandId: spec.id, word, send: send(c.code) })),
    expiresAt: t.conversations.expiry(),
  };
  const head = fit.length === 0 ? '没有找到与您说的相符的一项。您可以选择：' : '有几项都相符，请问是哪一项？';
  return {
    text: `${head}\n${offered.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}\n回复数字或点选即可。`,
    buttons: offered.map((c) => ({ label: c.label, command: send(c.code) })),
  };
}

const JY_CODE = /JY-\d{4}-\d{4,}/;

/**
 * "路灯那个" answering a numbered list of the deputy's suggestions: the line its words point at; several
 * fitting are asked about again, the list narrowed. Null when the words say nothing of the items listed.
 */
export async function choiceByWords(t: TurnScope, shown: ChoiceState): Promise<Reply | null> {
  const lines = shown.options.flatMap((o) => {
    const code = JY_CODE.exec(o.send ?? '')?.[0];
    return code ? [{ o, code }] : [];
  });
  if (lines.length < 2 || lines.length !== shown.options.length) return null;
  const own = await candidatesFor(t.ctx.deps, 'item.query', t.ctx.sender.personId, t.ctx.today);
  const listed = own.filter((c) => lines.some((l) => l.code === c.code));
  if (!saysSomethingOf(t.text, listed)) return null;
  const fit = fitByWords(t.text, listed, t.ctx.today);
  const keep = lines.filter((l) => fit.some((c) => c.code === l.code));
  if (keep.length === 1) return t.onText(keep[0]!.o.send!);
  if (keep.length === 0) return null;
  t.conv.choice = { options: keep.map((l) => l.o), expiresAt: t.conversations.expiry() };
  const label = (code: string) => listed.find((c) => c.code === code)?.label ?? code;
  return {
    text: `您说的这几项都相符，请问是哪一项？\n${keep.map((l, i) => `${i + 1}. ${label(l.code)}`).join('\n')}\n回复数字或点选即可。`,
    buttons: keep.map((l) => ({ label: label(l.code), command: l.o.send! })),
  };
}

/** 催办 of an item already answered: its answer waits for the deputy's rating, and 不满意 has it done again. */
export const answeredNotUrged = (item: { code: string; label: string }): Reply => ({
  text: `${item.label} 已经答复，不用再催办了。请您评价这份答复；如果不满意，回复“不满意”并说明原因，会重新办理。`,
  buttons: ['满意', '基本满意', '不满意'].map((r) => ({ label: r, command: `${r} ${item.code}` })),
});

/** The most requests one "都批准" records. */
const MAX_AT_ONCE = 20;

/**
 * 批准, 不批准 or 交办 without a code: what waits for it, numbered, each choice the whole command. `said`:
 * the leave was pointed at in words ("请假的那个批了吧"), perhaps by whose it is ("老张的请假批了吧").
 */
export async function staffItemChoice(
  t: TurnScope,
  spec: SpecOf,
  word: string,
  args: Record<string, ArgValue>,
  codeName: string,
  said: { pointed?: boolean; whose?: string | undefined } = {},
): Promise<Reply> {
  const waiting = await staffItemsFor(t.ctx.deps, spec.id, t.ctx.sender, t.ctx.today);
  if (waiting.length === 0) return { text: NOTHING_WAITING[spec.id] ?? `目前没有可以${word}的事项。` };
  if (spec.id === 'leave.approve' && waiting.length > 1 && ALL_OF.test(t.text)) {
    // "都批准": the 主任会议 decided several at once; each is named before any is recorded.
    const all = waiting.slice(0, MAX_AT_ONCE);
    const question = `确定批准以下 ${all.length} 项请假吗？`;
    t.conv.confirm = {
      commandId: spec.id,
      word,
      args: { codes: all.map((c) => c.code) },
      question,
      expiresAt: t.conversations.expiry(),
    };
    const more =
      waiting.length > all.length ? `\n另有 ${waiting.length - all.length} 项未列出，这次不批准。` : '';
    return {
      text: `${question}\n${all.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}${more}\n回复“是”全部批准，回复“否”不批准。`,
      buttons: YES_NO,
    };
  }
  // "批准张三的请假", "同意 QJ-2026-0002": the one named, asked about with a yes before it is recorded.
  // Codes as typed ("qj-2026-5批了") in their canonical form.
  const text = normalize(t.text).text;
  const named = waiting.filter(
    (c) => text.includes(c.code) || (c.who !== undefined && namesDeputy(text, c.who, said.whose)),
  );
  const decides =
    spec.id === 'leave.approve' || (spec.id === 'leave.reject' && typeof args.reason === 'string');
  // "请假的那个批了吧" with one request waiting: that one, asked about with a yes.
  const pointedAt = said.pointed && !said.whose && waiting.length === 1 ? waiting : named;
  if (pointedAt.length === 1 && decides)
    return askFirst(t, spec, word, { ...args, [codeName]: pointedAt[0]!.code }, pointedAt[0]!.label);
  // "把路灯那个交给住建局": the suggestions waiting that the words name; none is said, with how to write it.
  const about = namingWords(spec, text);
  const noun = WAITING_NOUN[spec.id] ?? '待处理';
  const organs = args.organs as Organs | undefined;
  if (about !== undefined) {
    const fit = saysSomethingOf(about, waiting) ? fitByWords(about, waiting, t.ctx.today) : [];
    // Several fit: they are listed to choose from; none: said, with how to write it by code, and what waits.
    if (fit.length !== 1)
      return offerChoice(
        t,
        spec,
        word,
        args,
        codeName,
        (fit.length > 0 ? fit : waiting).slice(0, 6),
        (send) =>
          fit.length > 0
            ? `与“${about}”相符的${noun}建议有 ${fit.length} 项，请问${word}哪一项？`
            : `没有找到与“${about}”相符的${noun}建议。请写明编号，例如“${send(waiting[0]!.code)}”。${noun}的有：`,
      );
    named.splice(0, named.length, fit[0]!);
  }
  // "交给住建局", "第一个交给住建局" with one suggestion waiting (or one named): that one, asked about with a
  // yes, the organ's short name already read as the registered one it fits.
  const one =
    named.length === 1 ? named[0] : named.length === 0 && waiting.length === 1 ? waiting[0] : undefined;
  if (spec.id === 'suggestion.assign' && organs?.lead && one)
    return askFirst(t, spec, word, { ...(await withOrgansMeant(t, args)), [codeName]: one.code }, one.label);
  // "同意钱七请假" when 钱七 has none waiting: said so, with what does wait.
  const whose =
    named.length === 0 && spec.id !== 'suggestion.assign' ? (said.whose ?? leaveOfWhom(t.text)) : undefined;
  const shown = (named.length > 0 ? named : waiting).slice(0, 6);
  const more =
    named.length === 0 && waiting.length > shown.length
      ? `\n另有 ${waiting.length - shown.length} 项未列出，可直接发编号。`
      : '';
  const none = whose ? `${whose}目前没有待决定的请假。` : '';
  return offerChoice(
    t,
    spec,
    word,
    args,
    codeName,
    shown,
    () => `${none}请问${word}哪一项？${noun}的有：`,
    more,
  );
}

/** The words that name a suggestion in "把路灯那个交给住建局" (交办) or "把自来水那个延期一个月" (延期). */
function namingWords(spec: SpecOf, text: string): string | undefined {
  if (spec.id === 'suggestion.assign') return handedByWords(text)?.words;
  if (spec.id === 'suggestion.extend') return extendedByWords(text)?.words;
  return undefined;
}

/**
 * "把自来水那个延期一个月": the code of the one suggestion being handled that the words name; null when the
 * words name none or several (staffItemChoice lists them) or the message names no item by words.
 */
export async function itemNamedByWords(t: TurnScope, spec: SpecOf): Promise<string | null> {
  const about = namingWords(spec, normalize(t.text).text);
  if (about === undefined || spec.id !== 'suggestion.extend') return null;
  const handled = await staffItemsFor(t.ctx.deps, spec.id, t.ctx.sender, t.ctx.today);
  const fit = saysSomethingOf(about, handled) ? fitByWords(about, handled, t.ctx.today) : [];
  return fit.length === 1 ? fit[0]!.code : null;
}

/**
 * What waits, numbered under `head` (made with the command a line sends, for an example), each line a choice
 * and a button carrying the whole command.
 */
function offerChoice(
  t: TurnScope,
  spec: SpecOf,
  word: string,
  args: Record<string, ArgValue>,
  codeName: string,
  shown: ItemCandidate[],
  head: (send: (code: string) => string) => string,
  more = '',
): Reply {
  const send = (code: string) => `${word} ${code}${argsAfterCode(spec, args, codeName)}`;
  t.conv.choice = {
    options: shown.map((c) => ({ commandId: spec.id, word, send: send(c.code) })),
    expiresAt: t.conversations.expiry(),
  };
  return {
    text: `${head(send)}\n${shown.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}${more}\n回复数字或点选即可。`,
    buttons: shown.map((c) => ({ label: c.code, command: send(c.code) })),
  };
}

/**
 * The organs of a 交办 as the registered ones their short names fit ("住建局" → 市住建局), so the question asked
 * before it is done names them and no second question follows; the args as they were otherwise.
 */
export async function withOrgansMeant(
  t: TurnScope,
  args: Record<string, ArgValue>,
): Promise<Record<string, ArgValue>> {
  const organs = args.organs as Organs | undefined;
  if (!organs?.lead) return args;
  const meant = await organsNamed(t.ctx.deps.db, [organs.lead, ...organs.assisting]).then(
    () => null,
    (err: unknown) => organsMeant(err, organs),
  );
  return meant ? { ...args, organs: meant.organs } : args;
}

/** The yes-or-no question asked before a command is done, naming what it would do. */
function questionBefore(spec: SpecOf, word: string, args: Record<string, ArgValue>, label: string): string {
  const organs = args.organs as { lead?: string; assisting?: string[] } | undefined;
  if (spec.id === 'suggestion.rate') return `是对 ${label} 的答复评价“${String(args.rating ?? word)}”吗？`;
  if (spec.id === 'suggestion.assign' && organs?.lead) {
    const assisting = organs.assisting?.length ? `（协办：${organs.assisting.join('、')}）` : '';
    return `确定把 ${label} 交办给${organs.lead}${assisting}吗？`;
  }
  if (spec.id === 'suggestion.extend' && typeof args.date === 'string')
    return `确定把 ${label} 的期限${extensionWords(args.date)}吗？`;
  if (spec.id === 'suggestion.answer' && typeof args.content === 'string')
    return `确定把“${args.content}”录入为 ${label} 的答复，并请代表评价吗？`;
  return `确定${word} ${label} 吗？`;
}

/**
 * A command asked about with a yes or no before it is done: 取消预约 of the booking its words found, and one
 * read from words that only lean one way ("还行吧" for 基本满意, which closes the item). Anything but yes is
 * read on its own.
 */
export function askFirst(
  t: TurnScope,
  spec: SpecOf,
  word: string,
  args: Record<string, ArgValue>,
  label: string,
): Reply {
  const question = questionBefore(spec, word, args, label);
  t.conv.confirm = { commandId: spec.id, word, args, question, expiresAt: t.conversations.expiry() };
  if (spec.id === 'reception.cancel')
    return { text: `您的预约：${label}。确定取消吗？回复“是”取消，回复“否”保留。`, buttons: YES_NO };
  const closes = spec.id === 'suggestion.rate' && args.rating !== '不满意' ? '评价后该事项即办结。' : '';
  const other =
    spec.id === 'suggestion.rate' ? '也可以直接回复“满意”“基本满意”或“不满意”。' : '回复“否”不办。';
  return { text: `${question}${closes}回复“是”确认；${other}`, buttons: YES_NO };
}
