import { YES_NO } from '../src/bot/dialog/wording.ts';
import { declineActivity, invitedMeetings } from '../src/services/activities/index.ts';
import {
  type MeetingCandidate,
  matchMeetings,
  meetingButtonLabel,
  meetingNames,
  namesNoMeeting,
  type Outcome,
  reasonSaysNothing,
  type SameWeekMeeting,
  sameWeekMeeting,
  sameWeekText,
  sessionMeetings,
  settleLeaveReason,
  submitSessionLeave,
} from '../src/services/leave/index.ts';
import { formatDate } from '../src/statute/date-text.ts';
import { replyOf } from './reply-of.ts';
import { chatAudit } from './suggestion-common.ts';
import type { CommandContext, CommandHandler } from './types.ts';

// `请假 <会议或活动> <事由>` (山西 第八条 S5; an invited activity, a 列席 included: 大同 第十一条 S4). The
// meeting is found as the deputy named it, among the sessions of their congresses and the activities they
// are invited to; on a miss the reason is kept in the numbered choices offered. A reason that says nothing
// ("有事", "去不了") is asked about once before anything is filed; "一样的原因" takes the deputy's last one.

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

/** Marks the reason question this handler asked (a dialog's argument no parser fills): asked once only. */
const REASON_ASKED = 'reasonAsked';

/**
 * The reason a deputy gave says nothing: the question goes back with the meeting kept, as a dialog whose
 * answer runs 请假 again (src/bot/turn/dialog-answer.ts).
 */
function askReason(ctx: CommandContext, c: MeetingCandidate, question: string): Outcome {
  ctx.conversation.dialog = {
    commandId: 'leave.request',
    word: '请假',
    args: { meeting: c.kind === 'session' ? { name: c.name } : { code: c.ref }, [REASON_ASKED]: true },
    missing: [{ name: 'reason', question }],
    attachments: [],
    expiresAt: ctx.keep(true).expiresAt,
  };
  return { ok: false, text: `您要请假的是${c.name}（${span(c)}）。${question}\n（发“取消”可结束）` };
}

/** Files leave from the one meeting meant, once its reason says something (or was asked about already). */
async function leaveFor(ctx: CommandContext, who: LeaveFor, c: MeetingCandidate, said: string) {
  const { personId, enteredBy } = who;
  const audit = chatAudit(ctx);
  const settled = await settleLeaveReason(ctx.deps, personId, said);
  let reason: string;
  if ('ask' in settled) {
    // Staff write down what the deputy told them; a deputy asked once already is not asked again.
    const asked = (ctx.args as Record<string, unknown>)[REASON_ASKED] === true;
    if (enteredBy === null && !asked) return askReason(ctx, c, settled.ask);
    reason = settled.said || said;
  } else reason = settled.reason;
  const o =
    c.kind !== 'session'
      ? await declineActivity(ctx.deps, { personId, code: c.ref, reason, today: ctx.today, enteredBy, audit })
      : await submitSessionLeave(ctx.deps, {
          personId,
          meetingName: c.name,
          sessionId: Number(c.ref.slice('session:'.length)),
          reason,
          today: ctx.today,
          enteredBy,
          audit,
        });
  if (!o.ok || !('earlierCode' in settled) || !settled.earlierCode) return o;
  return {
    ...o,
    text: `${o.text}\n（事由与${enteredBy ? '这位代表' : '您'}之前的请假 ${settled.earlierCode} 相同。）`,
  };
}

/** 请假 <HD编号> <事由>: the activity among those the deputy may still ask leave from, else as refused. */
export async function leaveForActivity(
  ctx: CommandContext,
  who: LeaveFor,
  code: string,
  reason: string,
): Promise<Outcome> {
  const invited = (await invitedMeetings(ctx.deps, who.personId)).find((c) => c.ref === code);
  if (invited) return leaveFor(ctx, who, invited, reason);
  // Declined already (the request made is named), not invited, or no such activity: the service says so.
  const { personId, enteredBy } = who;
  return declineActivity(ctx.deps, {
    personId,
    code,
    reason,
    today: ctx.today,
    enteredBy,
    audit: chatAudit(ctx),
  });
}

/**
 * How a list of meetings is introduced: nothing fits what was said (`miss`), several fit it (`several`), or
 * the words named no meeting in particular, "我不去开会了" (`which`): asked which, never told it fits nothing.
 */
type OfferHead = 'miss' | 'several' | 'which';

function offer(
  who: LeaveFor,
  said: string,
  list: MeetingCandidate[],
  reason: string,
  head: OfferHead,
): Outcome {
  const shown = list.slice(0, MAX_OFFERED);
  const whose = who.prefix ? '这位代表' : '您';
  if (shown.length === 0) {
    return {
      ok: false,
      text: `没有找到与“${said}”相符的会议或活动，未提交请假。目前没有${whose}可以请假的会议或受邀活动；如有疑问，请联系代表工作机构。`,
    };
  }
  const lines = shown.map((c, i) => `${i + 1}. ${c.name}（${span(c)}）`);
  const kept = reasonSaysNothing(reason) ? '' : `，事由“${reason}”已记下`;
  const intro = {
    miss: `没有找到与“${said}”相符的会议或活动，未提交请假。近期${whose}可以请假的有：`,
    several: `“${said}”可能是以下哪一个？`,
    which: `请问${whose}要请假的是哪个会议或活动？近期有：`,
  }[head];
  return {
    ok: false,
    text: `${intro}\n${lines.join('\n')}\n回复数字或点选即可${kept}。`,
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
  const several = meetingNames(name, ctx.today);
  if (several.length > 1) return leaveFromEach(ctx, who, several, reason);
  const candidates = [
    ...(await sessionMeetings(ctx.deps, { personId, today: ctx.today, congressId: who.congressId })),
    ...(await invitedMeetings(ctx.deps, personId)),
  ].sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  const matches = matchMeetings(name, candidates, ctx.today);
  if (matches.length === 1) return leaveFor(ctx, who, matches[0]!, reason);
  if (matches.length === 0) {
    // "我有事去不了视察" said again about an activity already declined: its leave request is named.
    const declined = matchMeetings(name, await invitedMeetings(ctx.deps, personId, true), ctx.today);
    if (declined.length === 1) return leaveForActivity(ctx, who, declined[0]!.ref, reason);
    // "下礼拜二的视察" when it is on the Wednesday of that week: that one offered, not a bare list.
    const near = sameWeekMeeting(name, candidates, ctx.today);
    if (near) return offerSameWeek(ctx, who, near, reason);
  }
  if (candidates.length === 0) {
    // Nothing to offer: the session service says why (no seat, no sessions registered).
    const input = { personId, meetingName: name, reason, today: ctx.today, enteredBy, audit: chatAudit(ctx) };
    return submitSessionLeave(ctx.deps, input);
  }
  if (matches.length > 1) return offer(who, name, matches, reason, 'several');
  return offer(who, name, candidates, reason, namesNoMeeting(name) ? 'which' : 'miss');
}

/**
 * "下礼拜二的视察" when the inspection is on the Wednesday: "下周的视察是星期三（12月9日）…，是这个吗？" —
 * asked, never taken unasked; 是 asks leave from it with the reason given, 否 files nothing.
 */
function offerSameWeek(ctx: CommandContext, who: LeaveFor, near: SameWeekMeeting, reason: string): Outcome {
  const c = near.meeting;
  const question = `${sameWeekText(near, ctx.today)}，是这个吗？`;
  ctx.conversation.confirm = {
    commandId: 'leave.request',
    word: '请假',
    args: {},
    question,
    expiresAt: ctx.keep(true).expiresAt,
    send: choose(who, c, reason),
  };
  const kept = reasonSaysNothing(reason) ? '' : `，事由“${reason}”已记下`;
  return {
    ok: false,
    text: `${question}\n回复“是”就为它请假${kept}；不是的话回复“否”。`,
    buttons: YES_NO,
  };
}

/**
 * "常委会和人代会俺都去不了": leave from each meeting named, for the one reason, in turn. Those found are
 * filed; the first that needs a question (which one, or whether the one of that week is meant) is asked,
 * last; any other such is named to be sent again. No meeting said is dropped.
 */
async function leaveFromEach(
  ctx: CommandContext,
  who: LeaveFor,
  names: string[],
  reason: string,
): Promise<Outcome> {
  const joined = names.join('和');
  // A reason that says nothing is asked about once for all of them; the answer comes back here.
  const asked = (ctx.args as Record<string, unknown>)[REASON_ASKED] === true;
  if (who.enteredBy === null && !asked) {
    const settled = await settleLeaveReason(ctx.deps, who.personId, reason);
    if ('ask' in settled) {
      ctx.conversation.dialog = {
        commandId: 'leave.request',
        word: '请假',
        args: { meeting: { name: joined }, [REASON_ASKED]: true },
        missing: [{ name: 'reason', question: settled.ask }],
        attachments: [],
        expiresAt: ctx.keep(true).expiresAt,
      };
      return { ok: false, text: `您要请假的是${joined}。${settled.ask}\n（发“取消”可结束）` };
    }
  }
  const answered: Outcome[] = [];
  const again: string[] = [];
  let question: Outcome | undefined;
  for (const name of names) {
    const { dialog, confirm } = ctx.conversation;
    const o = await leaveFromNamed(ctx, who, name, reason);
    const asks =
      ctx.conversation.dialog !== dialog || ctx.conversation.confirm !== confirm || !!o.buttons?.length;
    if (!asks) answered.push(o);
    else if (!question) question = o;
    else {
      // One question at a time: this one's is undone, and the meeting named to send again.
      ctx.conversation.dialog = dialog;
      ctx.conversation.confirm = confirm;
      if (!dialog) delete ctx.conversation.dialog;
      if (!confirm) delete ctx.conversation.confirm;
      again.push(name);
    }
  }
  const filed = answered.filter((o) => o.ok);
  const rest = again.map((n) => `“${n}”还没有请假：请另发“${who.prefix}请假 ${n} ${reason}”。`);
  return {
    ok: filed.length > 0,
    text: [...answered.map((o) => o.text), ...(question ? [question.text] : []), ...rest].join('\n\n'),
    ...(question?.buttons ? { buttons: question.buttons } : {}),
    ...(filed.at(-1)?.code ? { code: filed.at(-1)!.code! } : {}),
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
        await leaveForActivity(ctx, { personId, enteredBy: null, prefix: '' }, meeting.code, reason),
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
