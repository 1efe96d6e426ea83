import { findCongressById } from '../../../db/repositories/congresses.ts';
import { hasApprovedLeave } from '../../../db/repositories/leave.ts';
import { findSeatByChatId } from '../../../db/repositories/people.ts';
import { countUnexcusedAbsences, findSession, insertAbsence } from '../../../db/repositories/sessions.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { enqueueToPerson } from '../../messaging/index.ts';
import { formatDate } from '../../statute/date-text.ts';
import { noticeTime, staffOf } from '../congresses/index.ts';
import { recordDutyEvent } from '../duty-record/index.ts';

// 山西 第四十六条(三) (S6): 未经批准两次不出席本级人民代表大会会议的，代表资格终止. Absences without approved
// leave are counted per mandate (one seat in one congress = one term). After the first, the deputy and
// staff are warned that a second ends the mandate; the bot never declares it (that has its own procedure).

export interface AbsenceResult {
  userid: string;
  name: string;
  excused: boolean;
  /** Absences without approved leave from this congress's sessions in this term, this one included. */
  unexcusedInTerm: number;
  alreadyRecorded: boolean;
}

export async function recordAbsences(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { sessionId: number; userids: string[]; actor: string; tokenCongressId: number | null },
): Promise<AbsenceResult[]> {
  const session = await findSession(deps.db, input.sessionId);
  if (!session || (input.tokenCongressId !== null && input.tokenCongressId !== session.congress_id)) {
    throw new AppError('not_found', `没有编号为 ${input.sessionId} 的会议`);
  }
  // Every id must name a deputy of this congress, or nothing is recorded.
  const seats: { userid: string; mandateId: number; personId: number; name: string }[] = [];
  const unknown: string[] = [];
  for (const userid of [...new Set(input.userids.map((u) => u.trim()))]) {
    // One seat per person and congress (mandates_person_congress_uq): only a deputy's counts.
    const row = await findSeatByChatId(deps.db, session.congress_id, userid);
    if (row && row.role === 'deputy')
      seats.push({ userid, mandateId: row.mandateId, personId: row.personId, name: row.name });
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
      const fresh = await insertAbsence(trx, {
        sessionId: session.id,
        mandateId: s.mandateId,
        excused,
        by: input.actor,
        at: now,
      });
      const count = await countUnexcusedAbsences(trx, s.mandateId);
      out.push({ userid: s.userid, name: s.name, excused, unexcusedInTerm: count, alreadyRecorded: !fresh });
      if (!fresh) continue;
      await recordDutyEvent(trx, {
        mandateId: s.mandateId,
        occurredOn: session.starts_on,
        kind: excused ? 'session.absent_excused' : 'session.absent',
        summary: `${session.name}（${formatDate(session.starts_on)}）缺席${excused ? '（已请假获批）' : '（未经批准）'}`,
      });
      if (excused) continue;
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
          {
            idempotencyKey: `absence:${session.id}:m${s.mandateId}:warn`,
            cause: `absence:${session.id}`,
            notBefore,
          },
        );
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
