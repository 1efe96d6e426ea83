import type { Reply } from '../../messaging/index.ts';
import { holidayAnswer } from '../../services/calendar/index.ts';
import { CODE_PATTERN } from '../../services/items/index.ts';
import {
  canGoAfterAll,
  continued,
  goesOn,
  quote,
  readFreeText,
  smalltalkOf,
  worthKeeping,
} from '../dialog/free-text.ts';
import { smalltalkReply, YES_NO } from '../dialog/wording.ts';
import { type CommandId, commandById, mayUse } from '../language/command-catalog.ts';
import { holidayAsked } from '../language/holiday-questions.ts';
import { normalize } from '../language/normalize.ts';
import { receptionAsked } from '../language/reception-questions.ts';

import { bookingDetailsAnswer } from './booking-change.ts';
import { inspectionWhen, offerInspection } from './inspection-words.ts';
import { askLeaveTakeBack } from './leave-take-back.ts';
import { matterOfOwnItem, tellsHowLong } from './matter-of-item.ts';
import { asksMeetingsAhead, meetingsAheadAnswer } from './meetings-ahead.ts';
import { officeMatter, seatPlaces } from './office-matters.ts';
import { proxyOffer } from './proxy-offer.ts';
import type { TurnScope } from './scope.ts';

// A message no command reads: small talk answered, a matter offered back as a suggestion, the nearest
// commands numbered; never a word lost.

/** Never lose a word: a problem or wish is offered back as a suggestion; anything else is kept a while. */
export async function onUnclear(
  t: TurnScope,
  said: string,
  suggestions: { index: number; id: CommandId; word: string; summary: string }[],
  intent: 'matter' | 'question' | 'other',
): Promise<Reply> {
  // "路灯", the menu, then "幸福路口 坏一个月了": the words the menu held go on with these, one text;
  // "下周人代会 住院" is another errand, read on its own.
  const small = smalltalkOf(said);
  if (small) {
    if (t.shown?.held) t.conv.choice = t.shown;
    return smalltalkReply(small);
  }
  // "元旦放几天", "下周一上班吗": the working calendar the statutory clocks count on, staff corrections included.
  const holiday = holidayAsked(said, t.ctx.today);
  if (holiday) return { text: await holidayAnswer(t.ctx.deps, holiday, t.ctx.today) };
  // "下周吧" just after a 视察 request: when the deputy would like to go, into that request.
  const when = await inspectionWhen(t, said);
  if (when) return when;
  const held = t.shown?.held !== undefined && goesOn(t.shown.held, said) ? t.shown.held : undefined;
  const text = held ? continued(held, said) : said;
  // The language layer's reading of the words decides; pointing back at what was said is the dialog's.
  const own = readFreeText(said);
  const reading =
    own === 'back_reference'
      ? own
      : intent === 'matter' || (held && intent !== 'question' && readFreeText(text) === 'matter')
        ? 'matter'
        : intent === 'question'
          ? 'other'
          : own;
  const deputy = mayUse('deputy', t.standing.roles);
  // "张大爷打电话说村里的桥塌了一半，帮他录一下": staff writing down a deputy's matter, offered as 代录.
  const proxy = deputy ? null : await proxyOffer(t, null);
  if (proxy) return proxy;
  // "下个月开人代会吗", "常委会什么时候开": the sessions and activities ahead that the deputy is called to.
  const meetings = deputy ? asksMeetingsAhead(said) : null;
  if (meetings) return meetingsAheadAnswer(t, meetings === 'only' ? '' : keptWithQuestion(t, text), said);
  const aboutBooking = deputy ? await bookingDetailsAnswer(t, said) : null;
  if (aboutBooking) return aboutBooking;
  // "我出差回来了 能去了", "事办完了，可以去开会了": the leave asked (just now or earlier) taken back, asked first.
  if (deputy && canGoAfterAll(said)) return askLeaveTakeBack(t);
  // "我的代表证丢了咋办", "我换手机号了": only the office can do it; the words go to its staff.
  const office = deputy ? ((await officeMatter(t, said)) ?? (await seatPlaces(t, said))) : null;
  if (office) return office;
  // "我想去看看城关镇的污水处理厂": a 视察 request offered, asked first.
  const visit = deputy ? offerInspection(t, said) : null;
  if (visit) return visit;
  // "带人?", "能改期吗" just after the reception day was given or booked: asked about that day.
  const onDay = deputy && (t.conv.receptionAsked || t.conv.lastItem?.startsWith('JD-'));
  if (onDay && receptionAsked(`接待日${said}`, t.ctx.today)) {
    const answer = await t.onText(`接待日${said}`);
    if (answer) return answer;
  }
  const earlier = held ?? t.conv.said?.value;
  if (reading === 'back_reference' && earlier && deputy) return offerSuggestion(t, earlier);
  // "好几天了" just after filing: more of that suggestion, offered to go into it.
  if ((reading === 'matter' || tellsHowLong(text)) && deputy) {
    const ofItem = await matterOfOwnItem(t, text);
    if (ofItem) return ofItem;
  }
  if (reading === 'matter' && deputy) {
    t.conv.said = t.conversations.keep(text);
    return offerSuggestion(t, text);
  }
  // "交版 JY-2026-0003 市水务局": the command word mistyped; the number chosen keeps the code and the rest.
  const rest = afterMistypedWord(said);
  const options = suggestions.map((s) => ({
    commandId: s.id,
    word: s.word,
    ...(rest && commandById(s.id).args[0]?.kind.type === 'code' ? { send: `${s.word} ${rest}` } : {}),
  }));
  // The menu promises the words need not be typed again: it holds them, however few.
  t.conv.choice = { options, expiresAt: t.conversations.expiry(), held: text };
  const lines = suggestions.map((s) => `${s.index}. ${s.word}：${s.summary}`);
  const buttons = options.map((o) => ({ label: o.word, command: o.send ?? o.word }));
  // "啥时候能修好啊", "谁在管这个事", "怎么还没动静": about the deputy's item, the one talked about last, else
  // their list: 查询 answers with the organ and the due date.
  if (deputy && ABOUT_ITEM_PROGRESS.test(said)) {
    // "路灯", then "啥时候能修好啊": the item the held words point at.
    const last = t.conv.lastItem;
    const answer = await t.onText(held ? `查询 ${held}` : last?.startsWith('JY-') ? `查询 ${last}` : '查询');
    if (answer) return answer;
  }
  if (intent === 'question') {
    // A question is answered as far as it can be, never called unclear; whatever else it says is kept.
    return {
      text: `${keptWithQuestion(t, text)}这个问题我暂时答不上来，${ABOUT_TIMES.test(said) ? '会议和活动的时间以通知为准，' : ''}可以问代表工作机构。您可能想办理：\n${lines.join('\n')}\n发对应的数字即可。`,
      buttons,
    };
  }
  if (worthKeeping(text)) t.conv.said = t.conversations.keep(text);
  return {
    text: `没太明白您的意思。您是想办理：\n${lines.join('\n')}\n回复数字即可，您刚才的话不用再打一遍；发“帮助”可查看全部命令。`,
    buttons,
  };
}

const ABOUT_ITEM_PROGRESS =
  /(?:啥|什么)时候(?:能|才能|可以|会)?(?:修|办|解决|弄|答复|回复|处理|有(?:个)?(?:结果|回复|答复|消息|回音|下文))|(?:多久|多长时间)(?:能|才能|会)?(?:修|办|解决|弄|答复|回复|处理|有(?:个)?(?:结果|回复|答复|消息|回音|下文))|谁在?(?:管|办)(?:这个|这件|那个)?事|(?:怎么|咋)还没(?:有)?(?:动静|消息|信儿|音信|人管|人办|回音)|(?:啥|什么)时候(?:能|才能|会)?(?:派人|来人|派个人|(?:过)?来(?:看|修|处理))|(?:有|派)(?:没有)?人(?:来)?(?:看|修|管)(?:了)?(?:吗|没有?)/;

/**
 * A question that says more than it asks ("人代会啥时候开？俺到时候可能去不了"): its words kept for what comes
 * next, and the deputy told so; '' when it is only the question.
 */
function keptWithQuestion(t: TurnScope, text: string): string {
  if ((text.match(/\p{Script=Han}/gu)?.length ?? 0) < 10) return '';
  t.conv.said = t.conversations.keep(text);
  return `您说的“${quote(text)}”我先记着。`;
}

/** A question about a meeting or an activity: their times are in their notices. */
const ABOUT_TIMES = /会|活动|视察|调研/;

/** Asks whether words told in passing are to be filed as a suggestion (a yes files them). */
export function offerSuggestion(t: TurnScope, text: string, shown = `“${quote(text)}”`): Reply {
  t.conv.confirm = {
    commandId: 'suggestion.submit',
    word: '建议',
    args: { kind: '建议', content: text },
    question: '要把这段话作为建议提交吗？',
    expiresAt: t.conversations.expiry(),
  };
  return {
    text: `要把这段话作为建议提交吗？\n${shown}\n回复“是”提交，回复“否”不提交；也可以直接告诉我您要办的其他事。`,
    buttons: YES_NO,
  };
}

/**
 * What follows a first word of one to four characters, when it holds an item's code; or, the code written
 * first ("jy-2026-2 交 住建", "qj-2026-5批了"), the code and what follows the mistyped word after it.
 */
function afterMistypedWord(text: string): string | undefined {
  const m = /^\s*[^\s\d]{1,4}[\s:：，,]+(.+)$/su.exec(text);
  if (m && CODE_PATTERN.test(normalize(m[1]!).text)) return m[1]!.trim();
  const n = normalize(text).text;
  const code = CODE_PATTERN.exec(n);
  if (code?.index !== 0) return undefined;
  const tail = /^[ :,]*[^ \d]{1,4}(?:[ :,]+(.+))?$/su.exec(n.slice(code[0].length));
  return tail ? `${code[0]}${tail[1] ? ` ${tail[1].trim()}` : ''}` : undefined;
}
