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
import { enqueueToPerson } from '../../messaging/index.ts';
import { STATUS_LABEL } from './csv.ts';
import { notifyStatusChange } from './status-notices.ts';
import { statusChangeMessage } from './text.ts';

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
