import { declineActivity, invitedMeetings } from '../src/services/activities/index.ts';
import {
  type MeetingCandidate,
  matchMeetings,
  meetingButtonLabel,
  type Outcome,
  sessionMeetings,
  submitSessionLeave,
} from '../src/services/leave/index.ts';
import { formatDate } from '../src/statute/date-text.ts';
import { replyOf } from './reply-of.ts';
import type { CommandContext, CommandHandler } from './types.ts';

// `请假 <会议或活动> <事由>` (山西 第八条 S5; an invited activity, a 列席 included: 大同 第十一条 S4). The
// meeting is found as the deputy named it, among the sessions of their congresses and the activities they
// are invited to; on a miss the reason is kept in the numbered choices offered.

const MAX_OFFERED = 6;

const span = (c: MeetingCandidate) =>
  c.startsOn === c.endsOn ? formatDate(c.startsOn) : `${formatDate(c.startsOn)}至${formatDate(c.endsOn)}`;

/** Whose leave, as whom it is entered, and what a choice's button sends before 请假 (代录 张三 …). */
export interface LeaveFor {
  personId: number;
  enteredBy: string | null;
  prefix: string;
  congressId?: number | undefined;
}

/** What to send to choose one: an activity by its code, a session by its full name. */
const choose = (who: LeaveFor, c: MeetingCandidate, reason: string) =>
  `${who.prefix}请假 ${c.kind === 'session' ? c.name : c.ref} ${reason}`;

async function leaveFor(ctx: CommandContext, who: LeaveFor, c: MeetingCandidate, reason: string) {
  const { personId, enteredBy } = who;
  if (c.kind !== 'session') {
    return declineActivity(ctx.deps, { personId, code: c.ref, reason, today: ctx.today, enteredBy });
  }
  return submitSessionLeave(ctx.deps, {
    personId,
    meetingName: c.name,
    sessionId: Number(c.ref.slice('session:'.length)),
    reason,
    today: ctx.today,
    enteredBy,
  });
}

function offer(
  who: LeaveFor,
  said: string,
  list: MeetingCandidate[],
  reason: string,
  miss: boolean,
): Outcome {
  const shown = list.slice(0, MAX_OFFERED);
  if (shown.length === 0) {
    return {
      ok: false,
      text: `没有找到与“${said}”相符的会议或活动，未提交请假。目前没有${who.prefix ? '这位代表' : '您'}可以请假的会议或受邀活动；如有疑问，请联系代表工作机构。`,
    };
  }
  const lines = shown.map((c, i) => `${i + 1}. ${c.name}（${span(c)}）`);
  return {
    ok: false,
    text:
      `${miss ? `没有找到与“${said}”相符的会议或活动，未提交请假。近期${who.prefix ? '这位代表' : '您'}可以请假的有：` : `“${said}”可能是以下哪一个？`}\n` +
      `${lines.join('\n')}\n回复数字或点选即可，事由“${reason}”已记下。`,
    buttons: shown.map((c) => ({ label: meetingButtonLabel(c), command: choose(who, c, reason) })),
  };
}

/**
 * Leave from a meeting named as people name it (“人代会”, “十号的常委会”), for the deputy `who`: among the
 * sessions of their congresses and the activities they are invited to; several or none fitting are offered.
 */
export async function leaveFromNamed(
  ctx: CommandContext,
  who: LeaveFor,
  name: string,
  reason: string,
): Promise<Outcome> {
  const { personId, enteredBy } = who;
  const candidates = [
    ...(await sessionMeetings(ctx.deps, { personId, today: ctx.today, congressId: who.congressId })),
    ...(await invitedMeetings(ctx.deps, personId)),
  ].sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  const matches = matchMeetings(name, candidates, ctx.today);
  if (matches.length === 1) return leaveFor(ctx, who, matches[0]!, reason);
  if (matches.length === 0) {
    // "我有事去不了视察" said again about an activity already declined: its leave request is named.
    const declined = matchMeetings(name, await invitedMeetings(ctx.deps, personId, true), ctx.today);
    if (declined.length === 1) return leaveFor(ctx, who, declined[0]!, reason);
  }
  if (candidates.length === 0) {
    // Nothing to offer: the session service says why (no seat, no sessions registered).
    return submitSessionLeave(ctx.deps, { personId, meetingName: name, reason, today: ctx.today, enteredBy });
  }
  return matches.length > 1
    ? offer(who, name, matches, reason, false)
    : offer(who, name, candidates, reason, true);
}

export const leaveRequestHandler: CommandHandler<'leave.request'> = {
  id: 'leave.request',
  async run(ctx) {
    const { meeting, reason } = ctx.args;
    const personId = ctx.sender.personId;
    if ('code' in meeting) {
      return replyOf(
        ctx,
        await declineActivity(ctx.deps, {
          personId,
          code: meeting.code,
          reason,
          today: ctx.today,
          enteredBy: null,
        }),
      );
    }
    return replyOf(
      ctx,
      await leaveFromNamed(
        ctx,
        { personId, enteredBy: null, prefix: '', congressId: ctx.congressId },
        meeting.name,
        reason,
      ),
    );
  },
};
