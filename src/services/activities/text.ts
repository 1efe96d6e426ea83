import type { ActivityKind } from '../../../db/schema.ts';
import { dateAt, hourMinuteAt } from '../../statute/calendar-date.ts';
import { formatDate } from '../../statute/date-text.ts';

// Wording of the activities domain that people read: the kinds of activity and an activity's time.

export const KIND_LABEL: Record<ActivityKind, string> = {
  small_group: '代表小组活动',
  large_group: '代表大组活动',
  station: '联络站接待群众',
  study: '集体学习',
  campaign: '建言献策活动',
  inspection: '视察',
  // 大同 第七条(一): 邀请部分代表列席常务委员会会议 — an activity, not a session of the congress.
  sitting_in: '列席常委会会议',
};

/** The time of an activity as people read it: 2026-12-01（星期二）09:00–12:00. */
export function activityTime(startsAt: Date, endsAt: Date, timeZone: string): string {
  const hm = (d: Date) => hourMinuteAt(d, timeZone);
  const d1 = dateAt(startsAt, timeZone);
  const d2 = dateAt(endsAt, timeZone);
  return d1 === d2
    ? `${formatDate(d1)}${hm(startsAt)}–${hm(endsAt)}`
    : `${formatDate(d1)}${hm(startsAt)}至${formatDate(d2)}${hm(endsAt)}`;
}
