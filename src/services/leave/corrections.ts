import { findLeaveByCode, findOpenLeave, moveLeaveToSession } from '../../../db/repositories/leave.ts';
import { anySentByKeyPrefix, withdrawPendingByKeyPrefix } from '../../../db/repositories/outbox.ts';
import { listOpenSessions, type SessionRow } from '../../../db/repositories/sessions.ts';
import type { CongressLevel } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import type { ReplyButton } from '../../messaging/index.ts';
import { recordDutyEvent } from '../duty-record/index.ts';
import { matchMeetings } from './meeting-match.ts';
import { type Outcome, sessionMeetings, sessionSpan, tellDecidersOfNew } from './requests.ts';
import { phaseOf, routeSessionLeave } from './routing.ts';
import { STATUS_TEXT } from './text.ts';

// "请假 常委会 家里有事", then "不对，是人代会": the deputy named the wrong meeting. While no one has decided
// it, the request (same code, same reason) moves to the meeting meant and whoever decides hears of the
// right one; once decided it stays, and the deputy is told how to ask leave for the other meeting.

type LeaveDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

const askAgain = (meeting: string, reason: string): ReplyButton => ({
  label: meeting,
  command: `请假 ${meeting} ${reason}`,
});

/** The request `code` of the deputy moved to the meeting `meetingName` names; what to tell them. */
export async function correctLeaveMeeting(
  deps: LeaveDeps,
  input: { personId: number; code: string; meetingName: string; today: string },
): Promise<Outcome> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const r = await findLeaveByCode(trx, input.code, true);
    if (!r || r.person_id !== input.personId) return { ok: false, text: `没有找到您的请假 ${input.code}。` };
    const first = r.session_name ?? `${r.activity_code ?? ''} ${r.activity_title ?? ''}`.trim();
    const sessions = await listOpenSessions(trx, [r.congress_id], input.today);
    // Named as 请假 names meetings (人代会, 下个月那个会, 十号的常委会), among the sessions of its congress.
    const said = matchMeetings(
      input.meetingName,
      await sessionMeetings(
        { ...deps, db: trx },
        {
          personId: input.personId,
          today: input.today,
          congressId: r.congress_id,
        },
      ),
      input.today,
    ).map((m) => m.ref);
    if (said.length === 1 && said[0] === `session:${r.session_id}`)
      return {
        ok: false,
        text: `请假 ${r.code} 就是对${first}的请假（${STATUS_TEXT[r.status]}），没有改动。`,
      };
    const matches = sessions.filter((s) => s.id !== r.session_id && said.includes(`session:${s.id}`));
    const one = matches.length === 1 ? matches[0]! : null;
    if (r.status !== 'pending') {
      // Decided (or forwarded, or withdrawn): it stands; leave for the other meeting is a request of its own.
      const other = one?.name ?? input.meetingName;
      return {
        ok: false,
        text: `请假 ${r.code}（${first}）${STATUS_TEXT[r.status]}，不能再改会议。要为${other}请假，请发“请假 ${other} ${r.reason}”。`,
        ...(one ? { buttons: [askAgain(one.name, r.reason)] } : {}),
      };
    }
    if (r.activity_id !== null)
      return {
        ok: false,
        text: `请假 ${r.code} 是对活动 ${first} 的请假，不能改成会议。能参加这个活动的话，发“参加 ${r.activity_code}”即撤销这项请假；要为会议请假，请发“请假 会议名称 ${r.reason}”。`,
      };
    if (!one)
      return {
        ok: false,
        ...whichMeeting(
          r.code,
          input.meetingName,
          matches.length > 0 ? matches : sessions.filter((x) => x.id !== r.session_id),
        ),
      };
    const taken = await findOpenLeave(trx, r.mandate_id, { sessionId: one.id });
    if (taken)
      return {
        ok: false,
        text: `您已就${one.name}提交过请假 ${taken.code}（${STATUS_TEXT[taken.status]}），请假 ${r.code}（${first}）没有改动。`,
      };
    const phase = phaseOf(input.today, one.starts_on, one.ends_on);
    if (phase === 'ended') return { ok: false, text: `${one.name}已经结束，不能再请假。` };
    // Not forwarded before, so not now: the same seat in the same congress.
    const route = routeSessionLeave(r.congress_level as CongressLevel, phase, { forwardToProvince: false });
    const moved = await moveLeaveToSession(trx, r.id, {
      sessionId: one.id,
      phase,
      body: route.body,
      label: route.label,
      status: route.status,
      at: now,
    });
    if (!moved) return { ok: false, text: `请假 ${r.code} 刚刚有了决定，不能再改会议。` };
    // The notice about the wrong meeting goes no further; whoever read it is told of the right one.
    const wrong = `leave:${r.code}:submitted:`;
    const seen = await anySentByKeyPrefix(trx, wrong);
    await withdrawPendingByKeyPrefix(trx, wrong, '代表更正了请假的会议');
    const subject = `${one.name}（${sessionSpan(one)}）`;
    await tellDecidersOfNew(
      deps,
      trx,
      { ...r, session_id: one.id, deciding_body_label: route.label },
      {
        deputyName: r.deputy_name,
        congressName: r.congress_name,
        subject,
        route,
        moved: { from: seen ? first : null, key: `m${one.id}t${now.getTime()}` },
      },
    );
    await recordDutyEvent(trx, {
      mandateId: r.mandate_id,
      occurredOn: input.today,
      kind: 'leave.corrected',
      summary: `请假更正为${one.name}（原写${first}，事由：${r.reason}），由${route.label}决定`,
      ref: r.code,
      enteredByStaff: false,
    });
    return {
      ok: true,
      code: r.code,
      text:
        `好的，已把请假 ${r.code} 改为：${subject}，事由：${r.reason}。（原写的是${first}）\n` +
        `${route.explanation}。请假单已按新的会议重新生成，提交${route.label}；作出决定后，会第一时间通知您。`,
    };
  });
}

/** None or several sessions fit the words: which one, a button each (the request is not changed yet). */
function whichMeeting(
  code: string,
  said: string,
  offered: SessionRow[],
): { text: string; buttons?: ReplyButton[] } {
  const list = offered.slice(0, 5);
  if (list.length === 0)
    return {
      text: `没有找到与“${said}”相符的其他会议，请假 ${code} 没有改动。要为活动请假，请发“请假 活动编号 事由”；原来的请假如需撤销，请告诉代表工作机构。`,
    };
  return {
    text: `请假 ${code} 要改成哪个会议？\n${list.map((s, i) => `${i + 1}. ${s.name}（${sessionSpan(s)}）`).join('\n')}\n请点选，或回复“不对，是会议名称”。`,
    buttons: list.map((s) => ({ label: s.name, command: `不对，是${s.name}` })),
  };
}

/**
 * "不对，不批准" just after 批准: a decision recorded (and told to the deputy) is not changed in chat; what
 * the approver is told, or null when the request is still open or is the sender's own.
 */
export async function decisionKept(
  deps: Pick<Deps, 'db'>,
  code: string,
  personId: number,
): Promise<string | null> {
  const r = await findLeaveByCode(deps.db, code);
  if (!r || r.person_id === personId || r.status === 'pending') return null;
  return `${r.code}（${r.deputy_name}）已记录为“${STATUS_TEXT[r.status]}”，代表本人已收到通知，聊天中不能更改已记录的决定。如记录有误，请与代表工作机构核实后更正，并告知代表本人。`;
}
