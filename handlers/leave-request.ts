import type { Reply } from '../src/messaging/index.ts';
import { declineActivity, invitedMeetings } from '../src/services/activities/index.ts';
import {
  type MeetingCandidate,
  matchMeetings,
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

/** What to send to choose one: an activity by its code, a session by its full name. */
const choose = (c: MeetingCandidate, reason: string) =>
  `请假 ${c.kind === 'session' ? c.name : c.ref} ${reason}`;

async function leaveFor(ctx: CommandContext<'leave.request'>, c: MeetingCandidate, reason: string) {
  const personId = ctx.sender.personId;
  if (c.kind !== 'session') {
    return declineActivity(ctx.deps, { personId, code: c.ref, reason, today: ctx.today, enteredBy: null });
  }
  return submitSessionLeave(ctx.deps, {
    personId,
    meetingName: c.name,
    sessionId: Number(c.ref.slice('session:'.length)),
    reason,
    today: ctx.today,
    enteredBy: null,
  });
}

function offer(said: string, list: MeetingCandidate[], reason: string, miss: boolean): Reply {
  const shown = list.slice(0, MAX_OFFERED);
  if (shown.length === 0) {
    return {
      text: `没有找到与“${said}”相符的会议或活动，未提交请假。目前没有您可以请假的会议或受邀活动；如有疑问，请联系代表工作机构。`,
    };
  }
  const lines = shown.map((c, i) => `${i + 1}. ${c.name}（${span(c)}）`);
  return {
    text:
      `${miss ? `没有找到与“${said}”相符的会议或活动，未提交请假。近期您可以请假的有：` : `“${said}”可能是以下哪一个？`}\n` +
      `${lines.join('\n')}\n回复数字或点选即可，事由“${reason}”已记下。`,
    buttons: shown.map((c) => ({ label: c.name, command: choose(c, reason) })),
  };
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
    const candidates = [
      ...(await sessionMeetings(ctx.deps, { personId, today: ctx.today, congressId: ctx.congressId })),
      ...(await invitedMeetings(ctx.deps, personId)),
    ].sort((a, b) => a.startsOn.localeCompare(b.startsOn));
    const matches = matchMeetings(meeting.name, candidates, ctx.today);
    if (matches.length === 1) return replyOf(ctx, await leaveFor(ctx, matches[0]!, reason));
    if (matches.length === 0) {
      // "我有事去不了视察" said again about an activity already declined: its leave request is named.
      const declined = matchMeetings(
        meeting.name,
        await invitedMeetings(ctx.deps, personId, true),
        ctx.today,
      );
      if (declined.length === 1) return replyOf(ctx, await leaveFor(ctx, declined[0]!, reason));
    }
    if (candidates.length === 0) {
      // Nothing to offer: the session service says why (no seat, no sessions registered).
      return replyOf(
        ctx,
        await submitSessionLeave(ctx.deps, {
          personId,
          meetingName: meeting.name,
          reason,
          today: ctx.today,
          enteredBy: null,
        }),
      );
    }
    return matches.length > 1
      ? offer(meeting.name, matches, reason, false)
      : offer(meeting.name, candidates, reason, true);
  },
};
