import type { Db } from '../../../db/client.ts';
import type { AuditSource } from '../../../db/repositories/audit.ts';
import { hasLiveCongressBelowProvince } from '../../../db/repositories/congresses.ts';
import {
  findLeaveByCode,
  findOpenLeave,
  insertLeaveRequest,
  type LeaveDetail,
  type LeaveRequestRow,
  listLeave,
  recordLeaveDecision,
  withdrawLeave,
} from '../../../db/repositories/leave.ts';
import { withdrawPendingByKeyPrefix } from '../../../db/repositories/outbox.ts';
import {
  findPeopleOfCongressByReference,
  findPersonName,
  listLiveDeputySeats,
} from '../../../db/repositories/people.ts';
import { listOpenSessions, type SessionRow } from '../../../db/repositories/sessions.ts';
import type { CongressLevel, LeaveStatus } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { enqueueToPerson, type ReplyButton } from '../../messaging/index.ts';
import { formatDate } from '../../statute/date-text.ts';
import { approversOf, isApproverOf, noticeTime, staffOf } from '../congresses/index.ts';
import { recordDutyEvent } from '../duty-record/index.ts';
import { nextCode } from '../items/index.ts';
import { applyLeaveToAbsence } from './absences.ts';
import { auditLeaveChange, auditLeaveEntry, type LeaveAction } from './audit.ts';
import { type MeetingCandidate, matchSessions } from './meeting-match.ts';
import { deciderLabel, decidersOf, decidingOrganisers, organisersOf } from './organisers.ts';
import { plainReason } from './reasons.ts';
import { type LeaveRoute, phaseOf, routeSessionLeave } from './routing.ts';
import { enteredForYouText, STATUS_TEXT, WITHDRAWN_TEXT } from './text.ts';

// 山西 第八条 (S5): a deputy's leave from a session, routed to the body that decides it, with the written
// request (请假单) prepared; the decision recorded by an approver with that body and the date it decided.

type LeaveDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

export interface Outcome {
  ok: boolean;
  text: string;
  buttons?: ReplyButton[];
  code?: string;
}

/** The person's active deputy seats in current congresses. */
export async function deputySeats(db: Db, personId: number) {
  return (await listLiveDeputySeats(db, personId)).map((s) => ({
    mandateId: s.mandateId,
    congressId: s.congressId,
    congressName: s.congressName,
    level: s.level,
  }));
}

/** Whether this office also runs a congress below the provincial level (a provincial deputy on a city roster). */
const runsLowerCongress = (db: Db): Promise<boolean> => hasLiveCongressBelowProvince(db);

export const sessionSpan = (s: { starts_on: string; ends_on: string }) =>
  s.starts_on === s.ends_on
    ? formatDate(s.starts_on)
    : `${formatDate(s.starts_on)}至${formatDate(s.ends_on)}`;

export interface SubmitInput {
  personId: number;
  meetingName: string;
  reason: string;
  today: string;
  /** 代录: who entered it on the deputy's behalf (an actor string), or null for the deputy's own. */
  enteredBy: string | null;
  /** The session already chosen (matched by the caller among sessions and activities). */
  sessionId?: number | undefined;
  /** 代录: where it came from, for its audit row ('leave.proxy'). */
  audit?: AuditSource | undefined;
}

/** The sessions a deputy may ask leave from, as leave candidates (山西 第八条); one congress when named. */
export async function sessionMeetings(
  deps: LeaveDeps,
  input: { personId: number; today: string; congressId?: number | undefined },
): Promise<MeetingCandidate[]> {
  const seats = (await deputySeats(deps.db, input.personId)).filter(
    (s) => input.congressId === undefined || s.congressId === input.congressId,
  );
  const sessions = await listOpenSessions(
    deps.db,
    seats.map((s) => s.congressId),
    input.today,
  );
  return sessions.map((s) => ({
    ref: `session:${s.id}`,
    name: s.name,
    kind: 'session' as const,
    congressLevel: seats.find((x) => x.congressId === s.congress_id)!.level,
    startsOn: s.starts_on,
    endsOn: s.ends_on,
  }));
}

/** `请假 <会议> <事由>` for a session: matched, routed, stored, the form prepared, approvers told. */
export async function submitSessionLeave(deps: LeaveDeps, input: SubmitInput): Promise<Outcome> {
  const reason = plainReason(input.reason);
  if (reason === '') return { ok: false, text: '请写明请假事由。' };
  if (reason.length > 500) return { ok: false, text: '请假事由请控制在500字以内。' };
  const seats = await deputySeats(deps.db, input.personId);
  if (seats.length === 0) return { ok: false, text: '您目前没有可以请假的代表职务。' };
  const sessions = await listOpenSessions(
    deps.db,
    seats.map((s) => s.congressId),
    input.today,
  );
  const matches =
    input.sessionId !== undefined
      ? sessions.filter((s) => s.id === input.sessionId)
      : matchSessions(input.meetingName, sessions, input.today);
  const retry = (s: SessionRow): ReplyButton => ({ label: s.name, command: `请假 ${s.name} ${reason}` });
  if (matches.length === 0) {
    const list = sessions.slice(0, 5);
    return {
      ok: false,
      text:
        `没有找到与“${input.meetingName}”相符的会议，未提交请假。` +
        (list.length > 0
          ? `\n近期的会议有：\n${list.map((s, i) => `${i + 1}. ${s.name}（${sessionSpan(s)}）`).join('\n')}\n请发“请假 会议名称 事由”。`
          : '\n目前没有登记待开的会议；活动请假请发“请假 活动编号 事由”。'),
      ...(list.length > 0 ? { buttons: list.map(retry) } : {}),
    };
  }
  if (matches.length > 1) {
    const list = matches.slice(0, 6);
    return {
      ok: false,
      text: `“${input.meetingName}”可能是以下会议，请问是哪一个？\n${list
        .map((s, i) => `${i + 1}. ${s.name}（${sessionSpan(s)}）`)
        .join('\n')}\n请发“请假 会议名称 事由”，或点选。`,
      buttons: list.map(retry),
    };
  }
  const session = matches[0]!;
  const seat = seats.find((s) => s.congressId === session.congress_id)!;
  const phase = phaseOf(input.today, session.starts_on, session.ends_on);
  if (phase === 'ended') return { ok: false, text: `${session.name}已经结束，不能再请假。` };
  const forward = seat.level === 'province' && (await runsLowerCongress(deps.db));
  const route = routeSessionLeave(seat.level as CongressLevel, phase, { forwardToProvince: forward });
  const now = deps.clock.now();

  return deps.db.transaction().execute(async (trx) => {
    const open = await findOpenLeave(trx, seat.mandateId, { sessionId: session.id });
    if (open) {
      const who = input.enteredBy !== null ? '这位代表' : '您';
      return {
        ok: false,
        text: `${who}已就${session.name}提交过请假 ${open.code}（${STATUS_TEXT[open.status]}），无需重复提交。`,
        code: open.code,
      };
    }
    const code = await nextCode(trx, 'QJ', Number(input.today.slice(0, 4)));
    const row = await insertLeaveRequest(trx, {
      code,
      congressId: seat.congressId,
      mandateId: seat.mandateId,
      sessionId: session.id,
      activityId: null,
      reason,
      phase,
      decidingBody: route.body,
      decidingBodyLabel: route.label,
      status: route.status,
      submittedOn: input.today,
      enteredBy: input.enteredBy,
      at: now,
    });
    await auditLeaveEntry(trx, { actor: input.enteredBy, audit: input.audit }, row);
    await recordDutyEvent(trx, {
      mandateId: seat.mandateId,
      occurredOn: input.today,
      kind: 'leave.requested',
      summary: `就${session.name}请假（${reason}），由${route.label}${route.status === 'forwarded' ? '决定，已转呈' : '决定'}`,
      ref: code,
      enteredByStaff: input.enteredBy !== null,
    });
    await tellDecidersOfNew(deps, trx, row, {
      deputyName: await personName(trx, input.personId),
      congressName: seat.congressName,
      subject: `${session.name}（${sessionSpan(session)}）`,
      route,
    });
    const entered = input.enteredBy !== null;
    const proxy = entered ? '（工作人员代录）' : '';
    if (entered) {
      await tellDeputyOfEntry(trx, input.personId, {
        code,
        subject: `${session.name}（${sessionSpan(session)}）`,
        reason,
        decider: route.label,
      });
    }
    const whom = entered ? '代表本人' : '您';
    const next =
      route.status === 'forwarded'
        ? `工作人员会将请假单报送${route.label}，其决定送回后会记录并通知${whom}。`
        : `${route.label}作出决定后，会第一时间通知${whom}。`;
    return {
      ok: true,
      code,
      text:
        `已提交请假 ${code}${proxy}：${session.name}（${sessionSpan(session)}），事由：${reason}。\n` +
        `${route.explanation}。\n书面请假单（请假单）已生成，提交${route.label}。${next}`,
    };
  });
}

const personName = (db: Db, personId: number): Promise<string> => findPersonName(db, personId);

/** 代录: the deputy learns of the request made in their name now, not only of its decision. */
export async function tellDeputyOfEntry(
  trx: Db,
  personId: number,
  what: { code: string; subject: string; reason: string; decider: string },
): Promise<void> {
  await enqueueToPerson(
    trx,
    personId,
    { text: enteredForYouText(what) },
    { idempotencyKey: `leave:${what.code}:entered`, cause: `leave:${what.code}` },
  );
}

/**
 * Those who record the decision hear of a new request, with the two answers as buttons: for an activity,
 * its organiser when one of the congress's staff (大同 第十一条, S4), else the approvers (with the people
 * the organiser names); for a forwarded request, staff, who pass it on.
 */
export async function tellDecidersOfNew(
  deps: LeaveDeps,
  trx: Db,
  row: LeaveRequestRow,
  what: {
    deputyName: string;
    congressName: string;
    subject: string;
    route: LeaveRoute;
    /** An activity's organiser as written. */
    organiser?: string;
    /** A request moved to another meeting: what was first written, and a key of its own for the notice. */
    moved?: { from: string | null; key: string };
  },
): Promise<void> {
  const notBefore = await noticeTime(trx, deps.clock, deps.config.timezone);
  const head =
    `【请假申请】${row.code}\n代表：${what.deputyName}（${what.congressName}）\n` +
    `会议/活动：${what.subject}\n事由：${row.reason}\n决定机关：${what.route.label}` +
    (row.entered_by_staff ? '\n（工作人员代录）' : '') +
    (what.moved?.from
      ? `\n（代表更正了会议，原写的是${what.moved.from}；此前关于 ${row.code} 的通知作废）`
      : '');
  const submitted = what.moved ? `submitted:${what.moved.key}:` : 'submitted:';
  if (row.status === 'forwarded') {
    const text =
      `${head}\n该代表为省人大代表，请从「工作平台 → 请假」打印请假单 ${row.code}，转呈${what.route.label}，此处不作决定。` +
      `${what.route.label}的决定送回后，请在「工作平台 → 请假」记录送回的决定。`;
    for (const p of await staffOf(trx, row.congress_id)) {
      await enqueueToPerson(
        trx,
        p,
        { text },
        { idempotencyKey: `leave:${row.code}:forward:p${p}`, cause: `leave:${row.code}`, notBefore },
      );
    }
    return;
  }
  const organisers =
    what.organiser !== undefined ? await decidingOrganisers(trx, row.congress_id, what.organiser) : [];
  const answer = `“批准 ${row.code}”或“不批准 ${row.code} 理由”`;
  const text =
    organisers.length > 0
      ? `${head}\n依照大同 第十一条，活动请假由组织单位决定，这个活动由您组织。请决定后回复${answer}，代表本人会立即收到通知。`
      : `${head}\n请假单已生成。${what.route.label}作出决定后，请记录：${answer}。`;
  const buttons: ReplyButton[] = [
    { label: '批准', command: `批准 ${row.code}` },
    { label: '不批准', command: `不批准 ${row.code}` },
  ];
  const named =
    what.organiser !== undefined
      ? await findPeopleOfCongressByReference(trx, row.congress_id, [what.organiser])
      : [];
  const people =
    organisers.length > 0
      ? organisers
      : [...new Set([...(await approversOf(trx, row.congress_id)), ...named])];
  for (const p of people) {
    await enqueueToPerson(
      trx,
      p,
      { text, buttons },
      {
        idempotencyKey: `leave:${row.code}:${submitted}p${p}`,
        cause: `leave:${row.code}`,
        notBefore,
      },
    );
  }
}

export interface DecisionInput {
  code: string;
  decision: 'approved' | 'rejected';
  reason: string | null;
  /** The date the deciding body decided; default today. */
  decidedOn?: string | undefined;
  today: string;
  /** A person recording it by chat, or a token by the API (bound to a congress or not). */
  by: { personId: number } | { tokenCongressId: number | null };
  actor: string;
  /** Where it came from, for its audit row ('leave.decide'). */
  audit?: AuditSource | undefined;
}

export interface DecisionOutcome extends Outcome {
  status?: LeaveStatus;
  request?: LeaveDetail;
}

const decidedTooEarly = (submittedOn: string) =>
  `决定日期不能早于提出请假的日期（${formatDate(submittedOn)}）。`;

/** `批准` / `不批准`: records what the deciding body decided, and tells the deputy at once. */
export async function decideLeave(deps: LeaveDeps, input: DecisionInput): Promise<DecisionOutcome> {
  const decidedOn = input.decidedOn ?? input.today;
  if (decidedOn > input.today) return { ok: false, text: '决定日期不能晚于今天。' };
  const reason = input.reason?.trim() ?? '';
  if (input.decision === 'rejected' && reason === '')
    return { ok: false, text: '不批准须写明理由：不批准 QJ编号 理由。' };
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const r = await findLeaveByCode(trx, input.code, true);
    if (!r) return { ok: false, text: notFound(input.code) };
    const refused = await refusalOf(trx, r, input.by);
    if (refused !== null) return { ok: false, text: refused };
    if (decidedOn < r.submitted_on) return { ok: false, text: decidedTooEarly(r.submitted_on) };
    return applyDecision(deps, trx, r, { ...input, decidedOn, reason, now });
  });
}

/**
 * Why a decision on `code` cannot be recorded by `by` now (null: it can). Chat asks it before asking an
 * approver for the reason of a 不批准, so nobody writes a reason for a request already decided.
 */
export async function decisionRefusal(
  deps: LeaveDeps,
  code: string,
  by: DecisionInput['by'],
): Promise<string | null> {
  const r = await findLeaveByCode(deps.db, code);
  return r ? refusalOf(deps.db, r, by) : notFound(code);
}

const notFound = (code: string) => `没有找到请假 ${code}。`;

/** The requests awaiting a decision in these congresses, oldest first (批准 without a code lists them). */
export async function pendingLeaveOf(deps: Pick<LeaveDeps, 'db'>, congressIds: readonly number[]) {
  const rows = [];
  for (const congressId of congressIds)
    rows.push(...(await listLeave(deps.db, { status: 'pending', congressId })));
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * What awaits this person's decision, oldest first: every request of the congresses they record decisions
 * for (approver), and of the congresses they work for, the leave from activities they organise (大同
 * 第十一条, S4).
 */
export async function pendingLeaveFor(
  deps: Pick<LeaveDeps, 'db'>,
  who: { personId: number; approverOf: readonly number[]; staffOf: readonly number[] },
): Promise<LeaveDetail[]> {
  return (await pendingLeaveAndOthers(deps, who)).theirs;
}

/**
 * pendingLeaveFor, and how many other requests await a decision in the congresses they work for (decided
 * and recorded by others): 待办 counts them for staff who record no decisions, rather than hiding them.
 */
export async function pendingLeaveAndOthers(
  deps: Pick<LeaveDeps, 'db'>,
  who: { personId: number; approverOf: readonly number[]; staffOf: readonly number[] },
): Promise<{ theirs: LeaveDetail[]; others: number }> {
  const rows = await pendingLeaveOf(deps, who.approverOf);
  const seen = new Set(rows.map((r) => r.id));
  const organising = new Map<string, boolean>();
  const ofStaff = await pendingLeaveOf(deps, who.staffOf);
  for (const r of ofStaff) {
    if (r.deciding_body !== 'organiser' || r.activity_organiser === null) continue;
    const key = `${r.congress_id}:${r.activity_organiser}`;
    if (!organising.has(key)) organising.set(key, (await organisersOf(deps.db, r)).includes(who.personId));
    if (!organising.get(key) || seen.has(r.id)) continue;
    rows.push(r);
    seen.add(r.id);
  }
  return { theirs: rows.sort((a, b) => a.id - b.id), others: ofStaff.filter((r) => !seen.has(r.id)).length };
}

/** Why `by` cannot record a decision on the request `r` (null: they can). */
async function refusalOf(db: Db, r: LeaveDetail, by: DecisionInput['by']): Promise<string | null> {
  if ('personId' in by) {
    // 山西 第八条: the approvers record what the deciding body decided; 大同 第十一条: so does an activity's
    // organiser, for leave from it.
    const may =
      (await isApproverOf(db, by.personId, r.congress_id)) ||
      (await organisersOf(db, r)).includes(by.personId);
    if (!may) {
      return r.deciding_body === 'organiser'
        ? `${r.code} 由组织单位（${await deciderLabel(db, r)}）决定，由其或${r.congress_name}的请假审批记录人记录，您不能记录它的决定。`
        : `您不是${r.congress_name}的请假审批记录人，不能记录 ${r.code} 的决定。`;
    }
  } else if (by.tokenCongressId !== null && by.tokenCongressId !== r.congress_id) {
    return notFound(r.code);
  }
  if (r.withdrawn) return `${r.code} ${WITHDRAWN_TEXT}，无需决定。`;
  if (r.status === 'forwarded') {
    return `${r.code} 已转呈${r.deciding_body_label}，由其决定，此处不记录审批；其决定送回后，由工作人员记录送回的决定。`;
  }
  if (r.status !== 'pending') return alreadyDecidedText(r);
  return null;
}

const alreadyDecidedText = (r: LeaveDetail): string =>
  `${r.code} 已记录为“${STATUS_TEXT[r.status]}”（${r.decided_on ? formatDate(r.decided_on) : ''}），不能再改。`;

/** Records a decision, tells the deputy at once and lets the session absence (if any) follow it (S6). */
async function applyDecision(
  deps: LeaveDeps,
  trx: Db,
  r: LeaveDetail,
  d: {
    decision: 'approved' | 'rejected';
    decidedOn: string;
    reason: string;
    actor: string;
    now: Date;
    audit?: AuditSource | undefined;
  },
  action: Extract<LeaveAction, 'leave.decide' | 'leave.record_decision'> = 'leave.decide',
): Promise<DecisionOutcome> {
  const { decision, decidedOn, reason } = d;
  const decided = { status: decision, decided_on: decidedOn, decision_reason: reason === '' ? null : reason };
  await recordLeaveDecision(trx, r.id, {
    status: decision,
    decidedOn,
    reason: decided.decision_reason,
    by: d.actor,
    at: d.now,
  });
  await auditLeaveChange(trx, d, action, {
    id: r.id,
    before: r,
    after: { ...r, ...decided },
    detail: { decision, decidedOn, decidingBody: r.deciding_body },
  });
  const subject = r.session_name ?? r.activity_title ?? '';
  const verdict = decision === 'approved' ? '批准' : `不批准（理由：${reason}）`;
  const label = await deciderLabel(trx, r);
  // An activity's decision recorded by someone other than its organiser says who recorded it, and the
  // organiser hears that it is done.
  const organisers = await organisersOf(trx, r);
  const recorderId = Number(/^person:(\d+)$/.exec(d.actor)?.[1] ?? Number.NaN);
  const byOther = organisers.length > 0 && !organisers.includes(recorderId);
  const recorder = Number.isNaN(recorderId) ? '工作人员' : await personName(trx, recorderId);
  const recorded = byOther ? `（${recorder}记录）` : '';
  await recordDutyEvent(trx, {
    mandateId: r.mandate_id,
    occurredOn: decidedOn,
    kind: 'leave.decided',
    summary: `${subject}请假经${label}决定：${verdict}${recorded}`,
    ref: r.code,
  });
  // A decision on the deputy's own request goes out at once (CONTRACT §4). Only a session of the deputy's
  // own congress carries 山西 第四十六条(三); an activity (列席 included) is the organiser's business.
  const tail =
    decision === 'approved'
      ? '。'
      : r.session_id !== null
        ? '。请按时出席会议；未经批准不出席本级人民代表大会会议，依照山西 第四十六条(三)会计入缺席。'
        : '。如有疑问请与组织单位联系。';
  await enqueueToPerson(
    trx,
    r.person_id,
    {
      text: `【请假决定】您的请假 ${r.code}（${subject}）经${label}于 ${formatDate(decidedOn)} 决定：${verdict}${recorded}${tail}`,
    },
    { idempotencyKey: `leave:${r.code}:decided`, cause: `leave:${r.code}` },
  );
  if (byOther) {
    await tellPeople(trx, organisers, `leave:${r.code}:decided:organiser`, {
      text: `【请假决定已记录】${r.code}（${r.deputy_name}，${subject}）：${recorder}已记录经${label}于 ${formatDate(decidedOn)} 决定${verdict}，代表本人已收到通知，您无需再处理。`,
    });
  }
  await applyLeaveToAbsence(deps, trx, r, { approved: decision === 'approved', decidedOn });
  return {
    ok: true,
    code: r.code,
    status: decision,
    request: { ...r, status: decision, decided_on: decidedOn, decision_reason: reason || null },
    text: `已记录：${r.code}（${r.deputy_name}，${subject}）经${label}于 ${formatDate(decidedOn)} 决定${verdict}。已通知代表本人${byOther ? `和组织单位（${label}）` : ''}。`,
  };
}

/** One message to each of these people, keyed `key` and the person. */
export async function tellPeople(trx: Db, people: readonly number[], key: string, payload: { text: string }) {
  const cause = key.split(':').slice(0, 2).join(':');
  for (const p of people) await enqueueToPerson(trx, p, payload, { idempotencyKey: `${key}:p${p}`, cause });
}

/**
 * 大同 第十一条 (S4): the deputy answered 参加 to an activity they had asked leave from. A request still
 * awaiting a decision is withdrawn (its notices not yet sent are too), and whoever was to decide it is
 * told it needs no decision; an approved one stays, and they are told the deputy will come after all.
 * Returns the request and what became of it, or null when there was none.
 */
export async function leaveLapsedByAttendance(
  deps: Pick<LeaveDeps, 'clock'>,
  trx: Db,
  input: { mandateId: number; activityId: number; personId: number; today: string },
): Promise<{ code: string; withdrawn: boolean; decider: string } | null> {
  const open = await findOpenLeave(trx, input.mandateId, { activityId: input.activityId });
  if (!open || open.status === 'forwarded') return null;
  const r = (await findLeaveByCode(trx, open.code, true))!;
  const decider = await deciderLabel(trx, r);
  const subject = `${r.activity_code ?? ''} ${r.activity_title ?? ''}`.trim();
  const withdrawn = open.status === 'pending';
  if (withdrawn) {
    await withdrawLeave(trx, open.id, {
      why: '代表答复参加，请假撤销',
      by: `person:${input.personId}`,
      at: deps.clock.now(),
    });
    await withdrawPendingByKeyPrefix(trx, `leave:${r.code}:submitted:`, '代表答复参加，请假已撤销');
    await recordDutyEvent(trx, {
      mandateId: r.mandate_id,
      occurredOn: input.today,
      kind: 'leave.withdrawn',
      summary: `答复参加${r.activity_title ?? ''}，请假撤销`,
      ref: r.code,
    });
  }
  const text = withdrawn
    ? `【请假撤销】${r.code}（${r.deputy_name}，${subject}）：代表已答复参加，这项请假已撤销，无需再决定。`
    : `【改为参加】${r.code}（${r.deputy_name}，${subject}）：这项请假已批准，代表现答复参加该活动。`;
  await tellPeople(trx, await decidersOf(trx, r), `leave:${r.code}:attending`, { text });
  return { code: r.code, withdrawn, decider };
}

export interface ReturnedDecisionInput {
  code: string;
  decision: 'approved' | 'rejected';
  reason: string | null;
  /** The date the body that decided (省人大常委会主任会议 or the session's 秘书处) decided. */
  decidedOn: string;
  today: string;
  tokenCongressId: number | null;
  actor: string;
  /** Where it came from, for its audit row ('leave.record_decision'). */
  audit?: AuditSource | undefined;
}

/**
 * 山西 第八条 (S5): a forwarded request's decision, recorded by staff when it comes back, with the body that
 * decided it and the date. The deputy is told; an absence already recorded follows it (S6).
 */
export async function recordReturnedDecision(
  deps: LeaveDeps,
  input: ReturnedDecisionInput,
): Promise<DecisionOutcome> {
  if (input.decidedOn > input.today) return { ok: false, text: '决定日期不能晚于今天。' };
  const reason = input.reason?.trim() ?? '';
  if (input.decision === 'rejected' && reason === '')
    return { ok: false, text: '不批准须写明送回的理由（字段「reason」）。' };
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const r = await findLeaveByCode(trx, input.code, true);
    if (!r || (input.tokenCongressId !== null && input.tokenCongressId !== r.congress_id))
      return { ok: false, text: notFound(input.code) };
    if (r.status === 'pending')
      return {
        ok: false,
        text: `${r.code} 不是转呈的请假，由${r.deciding_body_label}决定后按“批准/不批准”记录。`,
      };
    if (r.status !== 'forwarded') return { ok: false, text: alreadyDecidedText(r) };
    if (input.decidedOn < r.submitted_on) return { ok: false, text: decidedTooEarly(r.submitted_on) };
    return applyDecision(deps, trx, r, { ...input, reason, now }, 'leave.record_decision');
  });
}
