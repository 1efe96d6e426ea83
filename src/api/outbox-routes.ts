import { createHash } from 'node:crypto';
import { z } from 'zod';
import { listOutbox } from '../../db/repositories/outbox.ts';
import type { OutboxStatus } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requeueAll, requeueOne, WITHDRAWN_NOT_REQUEUED } from '../messaging/index.ts';
import { markAudited } from './audit-trail.ts';
import { actorOf, type Principal, principalOf, requireRole } from './auth.ts';
import type { ApiModule } from './module.ts';
import { describeZodError } from './zod-body.ts';

// GET /api/outbox?status=pending|sending|sent|failed|dead|unknown: what went out, what waits, and what
// died and why. A robot's address is its credential (webhook key, access token): only a fingerprint is
// shown. POST /api/outbox/{id}/requeue and POST /api/outbox/requeue?status=dead|unknown put dead rows and
// rows whose outcome is unknown back in the queue (audited); a withdrawn message never goes back.

const querySchema = z
  .object({
    status: z.enum(['pending', 'sending', 'sent', 'failed', 'dead', 'unknown']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const r = schema.safeParse(query);
  if (!r.success) throw new AppError('bad_request', describeZodError(r.error).replace('字段', '参数'));
  return r.data;
}

/** The outbox and the reminder ledger span every congress: a token bound to one congress may not read them. */
export function requireUnbound(p: Principal): void {
  if (p.congressId !== null)
    throw new AppError('forbidden', '发送队列和提醒记录涉及所有人大，需使用不限定人大的令牌');
}

const requeueQuerySchema = z.object({ status: z.enum(['dead', 'unknown']) }).strict();

const STATUS_WORD: Record<string, string> = {
  pending: '待发送',
  sending: '发送中',
  sent: '已发送',
  failed: '失败待重试',
};

const fingerprint = (s: string) => `#${createHash('sha256').update(s).digest('hex').slice(0, 12)}`;

export const outboxRoutes: ApiModule = (router, deps) => {
  router.get('/outbox', requireRole('staff'), async (ctx) => {
    requireUnbound(principalOf(ctx));
    const q = parseQuery(querySchema, ctx.query);
    const { rows, total } = await listOutbox(deps.db, {
      status: q.status as OutboxStatus | undefined,
      limit: q.limit,
      offset: q.offset,
    });
    ctx.body = {
      total,
      items: rows.map((r) => ({
        id: r.id,
        channel: r.channel,
        targetKind: r.target_kind,
        target: r.target_kind === 'user' ? r.target_address : fingerprint(r.target_address),
        text: (r.payload as { text?: string }).text ?? '',
        cause: r.cause,
        status: r.status,
        attempts: r.attempts,
        maxAttempts: r.max_attempts,
        notBefore: r.not_before,
        lastError: r.last_error,
        createdAt: r.created_at,
        sentAt: r.sent_at,
      })),
    };
  });

  router.post('/outbox/requeue', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    requireUnbound(p);
    const q = parseQuery(requeueQuerySchema, ctx.query);
    const ids = await requeueAll(deps.db, q.status, deps.clock.now(), {
      actor: actorOf(p),
      requestId: ctx.state.requestId ?? null,
    });
    // Each requeue wrote its own audit row (status before and after) in its transaction.
    markAudited(ctx);
    ctx.body = { requeued: ids.length, ids };
  });

  router.post('/outbox/:id/requeue', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    requireUnbound(p);
    const id = Number(ctx.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('bad_request', '消息编号应为正整数');
    const r = await requeueOne(deps.db, id, deps.clock.now(), {
      actor: actorOf(p),
      requestId: ctx.state.requestId ?? null,
    });
    if (!r.ok && r.reason === 'not_found') throw new AppError('not_found', '没有这条消息。');
    if (!r.ok && r.reason === 'withdrawn') throw new AppError('message_withdrawn', WITHDRAWN_NOT_REQUEUED);
    if (!r.ok) {
      throw new AppError(
        'conflict',
        `这条消息${STATUS_WORD[r.status ?? ''] ?? ''}，只有发送失败或结果不明的消息可以重新发送。`,
      );
    }
    markAudited(ctx);
    ctx.body = { id: r.id, status: 'pending', was: r.was };
  });
};
