import type { Db } from '../../db/client.ts';
import { writeAudit } from '../../db/repositories/audit.ts';
import { reopenBroadcastsOf } from '../../db/repositories/broadcasts.ts';
import {
  outboxStatusOf,
  type RequeueableStatus,
  requeueOutboxByStatus,
  requeueOutboxRow,
} from '../../db/repositories/outbox.ts';
import type { OutboxStatus } from '../../db/schema.ts';

// Staff put a dead or unknown outbox row back in the queue (after fixing a binding, or after checking with
// the recipient that an 'unknown' message never arrived). The row keeps its idempotency key, starts a new
// 24-hour budget and is due at once; each requeue is audited in the same transaction. A withdrawn message
// (a reminder that no longer applies, a notice staff withdrew) is refused: requeuing it would undo that.
// A notice that had finished runs again until its requeued messages are settled.

/** Why a withdrawn message is not sent again, as staff read it (API and console alike). */
export const WITHDRAWN_NOT_REQUEUED =
  '这条消息已经撤回（工作人员撤回的通知，或已不再适用的提醒），不能重新发送。如仍需发出，请重新发一条通知。';

export interface RequeueBy {
  actor: string;
  requestId?: string | null;
}

export type RequeueOneResult =
  | { ok: true; id: number; was: OutboxStatus }
  | { ok: false; reason: 'not_found' | 'not_requeueable' | 'withdrawn'; status?: OutboxStatus };

export async function requeueOne(db: Db, id: number, now: Date, by: RequeueBy): Promise<RequeueOneResult> {
  return db.transaction().execute(async (trx): Promise<RequeueOneResult> => {
    const before = await requeueOutboxRow(trx, id, now);
    if (!before) {
      const row = await outboxStatusOf(trx, id);
      if (!row) return { ok: false, reason: 'not_found' };
      return { ok: false, reason: row.withdrawn ? 'withdrawn' : 'not_requeueable', status: row.status };
    }
    await reopenBroadcastsOf(trx, [id]);
    await writeAudit(trx, {
      actor: by.actor,
      action: 'outbox.requeue',
      subjectType: 'outbox',
      subjectId: id,
      detail: { was: before.status, lastError: before.last_error, attempts: before.attempts },
      before: { status: before.status },
      after: { status: 'pending' },
      requestId: by.requestId ?? null,
    });
    return { ok: true, id, was: before.status };
  });
}

export async function requeueAll(
  db: Db,
  status: RequeueableStatus,
  now: Date,
  by: RequeueBy,
): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const ids = await requeueOutboxByStatus(trx, status, now);
    if (ids.length > 0) {
      await reopenBroadcastsOf(trx, ids);
      await writeAudit(trx, {
        actor: by.actor,
        action: 'outbox.requeue',
        subjectType: 'outbox',
        subjectId: null,
        detail: { status, ids },
        before: { status, ids },
        after: { status: 'pending', ids },
        requestId: by.requestId ?? null,
      });
    }
    return ids;
  });
}
