import type { Reply } from '../../messaging/index.ts';
import {
  bookedDayDetails,
  cancelBookingButton,
  changeBookingTopic,
  liveBookingsOfPerson,
} from '../../services/reception/index.ts';
import { YES_NO } from '../dialog/wording.ts';
import { WHAT_TO_BRING } from '../language/reception-questions.ts';
import type { TurnScope } from './scope.ts';

// A booking just made, changed in words: "改成这个月" moves it to the month named (the new month is booked
// first and the old booking cancelled only once that worked, so the deputy is never left with neither);
// "话题改成加装电梯" replaces its topic, and "想说说菜市场的事" after booking without one gives it.

/** The confirm question's id for a booking moved on 是 (turn.ts). */
export const BOOKING_MOVE = 'reception.move';

/** A move asked rather than told ("能不能换到二月份", "改到下个月行吗"): asked 是 / 否 before it is done. */
const ASKED_MOVE = /[?？]|吗|么|能不能|能否|可不可以|可以不|行不行|行不|中不中|成不|好不好|咋办|怎么办|咋整/;

const MOVED_TO =
  /(?:改|换|挪|调|推)(?:成|到|为|在)?(?:了)?\s*((?:这个?|本|下下?个?)月|\d{4}[-年]\d{1,2}月?|\d{1,2}月份?|[一二三四五六七八九十]{1,3}月份?)/;

/** The month a booking is to move to, as written; null when the message asks no such thing. */
export function bookingMoveTo(text: string): string | null {
  return MOVED_TO.exec(text)?.[1] ?? null;
}

/** Null when the message is no move of a booking (or there is no single booking it can mean). */
export async function moveBooking(t: TurnScope, text: string): Promise<Reply | null> {
  const month = bookingMoveTo(text);
  const last = t.conv.lastItem;
  if (month === null || !(/接待日|预约/.test(text) || last?.startsWith('JD-'))) return null;
  const live = await liveBookingsOfPerson(t.ctx.deps, t.ctx.sender.personId, t.ctx.today);
  const old = live.find((b) => b.code === last) ?? (live.length === 1 ? live[0] : undefined);
  if (!old) return null;
  // Told right after booking ("改成下个月"): done. Asked, or of a booking made earlier: asked first, since
  // the booking held is cancelled.
  if (ASKED_MOVE.test(text) || old.code !== last) {
    t.conv.lastItem = old.code;
    const question = `确定把接待日预约 ${old.code}（${old.day}）改到${month}吗？`;
    t.conv.confirm = {
      commandId: BOOKING_MOVE,
      word: '改约',
      args: { code: old.code, month },
      question,
      expiresAt: t.conversations.expiry(),
    };
    return { text: `${question}回复“是”改约，回复“否”保留原来的预约。`, buttons: YES_NO };
  }
  return moveBookingNow(t, old, month);
}

/** The booking moved on 是 to the question moveBooking asked; null when it is no longer live. */
export async function confirmBookingMove(t: TurnScope, args: Record<string, unknown>): Promise<Reply | null> {
  const live = await liveBookingsOfPerson(t.ctx.deps, t.ctx.sender.personId, t.ctx.today);
  const old = live.find((b) => b.code === args.code);
  if (!old || typeof args.month !== 'string') return null;
  return moveBookingNow(t, old, args.month);
}

async function moveBookingNow(
  t: TurnScope,
  old: { code: string; topic: string | null },
  month: string,
): Promise<Reply | null> {
  const booked = await t.onText(`预约接待日 ${month}${old.topic ? ` ${old.topic}` : ''}`);
  if (!booked?.text.startsWith('已预约接待日')) return booked;
  const cancelled = await t.onText(`取消预约 ${old.code}`);
  return {
    ...booked,
    text: `${booked.text}\n${cancelled?.text.startsWith('已取消') ? `原来的${cancelled.text.replace(/^已取消/, '').replace(/。$/, '')}已取消。` : `原来的预约 ${old.code} 没有取消：${cancelled?.text ?? ''}`}`,
    personal: true,
  };
}

/** "我去不了的话咋办", "万一那天来不了怎么办": asked what to do, not told; nothing is cancelled. */
const WHAT_IF =
  /的话.{0,6}(?:咋办|怎么办|咋整|怎么整|咋弄|怎么弄|咋个办)|^(?:那|俺|我)?(?:要是|如果|假如|万一)/;

/** Null unless the message asks what to do if the deputy cannot come to the day booked. */
export async function ifCannotCome(t: TurnScope): Promise<Reply | null> {
  if (!WHAT_IF.test(t.text.trim())) return null;
  const live = await liveBookingsOfPerson(t.ctx.deps, t.ctx.sender.personId, t.ctx.today);
  const booking = live.find((b) => b.code === t.conv.lastItem) ?? (live.length === 1 ? live[0] : undefined);
  if (!booking) return null;
  t.conv.lastItem = booking.code;
  return {
    text: `去不了的话，可以取消这次预约，也可以改到别的月份，例如发“接待日改到下个月”。您的预约 ${booking.code}（${booking.day}）现在还保留着。`,
    buttons: [cancelBookingButton(booking.code)],
  };
}

// "几点开始啊？在哪里？", "我到时候要带什么材料吗" after booking: the day is the service's to tell; the hour,
// the place and what to bring are the office's (the service does not hold them), so it says whom to ask.
const HOUR_OR_PLACE = /几点|(?:什么|啥)时候开始|在哪|哪里|(?:什么|啥)地方|地点|材料/;
const aboutTheDay = (text: string) => HOUR_OR_PLACE.test(text) || WHAT_TO_BRING.test(text);

/** Null unless the message asks about the day of the booking just made (or the only one). */
export async function bookingDetailsAnswer(t: TurnScope, text: string): Promise<Reply | null> {
  const last = t.conv.lastItem;
  if (!aboutTheDay(text) || !(/接待/.test(text) || last?.startsWith('JD-'))) return null;
  const live = await liveBookingsOfPerson(t.ctx.deps, t.ctx.sender.personId, t.ctx.today);
  const booking = live.find((b) => b.code === last) ?? (live.length === 1 ? live[0] : undefined);
  if (!booking) return null;
  return { text: bookedDayDetails(booking) };
}

// "话题改成…", "接待日想谈的事换一下，改成…": the new topic is what follows.
const TOPIC_CHANGED =
  /(?:话题|议题|主题|想(?:谈|说|聊|反映)的(?:事情?|内容|问题)?|要(?:谈|说|聊)的(?:事情?|内容|问题)?)(?:换一下|改一下|变一下)?[\s，,]*(?:改成|换成|改为|换为|变成|改|换)(?:一下)?[\s，,:：]*(.+)$/;
// "想说说菜市场的事", "话题是停车难", "还想谈谈学校门口拥堵": a topic told after booking.
const TOPIC_TOLD =
  /^(?:我|俺)?(?:还|另外|也)?(?:想|要|准备|打算)(?:说说|谈谈|聊聊|说一下|谈一下|聊一下)|^(?:话题|议题|主题)(?:是|就是|:|：)/;

/**
 * The new topic, whether it was said to replace the one there ("话题改成…") and whether it adds to it
 * ("还想说说…"); null when the message tells no topic.
 */
function topicIn(text: string): { topic: string; replaces: boolean; add: boolean } | null {
  const changed = TOPIC_CHANGED.exec(text);
  if (changed) return { topic: clean(changed[1]!), replaces: true, add: false };
  const told = TOPIC_TOLD.exec(text.trim());
  if (!told) return null;
  return {
    topic: clean(text.trim().slice(told[0].length)),
    replaces: false,
    add: /^(?:我|俺)?(?:还|另外|也)/.test(text.trim()),
  };
}

const clean = (s: string) => s.replace(/^[\s，,:：]+|[\s，,。.！!]+$/g, '').trim();

/**
 * Null when the message changes no topic, or there is no single booking it can be about: the booking last
 * talked about (a topic told with no word of the reception day only then), else the only live one.
 */
export async function changeTopic(t: TurnScope, text: string): Promise<Reply | null> {
  const said = topicIn(text);
  const last = t.conv.lastItem;
  if (!said || said.topic === '') return null;
  const aboutReception = /接待日|预约|话题|议题/.test(text);
  if (!(aboutReception || last?.startsWith('JD-'))) return null;
  const live = await liveBookingsOfPerson(t.ctx.deps, t.ctx.sender.personId, t.ctx.today);
  const booking =
    live.find((b) => b.code === last) ?? (aboutReception && live.length === 1 ? live[0] : undefined);
  if (!booking) return null;
  // A topic told without saying it is one ("想说说…") only fills a booking that has none yet, or adds.
  if (!said.replaces && booking.topic && !said.add && !aboutReception) return null;
  const out = await changeBookingTopic(t.ctx.deps, {
    personId: t.ctx.sender.personId,
    code: booking.code,
    topic: said.topic,
    add: said.add,
    today: t.ctx.today,
  });
  t.conv.lastItem = booking.code;
  return { text: out.text, personal: true };
}
