import type { Db } from '../../../db/client.ts';
import { findCongressById } from '../../../db/repositories/congresses.ts';
import { hasApprovedLeave } from '../../../db/repositories/leave.ts';
import { withdrawPendingByKeyPrefix } from '../../../db/repositories/outbox.ts';
import { findSeatByChatId } from '../../../db/repositories/people.ts';
import {
  countUnexcusedAbsences,
  findAbsence,
  findSession,
  insertAbsence,
  markAbsenceWarning,
  setAbsenceExcused,
} from '../../../db/repositories/sessions.ts';
import type { MandateStatus } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { enqueueToPerson } from '../../messaging/index.ts';
import { formatDate } from '../../statute/date-text.ts';
import { noticeTime, staffOf } from '../congresses/index.ts';
import { recordDutyEvent } from '../duty-record/index.ts';

// 山西 第四十六条(三) (S6): 未经批准两次不出席本级人民代表大会会议的，代表资格终止. Absences without approved
// leave are counted per mandate (one seat in one congress = one term). After the first, the deputy and
// staff are warned that a second ends the mandate; the bot never declares it (that has its own procedure).
// Only an active mandate is counted and warned (a suspended deputy does not execute the office, 山西 第四十五条);
// whether an absence is excused follows the leave decision whenever it comes (applyLeaveToAbsence).

export interface AbsenceResult {
  userid: string;
  name: string;
  excused: boolean;
  /** Absences without approved leave from this congress's sessions in this term, this one included. */
  unexcusedInTerm: number;
  alreadyRecorded: boolean;
  /** False when the mandate was not active: recorded, neither counted nor warned. */
  counted: boolean;
}

const NOT_COUNTED: Record<Exclude<MandateStatus, 'active'>, string> = {
  suspended: '代表暂时停止执行代表职务期间',
  terminated: '代表资格已终止',
};

const warningKey = (sessionId: number, mandateId: number) => `absence:${sessionId}:m${mandateId}:warn`;

export async function recordAbsences(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { sessionId: number; userids: string[]; actor: string; tokenCongressId: number | null },
): Promise<AbsenceResult[]> {
  const session = await findSession(deps.db, input.sessionId);
  if (!session || (input.tokenCongressId !== null && input.tokenCongressId !== session.congress_id)) {
    throw new AppError('not_found', `没有编号为 ${input.sessionId} 的会议`);
  }
  // Every id must name a deputy of this congress, or nothing is recorded.
  const seats: {
    userid: string;
    mandateId: number;
    personId: number;
    name: string;
    status: MandateStatus;
  }[] = [];
  const unknown: string[] = [];
  for (const userid of [...new Set(input.userids.map((u) => u.trim()))]) {
    // One seat per person and congress (mandates_person_congress_uq): only a deputy's counts.
    const row = await findSeatByChatId(deps.db, session.congress_id, userid);
    if (row && row.role === 'deputy')
      seats.push({
        userid,
        mandateId: row.mandateId,
        personId: row.personId,
        name: row.name,
        status: row.status,
      });
    else unknown.push(userid);
  }
  if (unknown.length > 0) {
    throw new AppError('invalid_body', `以下账号不是本次会议所属人大的代表：${unknown.join('、')}`, {
      unknown,
    });
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const notBefore = await noticeTime(trx, deps.clock, deps.config.timezone);
    const staff = await staffOf(trx, session.congress_id);
    const congress = await findCongressById(trx, session.congress_id);
    if (!congress) throw new Error(`congress ${session.congress_id} not found`);
    const out: AbsenceResult[] = [];
    for (const s of seats) {
      const excused = await hasApprovedLeave(trx, s.mandateId, session.id);
      const notCounted = s.status === 'active' ? null : NOT_COUNTED[s.status];
      const fresh = await insertAbsence(trx, {
        sessionId: session.id,
        mandateId: s.mandateId,
        excused,
        notCountedReason: notCounted,
        by: input.actor,
        at: now,
      });
      const absence = await findAbsence(trx, session.id, s.mandateId);
      const counted = absence?.not_counted_reason == null;
      const count = await countUnexcusedAbsences(trx, s.mandateId);
      out.push({
        userid: s.userid,
        name: s.name,
        excused: absence?.excused ?? excused,
        unexcusedInTerm: count,
        alreadyRecorded: !fresh,
        counted,
      });
      if (!fresh || !absence) continue;
      await recordDutyEvent(trx, {
        mandateId: s.mandateId,
        occurredOn: session.starts_on,
        kind: excused ? 'session.absent_excused' : 'session.absent',
        summary: `${session.name}（${formatDate(session.starts_on)}）缺席${excused ? '（已请假获批）' : notCounted ? `（${notCounted}，不计入）` : '（未经批准）'}`,
      });
      if (excused || !counted) continue;
      if (count === 1) {
        await enqueueToPerson(
          trx,
          s.personId,
          {
            text:
              `【缺席提醒】您未经批准没有出席${congress.name}${session.name}（${formatDate(session.starts_on)}）。` +
              '依照山西 第四十六条(三)，未经批准两次不出席本级人民代表大会会议的，代表资格终止。' +
              '今后如因健康等特殊原因不能出席，请事先发“请假 会议名称 事由”办理请假。',
          },
          { idempotencyKey: warningKey(session.id, s.mandateId), cause: `absence:${session.id}`, notBefore },
        );
        await markAbsenceWarning(trx, absence.id, { warnedAt: now });
      }
      // Staff hear of every unexcused absence; from the second on, what the article says applies.
      const staffText =
        count === 1
          ? `【缺席提醒】代表${s.name}未经批准没有出席${session.name}（${formatDate(session.starts_on)}），为本届第一次。依照山西 第四十六条(三)，再有一次未经批准不出席，代表资格终止。已提醒代表本人。`
          : `【缺席提醒】代表${s.name}未经批准没有出席${session.name}（${formatDate(session.starts_on)}），本届已累计 ${count} 次。依照山西 第四十六条(三)，请按规定程序核实处理；本服务不变更其代表资格。`;
      for (const p of staff) {
        await enqueueToPerson(
          trx,
          p,
          { text: staffText },
          {
            idempotencyKey: `absence:${session.id}:m${s.mandateId}:staff:p${p}`,
            cause: `absence:${session.id}`,
            notBefore,
          },
        );
      }
    }
    return out;
  });
}

/**
 * A leave decision recorded after the absence (a forwarded request's decision comes back late): the absence
 * is excused or not as decided. An approval that excuses an absence the deputy was warned of withdraws the
 * warning: the deputy and staff are told.
 */
export async function applyLeaveToAbsence(
  deps: Pick<Deps, 'clock' | 'config'>,
  trx: Db,
  r: {
    code: string;
    session_id: number | null;
    session_name: string | null;
    session_starts_on: string | null;
    mandate_id: number;
    person_id: number;
    deputy_name: string;
    congress_id: number;
    deciding_body_label: string;
  },
  decision: { approved: boolean; decidedOn: string },
): Promise<void> {
  if (r.session_id === null) return;
  const absence = await findAbsence(trx, r.session_id, r.mandate_id);
  if (!absence || absence.excused === decision.approved) return;
  await setAbsenceExcused(trx, absence.id, decision.approved);
  const when = r.session_starts_on ? `（${formatDate(r.session_starts_on)}）` : '';
  await recordDutyEvent(trx, {
    mandateId: r.mandate_id,
    occurredOn: decision.decidedOn,
    kind: decision.approved ? 'session.absence_excused' : 'session.absence_unexcused',
    summary: `${r.session_name ?? ''}${when}缺席，经${r.deciding_body_label}${decision.approved ? '批准请假，不计入' : '不批准请假'}`,
    ref: r.code,
  });
  if (!decision.approved || absence.warned_at === null || absence.warning_withdrawn_at !== null) return;
  const now = deps.clock.now();
  await withdrawPendingByKeyPrefix(trx, warningKey(r.session_id, r.mandate_id), '请假已获批准，缺席提醒撤回');
  await markAbsenceWarning(trx, absence.id, { withdrawnAt: now });
  const count = await countUnexcusedAbsences(trx, r.mandate_id);
  const notBefore = await noticeTime(trx, deps.clock, deps.config.timezone);
  const left = count === 0 ? '本届目前没有未经批准的缺席。' : `本届仍有 ${count} 次未经批准的缺席。`;
  await enqueueToPerson(
    trx,
    r.person_id,
    {
      text: `【撤回缺席提醒】您就${r.session_name ?? ''}${when}的请假 ${r.code} 已经${r.deciding_body_label}于 ${formatDate(decision.decidedOn)} 批准，此次缺席不计入山西 第四十六条(三)所称未经批准不出席，此前的缺席提醒撤回。${left}`,
    },
    {
      idempotencyKey: `${warningKey(r.session_id, r.mandate_id)}:withdrawn`,
      cause: `leave:${r.code}`,
      notBefore,
    },
  );
  for (const p of await staffOf(trx, r.congress_id)) {
    await enqueueToPerson(
      trx,
      p,
      {
        text: `【撤回缺席提醒】代表${r.deputy_name}${r.session_name ?? ''}${when}的缺席，请假 ${r.code} 已经${r.deciding_body_label}批准，不再计入；已告知代表本人。${left}`,
      },
      {
        idempotencyKey: `${warningKey(r.session_id, r.mandate_id)}:withdrawn:staff:p${p}`,
        cause: `leave:${r.code}`,
        notBefore,
      },
    );
  }
}
