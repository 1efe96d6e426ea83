import type { Reply } from '../../messaging/index.ts';
import { changeBookingTopic, liveBookingsOfPerson } from '../../services/reception/index.ts';
import type { TurnScope } from './scope.ts';

// A booking just made, changed in words: "改成这个月" moves it to the month named (the new month is booked
// first and the old booking cancelled only once that worked, so the deputy is never left with neither);
// "话题改成加装电梯" replaces its topic, and "想说说菜市场的事" after booking without one gives it.

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
  const booked = await t.onText(`预约接待日 ${month}${old.topic ? ` ${old.topic}` : ''}`);
  if (!booked?.text.startsWith('已预约接待日')) return booked;
  const cancelled = await t.onText(`取消预约 ${old.code}`);
  return {
    ...booked,
    text: `${booked.text}\n${cancelled?.text.startsWith('已取消') ? `原来的${cancelled.text.replace(/^已取消/, '').replace(/。$/, '')}已取消。` : `原来的预约 ${old.code} 没有取消：${cancelled?.text ?? ''}`}`,
    personal: true,
  };
}

// "几点开始啊？在哪里？", "我到时候要带什么材料吗" after booking: the day is the service's to tell; the hour,
// the place and what to bring are the office's (the service does not hold them), so it says whom to ask.
const ABOUT_THE_DAY =
  /几点|(?:什么|啥)时候开始|在哪|哪里|(?:什么|啥)地方|地点|带(?:什么|啥|点啥)|准备(?:什么|啥)|材料/;

/** Null unless the message asks about the day of the booking just made (or the only one). */
export async function bookingDetailsAnswer(t: TurnScope, text: string): Promise<Reply | null> {
  const last = t.conv.lastItem;
  if (!ABOUT_THE_DAY.test(text) || !(/接待/.test(text) || last?.startsWith('JD-'))) return null;
  const live = await liveBookingsOfPerson(t.ctx.deps, t.ctx.sender.personId, t.ctx.today);
  const booking = live.find((b) => b.code === last) ?? (live.length === 1 ? live[0] : undefined);
  if (!booking) return null;
  return {
    text: `您预约的接待日（${booking.code}）是 ${booking.day}。具体几点、在什么地方、要准备什么，以代表工作机构的通知为准，可以直接问他们；接待日前一天我会再提醒您。`,
  };
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
