import type { Db } from '../../../db/client.ts';
import type { MandateStatus } from '../../../db/schema.ts';
import type { Clock } from '../../clock.ts';
import { enqueueToPerson } from '../../messaging/outbox.ts';
import { noticeTime, staffOf } from '../congresses/index.ts';

// 山西 第四十五条 (S16): 代表被暂时停止执行代表职务或者恢复其执行代表职务的，通知代表本人、代表原选举单位以及
// 代表本人所在的工作单位. The deputy is told by deputy-status.ts; this tells the electoral unit's contact (a
// staff member on the roster with the same 选举单位) and the congress's staff, who also notify the employer in
// writing (employers are not on our channels). A termination (第四十六条) is told to the same people.

const LABEL: Record<MandateStatus, string> = {
  active: '正常',
  suspended: '暂停执行代表职务',
  terminated: '代表资格终止',
};

export async function notifyStatusChange(
  trx: Db,
  clock: Clock,
  timeZone: string,
  change: { mandateId: number; changeId: number; from: MandateStatus; to: MandateStatus; reason: string },
): Promise<number> {
  const m = await trx
    .selectFrom('mandates as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .innerJoin('congresses as c', 'c.id', 'm.congress_id')
    .select(['m.congress_id', 'm.electoral_unit', 'm.person_id', 'p.name', 'c.name as congress'])
    .where('m.id', '=', change.mandateId)
    .executeTakeFirst();
  if (!m) return 0;
  const notBefore = await noticeTime(trx, clock, timeZone);
  const unit = m.electoral_unit ? `（选举单位：${m.electoral_unit}）` : '';
  const head = `【代表职务状态变更】${m.congress}代表${m.name}${unit}的代表职务状态由「${LABEL[change.from]}」变更为「${LABEL[change.to]}」。原因：${change.reason}`;
  const contacts = m.electoral_unit
    ? (
        await trx
          .selectFrom('mandates')
          .select('person_id')
          .distinct()
          .where('congress_id', '=', m.congress_id)
          .where('electoral_unit', '=', m.electoral_unit)
          .where('role', 'in', ['staff', 'approver', 'admin'])
          .where('status', '=', 'active')
          .execute()
      ).map((r) => r.person_id)
    : [];
  const staff = await staffOf(trx, m.congress_id);
  let n = 0;
  const article = change.to === 'terminated' ? '山西 第四十六条' : '山西 第四十五条';
  for (const p of new Set([...contacts, ...staff])) {
    if (p === m.person_id) continue;
    const role = contacts.includes(p)
      ? `依照${article}，特此通知原选举单位。`
      : `依照${article}，请书面通知代表所在的工作单位${m.electoral_unit ? '和原选举单位' : ''}。`;
    n += await enqueueToPerson(
      trx,
      p,
      { text: `${head}\n${role}` },
      {
        idempotencyKey: `mandate-status:${change.changeId}:notice:p${p}`,
        cause: `mandate:${change.mandateId}:status:${change.to}`,
        notBefore,
      },
    );
  }
  return n;
}
