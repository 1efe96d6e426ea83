import { listActivityReplies, listSessionReplies } from '../../../db/repositories/meeting-replies.ts';
import type { ActivityKind } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { addDays, dateAt } from '../../statute/calendar-date.ts';
import { instantAt } from '../../statute/working-hours.ts';
import { activityTime, KIND_LABEL } from './text.ts';

// The sessions (山西 第八条) and activities (大同 第十一条) of the congresses staff work for within some days,
// each with how its deputies replied: for the office to see who is coming and whose leave waits.

export interface MeetingReplies {
  /** `session:<id>` or the activity's HD code. */
  ref: string;
  kind: 'session' | ActivityKind;
  name: string;
  /** The activity's kind as people read it; null for a session. */
  kindLabel: string | null;
  startsOn: string;
  endsOn: string;
  /** An activity's time and place as people read them; null for a session (its notice says). */
  when: string | null;
  place: string | null;
  /** Those invited to an activity, or the deputies expected at a session. */
  invited: number;
  /** Those who answered 参加 (an activity's invitation); null for a session, attended as its notice says. */
  accepted: number | null;
  leaveAsked: number;
  /** Leave asked and not yet decided (待决定, or 转呈 and waiting for the province). */
  leaveWaiting: number;
}

/** The meetings of these congresses on some day from `from` to `to`, soonest first. */
export async function meetingReplies(
  deps: Pick<Deps, 'db' | 'config'>,
  congressIds: readonly number[],
  from: string,
  to: string,
): Promise<MeetingReplies[]> {
  const tz = deps.config.timezone;
  const sessions = (await listSessionReplies(deps.db, congressIds, from, to)).map(
    (s): MeetingReplies => ({
      ref: `session:${s.id}`,
      kind: 'session',
      name: s.name,
      kindLabel: null,
      startsOn: s.starts_on,
      endsOn: s.ends_on,
      when: null,
      place: null,
      invited: s.expected,
      accepted: null,
      leaveAsked: s.leave_asked,
      leaveWaiting: s.leave_waiting,
    }),
  );
  const activities = (
    await listActivityReplies(deps.db, congressIds, instantAt(from, 0, tz), instantAt(addDays(to, 1), 0, tz))
  ).map(
    (a): MeetingReplies => ({
      ref: a.code,
      kind: a.kind,
      name: a.title,
      kindLabel: KIND_LABEL[a.kind],
      startsOn: dateAt(a.starts_at, tz),
      endsOn: dateAt(a.ends_at, tz),
      when: activityTime(a.starts_at, a.ends_at, tz),
      place: a.place,
      invited: a.invited,
      accepted: a.accepted,
      leaveAsked: a.leave_asked,
      leaveWaiting: a.leave_waiting,
    }),
  );
  return [...sessions, ...activities].sort((a, b) => a.startsOn.localeCompare(b.startsOn));
}
