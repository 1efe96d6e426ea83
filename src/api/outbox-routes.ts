import { createHash } from 'node:crypto';
import { z } from 'zod';
import { listOutbox } from '../../db/repositories/outbox.ts';
import type { OutboxStatus } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { type Principal, principalOf, requireRole } from './auth.ts';
import type { ApiModule } from './module.ts';
import { describeZodError } from './zod-body.ts';

// GET /api/outbox?status=pending|sent|failed|dead: what went out, what waits, and what died and why.
// A robot's address is its credential (webhook key, access token): only a fingerprint is shown.

const querySchema = z
  .object({
    status: z.enum(['pending', 'sending', 'sent', 'failed', 'dead']).optional(),
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
};
