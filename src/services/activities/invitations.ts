import type { Db } from '../../../db/client.ts';
import {
  findActivityByCode,
  findInvitationOfPerson,
  listUpcomingInvitationsOfPerson,
  setResponse,
} from '../../../db/repositories/activities.ts';
import type { AuditSource } from '../../../db/repositories/audit.ts';
import { findCongressById } from '../../../db/repositories/congresses.ts';
import { findOpenLeave, insertLeaveRequest } from '../../../db/repositories/leave.ts';
import { withdrawPendingByKeyPrefix } from '../../../db/repositories/outbox.ts';
import { findPersonName } from '../../../db/repositories/people.ts';
import type { Deps } from '../../deps.ts';
import { dateAt } from '../../statute/calendar-date.ts';
import { loadWorkCalendar } from '../calendar/index.ts';
import { recordDutyEvent } from '../duty-record/index.ts';
import { nextCode } from '../items/index.ts';
import {
  auditLeaveEntry,
  leaveLapsedByAttendance,
  type MeetingCandidate,
  type Outcome,
  organiserLabel,
  plainReason,
  routeActivityLeave,
  STATUS_TEXT,
  tellDecidersOfNew,
  tellDeputyOfEntry,
} from '../leave/index.ts';
import { queueReminder, reminderKey, reminderTime } from './activities.ts';
import { activityTime, KIND_LABEL } from './text.ts';

// An invited deputy's answer to an activity: 参加, or 请假 with a reason — 大同 第十一条 (S4): 因故不能参加
// 活动时，应向组织单位履行请假手续. The leave is a QJ request whose deciding body is the organiser, who is told.

type InvDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

async function invitationOf(db: Db, personId: number, code: string, proxy = false) {
  const activity = await findActivityByCode(db, code);
  if (!activity) return { error: `没有找到活动 ${code}。` } as const;
  const organiser = await organiserLabel(db, activity.congress_id, activity.organiser);
  const inv = await findInvitationOfPerson(db, activity.id, personId);
  if (!inv?.invited)
    return {
      error: `${proxy ? '这位代表' : '您'}不在活动 ${code} 的邀请名单中；如需参加请联系组织单位（${organiser}）。`,
    } as const;
  return { activity, inv, organiser } as const;
}

export async function attendActivity(
  deps: InvDeps,
  input: { personId: number; code: string; today: string },
): Promise<Outcome> {
  const found = await invitationOf(deps.db, input.personId, input.code);
  if ('error' in found) return { ok: false, text: found.error! };
  const { activity, inv, organiser } = found;
  const now = deps.clock.now();
  if (activity.starts_at <= now)
    return { ok: false, text: `活动 ${activity.code} 已经开始或结束，无需再答复。` };
  const tz = deps.config.timezone;
  const when = activityTime(activity.starts_at, activity.ends_at, tz);
  if (inv.response === 'accepted')
    return {
      ok: true,
      code: activity.code,
      text: `您已答复参加 ${activity.code} ${activity.title}（${when}）。`,
    };
  const { lapsed, reminded } = await deps.db.transaction().execute(async (trx) => {
    await setResponse(trx, inv.id, { response: 'accepted', reason: null, at: now });
    // 大同 第十一条 (S4): a deputy who comes after all needs no leave; whoever was to decide it is told.
    const lapsed = await leaveLapsedByAttendance(deps, trx, {
      mandateId: inv.mandate_id,
      activityId: activity.id,
      personId: input.personId,
      today: input.today,
    });
    // The 请假 answer withdrew the day-before reminder: it is queued again while its time is ahead.
    let reminded = inv.response !== 'declined';
    if (!reminded) {
      const at = reminderTime(await loadWorkCalendar(trx), activity.starts_at, now, tz);
      if (at) {
        await queueReminder(trx, activity, input.personId, { at, organiser, tz, again: `a${now.getTime()}` });
        reminded = true;
      }
    }
    return { lapsed, reminded };
  });
  const leave = !lapsed
    ? ''
    : lapsed.withdrawn
      ? `原来的请假 ${lapsed.code} 已撤销，已告知组织单位（${lapsed.decider}），不用再为它作决定。`
      : `您的请假 ${lapsed.code} 已获批准；您改为参加，已告知组织单位（${lapsed.decider}）。`;
  return {
    ok: true,
    code: activity.code,
    text: `已记录：您将参加 ${activity.code} ${activity.title}（${KIND_LABEL[activity.kind]}），时间：${when}${
      activity.place ? `，地点：${activity.place}` : ''
    }。${leave}${reminded ? '活动前一天会再提醒您。' : ''}`,
  };
}

/**
 * The activities a deputy is invited to and may still ask leave from, as leave candidates (大同 第十一条);
 * with `declined`, those they already sent their apologies for.
 */
export async function invitedMeetings(
  deps: InvDeps,
  personId: number,
  declined = false,
): Promise<MeetingCandidate[]> {
  const tz = deps.config.timezone;
  return (await listUpcomingInvitationsOfPerson(deps.db, personId, deps.clock.now(), declined)).map((a) => ({
    ref: a.code,
    name: a.title,
    kind: a.kind,
    congressLevel: a.level,
    startsOn: dateAt(a.starts_at, tz),
    endsOn: dateAt(a.ends_at, tz),
  }));
}

/** An activity the deputy is invited to, as they read it when they pick it from a list (大同 第十一条). */
export interface InvitationView {
  code: string;
  title: string;
  kindLabel: string;
  when: string;
  place: string | null;
  organiser: string;
  response: 'accepted' | 'declined' | null;
  started: boolean;
}

/** The deputy's invitation to activity `code`; null when there is none. */
export async function invitationView(
  deps: InvDeps,
  personId: number,
  code: string,
): Promise<InvitationView | null> {
  const found = await invitationOf(deps.db, personId, code);
  if ('error' in found) return null;
  const { activity, inv, organiser } = found;
  return {
    code: activity.code,
    title: activity.title,
    kindLabel: KIND_LABEL[activity.kind],
    when: activityTime(activity.starts_at, activity.ends_at, deps.config.timezone),
    place: activity.place,
    organiser,
    response: inv.response,
    started: activity.starts_at <= deps.clock.now(),
  };
}

export async function declineActivity(
  deps: InvDeps,
  input: {
    personId: number;
    code: string;
    reason: string;
    today: string;
    enteredBy: string | null;
    /** 代录: where it came from, for its audit row ('leave.proxy'). */
    audit?: AuditSource | undefined;
  },
): Promise<Outcome> {
  const reason = plainReason(input.reason);
  if (reason === '') return { ok: false, text: '请写明请假事由。' };
  const proxy = input.enteredBy !== null;
  const found = await invitationOf(deps.db, input.personId, input.code, proxy);
  if ('error' in found) return { ok: false, text: found.error! };
  const { activity, inv, organiser } = found;
  const now = deps.clock.now();
  if (activity.starts_at <= now)
    return { ok: false, text: `活动 ${activity.code} 已经开始或结束，不能再请假。` };
  const route = routeActivityLeave(organiser);
  return deps.db.transaction().execute(async (trx) => {
    const open = await findOpenLeave(trx, inv.mandate_id, { activityId: activity.id });
    if (open) {
      return {
        ok: false,
        code: open.code,
        text: `${proxy ? '这位代表' : '您'}已就 ${activity.code} 提交过请假 ${open.code}（${STATUS_TEXT[open.status]}）。`,
      };
    }
    const code = await nextCode(trx, 'QJ', Number(input.today.slice(0, 4)));
    const row = await insertLeaveRequest(trx, {
      code,
      congressId: activity.congress_id,
      mandateId: inv.mandate_id,
      sessionId: null,
      activityId: activity.id,
      reason,
      phase: null,
      decidingBody: route.body,
      decidingBodyLabel: route.label,
      status: route.status,
      submittedOn: input.today,
      enteredBy: input.enteredBy,
      at: now,
    });
    await auditLeaveEntry(trx, { actor: input.enteredBy, audit: input.audit }, row);
    await setResponse(trx, inv.id, { response: 'declined', reason, at: now });
    // The day-before reminder queued with the invitation is withdrawn.
    await withdrawPendingByKeyPrefix(
      trx,
      `${reminderKey(activity.code, input.personId)}:`,
      '代表已请假，不再提醒',
    );
    await recordDutyEvent(trx, {
      mandateId: inv.mandate_id,
      occurredOn: input.today,
      kind: 'leave.requested',
      summary: `就活动 ${activity.title} 向组织单位（${organiser}）请假（${reason}）`,
      ref: code,
      enteredByStaff: proxy,
    });
    const deputyName = await findPersonName(trx, input.personId);
    const congress = await findCongressById(trx, activity.congress_id);
    if (!congress) throw new Error(`congress ${activity.congress_id} not found`);
    const when = activityTime(activity.starts_at, activity.ends_at, deps.config.timezone);
    const subject = `${activity.code} ${activity.title}（${when}）`;
    await tellDecidersOfNew(deps, trx, row, {
      deputyName,
      congressName: congress.name,
      subject,
      route,
      organiser: activity.organiser,
    });
    const told = `${route.explanation}；已通知组织单位（${organiser}），决定后会通知${proxy ? '代表本人' : '您'}。`;
    if (!proxy) {
      return {
        ok: true,
        code,
        text: `已记录您不能参加 ${activity.code} ${activity.title}，请假 ${code}，事由：${reason}。\n${told}`,
      };
    }
    // 代录: the deputy hears of it now, as with a session's (requests.ts), and staff read of the deputy.
    await tellDeputyOfEntry(trx, input.personId, {
      code,
      subject,
      reason,
      decider: `组织单位（${organiser}）`,
    });
    return {
      ok: true,
      code,
      text: `已提交请假 ${code}（工作人员代录）：${deputyName}不能参加 ${subject}，事由：${reason}。\n${told}`,
    };
  });
}
