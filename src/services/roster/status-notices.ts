import type { Db } from '../../../db/client.ts';
import { activePeopleWithRoles, findMandateWithNames } from '../../../db/repositories/mandates.ts';
import type { MandateStatus } from '../../../db/schema.ts';
import type { Clock } from '../../clock.ts';
import { enqueueToPerson } from '../../messaging/index.ts';
import { noticeTime, staffOf } from '../congresses/index.ts';
import { statusChangeNotice } from './text.ts';

// 山西 第四十五条 (S16): 代表被暂时停止执行代表职务或者恢复其执行代表职务的，通知代表本人、代表原选举单位以及
// 代表本人所在的工作单位. The deputy is told by deputy-status.ts; this tells the electoral unit's contact (a
// staff member on the roster with the same 选举单位) and the congress's staff, who also notify the employer in
// writing (employers are not on our channels). A termination (第四十六条) is told to the same people.

export async function notifyStatusChange(
  trx: Db,
  clock: Clock,
  timeZone: string,
  change: { mandateId: number; changeId: number; from: MandateStatus; to: MandateStatus; reason: string },
): Promise<number> {
  const m = await findMandateWithNames(trx, change.mandateId);
  if (!m) return 0;
  const notBefore = await noticeTime(trx, clock, timeZone);
  const contacts = m.electoral_unit
    ? await activePeopleWithRoles(trx, m.congress_id, ['staff', 'approver', 'admin'], m.electoral_unit)
    : [];
  const staff = await staffOf(trx, m.congress_id);
  let n = 0;
  for (const p of new Set([...contacts, ...staff])) {
    if (p === m.person_id) continue;
    n += await enqueueToPerson(
      trx,
      p,
      { text: statusChangeNotice(m, change, contacts.includes(p)) },
      {
        idempotencyKey: `mandate-status:${change.changeId}:notice:p${p}`,
        cause: `mandate:${change.mandateId}:status:${change.to}`,
        notBefore,
      },
    );
  }
  return n;
}
