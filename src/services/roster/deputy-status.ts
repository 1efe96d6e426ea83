import type { Db } from '../../../db/client.ts';
import { writeAudit } from '../../../db/repositories/audit.ts';
import {
  findMandateForStatus,
  insertStatusChange,
  setMandateStatus,
} from '../../../db/repositories/people.ts';
import type { MandateStatus } from '../../../db/schema.ts';
import type { Clock } from '../../clock.ts';
import { AppError } from '../../errors.ts';
import { enqueueToPerson } from '../../messaging/outbox.ts';
import { STATUS_LABEL } from './csv.ts';
import { notifyStatusChange } from './status-notices.ts';

// 山西 第四十五至四十八条 (S16): a deputy's status — active, suspended (暂时停止执行代表职务) or
// terminated (代表资格终止) — is set by staff with a reason, kept as a history row, and told to the
// deputy. The article also names the electoral unit and the employer; they are not on our channels,
// so staff notify them in writing (the history row is the record of it).

export interface StatusChangeInput {
  mandateId: number;
  to: MandateStatus;
  reason: string;
  actor: string;
  requestId?: string | null;
  /** Where the change came from, for the audit row: 'api', 'roster', 'console'. */
  source: string;
  /** APP_TIMEZONE, for when notices to others may go out. */
  timeZone?: string;
}

export interface StatusChangeResult {
  mandateId: number;
  from: MandateStatus;
  to: MandateStatus;
  changeId: number;
  /** How many messages were queued to the deputy (0 when they have no chat account). */
  messagesQueued: number;
}

/** The message the deputy receives: the new status, the reason, and what it means. */
export function statusChangeMessage(
  congress: string,
  from: MandateStatus,
  to: MandateStatus,
  reason: string,
): string {
  const head = `【代表职务状态通知】您在${congress}的代表职务状态已由「${STATUS_LABEL[from]}」变更为「${STATUS_LABEL[to]}」。\n原因：${reason}\n`;
  switch (to) {
    case 'suspended':
      // 山西 第四十五条: suspension lasts until the circumstance ends.
      return `${head}依照《山西省实施〈中华人民共和国全国人民代表大会和地方各级人民代表大会代表法〉办法》第四十五条，暂时停止执行代表职务期间，您不能行使代表的各项职权，也不能通过本服务请假、提出建议或预约接待；相关情形消失、恢复执行代表职务后即可继续履职。如有疑问，请联系人大常委会代表工作机构。`;
    case 'terminated':
      // 山西 第四十六条: the mandate ends.
      return `${head}依照《山西省实施〈中华人民共和国全国人民代表大会和地方各级人民代表大会代表法〉办法》第四十六条，代表资格终止后，您的代表职务即告结束，不再行使代表职权，本服务中的代表功能随之停止。感谢您在任期内的履职。如有疑问，请联系人大常委会代表工作机构。`;
    case 'active':
      return `${head}依照《山西省实施〈中华人民共和国全国人民代表大会和地方各级人民代表大会代表法〉办法》第四十五条，您已恢复执行代表职务，可以继续行使代表职权并使用本服务的各项功能。`;
  }
}

/** Refuses a change the rules do not allow; the message names why (zh-CN). */
export function checkStatusChange(from: MandateStatus, to: MandateStatus): void {
  if (from === to) {
    throw new AppError('conflict', `代表职务状态已是「${STATUS_LABEL[to]}」，无需变更`);
  }
  // 山西 第四十五条: 恢复其执行代表职务，但代表资格终止者除外.
  if (from === 'terminated') {
    throw new AppError('conflict', '代表资格已终止，不能恢复或暂停；如再次当选，请以新一届人大导入');
  }
}

/**
 * Changes a mandate's status inside the caller's transaction: the mandate, a history row, an audit
 * row and the message to the deputy commit together or not at all.
 */
export async function changeMandateStatus(
  trx: Db,
  clock: Clock,
  input: StatusChangeInput,
): Promise<StatusChangeResult> {
  const reason = input.reason.trim();
  if (reason === '') throw new AppError('invalid_body', '变更代表职务状态必须填写原因（reason）');
  const m = await findMandateForStatus(trx, input.mandateId, true);
  if (!m) throw new AppError('not_found', `没有编号为 ${input.mandateId} 的代表职务`);
  checkStatusChange(m.status, input.to);
  const at = clock.now();
  await setMandateStatus(trx, m.id, input.to, reason, at);
  const changeId = await insertStatusChange(trx, {
    mandateId: m.id,
    from: m.status,
    to: input.to,
    reason,
    changedBy: input.actor,
    at,
  });
  const messagesQueued = await enqueueToPerson(
    trx,
    m.person_id,
    { text: statusChangeMessage(m.congress, m.status, input.to, reason) },
    { idempotencyKey: `mandate-status:${changeId}`, cause: `mandate:${m.id}:status:${input.to}` },
  );
  // 山西 第四十五条: the electoral unit's contact and staff are told too.
  await notifyStatusChange(trx, clock, input.timeZone ?? 'Asia/Shanghai', {
    mandateId: m.id,
    changeId,
    from: m.status,
    to: input.to,
    reason,
  });
  await writeAudit(trx, {
    actor: input.actor,
    action: 'mandate.status',
    subjectType: 'mandate',
    subjectId: m.id,
    detail: { from: m.status, to: input.to, reason, source: input.source, changeId },
    requestId: input.requestId ?? null,
  });
  return { mandateId: m.id, from: m.status, to: input.to, changeId, messagesQueued };
}
