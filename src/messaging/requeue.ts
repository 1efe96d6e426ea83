import type { Db } from '../../db/client.ts';
import { writeAudit } from '../../db/repositories/audit.ts';
import {
  outboxStatusOf,
  type RequeueableStatus,
  requeueOutboxByStatus,
  requeueOutboxRow,
} from '../../db/repositories/outbox.ts';
import type { OutboxStatus } from '../../db/schema.ts';

// Staff put a dead or unknown outbox row back in the queue (after fixing a binding, or after checking with
// the recipient that an 'unknown' message never arrived). The row keeps its idempotency key, starts a new
// 24-hour budget and is due at once; each requeue is audited in the same transaction.

export interface RequeueBy {
  actor: string;
  requestId?: string | null;
}

export type RequeueOneResult =
  | { ok: true; id: number; was: OutboxStatus }
  | { ok: false; reason: 'not_found' | 'not_requeueable'; status?: OutboxStatus };

export async function requeueOne(db: Db, id: number, now: Date, by: RequeueBy): Promise<RequeueOneResult> {
  return db.transaction().execute(async (trx): Promise<RequeueOneResult> => {
    const before = await requeueOutboxRow(trx, id, now);
    if (!before) {
      const status = await outboxStatusOf(trx, id);
      return status ? { ok: false, reason: 'not_requeueable', status } : { ok: false, reason: 'not_found' };
    }
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
