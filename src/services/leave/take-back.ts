import {
  findLeaveByCode,
  type LeaveDetail,
  LIVE_LEAVE_STATUSES,
  listLeave,
  withdrawLeave,
} from '../../../db/repositories/leave.ts';
import { withdrawPendingByKeyPrefix } from '../../../db/repositories/outbox.ts';
import type { Deps } from '../../deps.ts';
import type { ReplyButton } from '../../messaging/index.ts';
import { dateAt } from '../../statute/calendar-date.ts';
import { monthDayText } from '../../statute/date-text.ts';
import { staffOf } from '../congresses/index.ts';
import { recordDutyEvent } from '../duty-record/index.ts';
import { decidersOf } from './organisers.ts';
import { tellPeople } from './requests.ts';
import { phaseOf } from './routing.ts';

// 山西 第八条 (S5): leave from a session is asked because the deputy cannot attend it (因故不能出席); a deputy
// who can come after all withdraws it and attends, as 山西 第四条(四) (按时出席) asks. Only before the session
// opens: once it sits, who is present is the session's own record. A withdrawn request is no approved leave,
// so an absence from that session counts under 山西 第四十六条(三) (S6), and the deputy is told so. The
// congress's staff, and whoever records the decision, hear of it; a notice of the request not yet sent is
// not sent. A leave from an activity is closed by answering 参加 to it (大同 第十一条, S4).

type LeaveDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

/** What the deputy is told when they have no leave of a meeting ahead. */
export const NO_LEAVE_AHEAD_TEXT =
  '您没有待参加会议的请假记录。会议按通知按时参加即可，不用另外办理；发“查询”可查看您的请假记录。';

/** What a deputy's words of being able to come after all lead to: a question to ask, or an answer. */
export type TakeBackOffer = { ask: { code: string; question: string } } | TakeBackAnswer;

/** What is said instead of asking. */
export interface TakeBackAnswer {
  text: string;
  buttons?: ReplyButton[];
}

/** `12月25日 市十六届人大五次会议`: the meeting a request is for, as the deputy and staff read it. */
function subjectOf(r: LeaveDetail, timeZone: string): string {
  if (r.session_id !== null) return `${monthDayText(r.session_starts_on!)} ${r.session_name}`;
  const day = r.activity_starts_at
    ? `${monthDayText(dateAt(new Date(r.activity_starts_at), timeZone))} `
    : '';
  return `${day}${r.activity_title ?? r.activity_code ?? ''}`;
}

/** Where a session request's meeting stands today; an activity's is not asked here. */
const sessionPhase = (r: LeaveDetail, today: string) =>
  phaseOf(today, r.session_starts_on!, r.session_ends_on!);

/** Why the request cannot be withdrawn in chat now (null: it can), said plainly. */
function refusalOf(r: LeaveDetail, today: string, timeZone: string): TakeBackAnswer | null {
  const subject = subjectOf(r, timeZone);
  if (r.activity_id !== null) {
    const attend = `参加 ${r.activity_code ?? ''}`.trim();
    return {
      text: `请假 ${r.code} 是对活动 ${subject} 的请假。能参加的话，请发“${attend}”，组织单位会收到通知。`,
      buttons: [{ label: '参加', command: attend }],
    };
  }
  if (r.status === 'withdrawn') return { text: `请假 ${r.code}（${subject}）已经撤回，请按时参加。` };
  if (r.status === 'rejected')
    return { text: `请假 ${r.code}（${subject}）没有批准，不用撤回，请按时参加。` };
  const phase = sessionPhase(r, today);
  if (phase === 'ended') return { text: `${subject} 已经结束，请假 ${r.code} 不能再撤回。` };
  if (phase === 'during')
    return {
      text: `${subject} 已经开始，请假 ${r.code} 不能在这里撤回。能到会的话，请直接到会并告诉代表工作机构，由会务记录出席。`,
    };
  return null;
}

const question = (subject: string) => `您要撤回 ${subject} 的请假、改为按时参加吗？`;

/**
 * The deputy's words of coming after all ("我出差回来了 能去了", "撤回 QJ-…"): the request meant — the code
 * named, else the one talked about last, else the only one of a meeting ahead — asked about before anything
 * changes; several are listed to choose from; none, or a meeting under way, said plainly. Changes nothing.
 */
export async function takeBackOffer(
  deps: LeaveDeps,
  input: { personId: number; today: string; code?: string | undefined; last?: string | undefined },
): Promise<TakeBackOffer> {
  const tz = deps.config.timezone;
  const ask = (r: LeaveDetail): TakeBackOffer =>
    refusalOf(r, input.today, tz) ?? { ask: { code: r.code, question: question(subjectOf(r, tz)) } };
  if (input.code !== undefined) {
    const r = await findLeaveByCode(deps.db, input.code);
    return r && r.person_id === input.personId ? ask(r) : { text: `没有找到您的请假 ${input.code}。` };
  }
  const live = (await listLeave(deps.db, { personId: input.personId })).filter((r) =>
    LIVE_LEAVE_STATUSES.includes(r.status),
  );
  const ahead = live.filter((r) => r.session_id !== null && sessionPhase(r, input.today) === 'before');
  const meant = ahead.find((r) => r.code === input.last) ?? (ahead.length === 1 ? ahead[0] : undefined);
  if (meant) return ask(meant);
  if (ahead.length > 1) {
    const list = ahead.slice(0, 6);
    return {
      text: `您有几项会议的请假：\n${list.map((r, i) => `${i + 1}. ${subjectOf(r, tz)}（${r.code}）`).join('\n')}\n要撤回哪一项？请点选。`,
      buttons: list.map((r) => ({ label: subjectOf(r, tz), command: `撤回 ${r.code}` })),
    };
  }
  // A session under way, or an activity: what applies to it.
  const other =
    live.find((r) => r.session_id !== null && sessionPhase(r, input.today) === 'during') ??
    live.find((r) => r.code === input.last && r.activity_id !== null);
  return (other && refusalOf(other, input.today, tz)) ?? { text: NO_LEAVE_AHEAD_TEXT };
}

/**
 * 是 to takeBackOffer's question: the request withdrawn, its notice not yet sent withheld, a duty event
 * written, and the congress's staff (with whoever records the decision) told the deputy will attend.
 */
export async function takeBackLeave(
  deps: LeaveDeps,
  input: { personId: number; code: string; today: string },
): Promise<{ ok: boolean; text: string }> {
  const tz = deps.config.timezone;
  return deps.db.transaction().execute(async (trx) => {
    const r = await findLeaveByCode(trx, input.code, true);
    if (!r || r.person_id !== input.personId) return { ok: false, text: `没有找到您的请假 ${input.code}。` };
    const refused = refusalOf(r, input.today, tz);
    if (refused) return { ok: false, text: refused.text };
    const subject = subjectOf(r, tz);
    const withdrawn = await withdrawLeave(trx, r.id, {
      why: '代表能按时参加，撤回请假',
      by: `person:${input.personId}`,
      at: deps.clock.now(),
      from: LIVE_LEAVE_STATUSES,
    });
    if (!withdrawn)
      return { ok: false, text: `请假 ${r.code} 刚刚有了变化，没有撤回。发“查询 ${r.code}”可查看。` };
    await withdrawPendingByKeyPrefix(trx, `leave:${r.code}:submitted:`, '代表撤回了请假');
    await recordDutyEvent(trx, {
      mandateId: r.mandate_id,
      occurredOn: input.today,
      kind: 'leave.withdrawn',
      summary: `撤回${r.session_name ?? ''}的请假，按时参加`,
      ref: r.code,
    });
    const forwarded =
      r.status === 'forwarded' ? `请假单已转呈${r.deciding_body_label}，请告知其代表将按时出席。` : '';
    const undecided = r.status === 'pending' ? '这项请假无需再决定。' : '';
    const staff = new Set([...(await staffOf(trx, r.congress_id)), ...(await decidersOf(trx, r))]);
    await tellPeople(trx, [...staff], `leave:${r.code}:taken_back`, {
      text: `【请假撤回】${r.code}：${r.deputy_name} 代表撤回了 ${subject} 的请假，将按时参加。${undecided}${forwarded}`,
    });
    return {
      ok: true,
      text: `好的，已撤回您对 ${subject} 的请假 ${r.code}，请按时参加；代表工作机构已收到通知。撤回后如不出席，按未经批准不出席计（山西 第四十六条(三)）。`,
    };
  });
}
