import type { Reply } from '../../messaging/index.ts';
import { liveBookingsOfPerson } from '../../services/reception/index.ts';
import type { TurnScope } from './scope.ts';

// "约下月接待日 停车难", then "改成这个月": the booking moved to the month named. The new month is booked
// first and the old booking cancelled only once that worked, so the deputy is never left with neither.

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
