import { z } from 'zod';
import { listLedger } from '../../db/repositories/reminders.ts';
import { codeOfPrefix } from '../services/items/index.ts';
import { principalOf, requireRole } from './auth.ts';
import type { ApiModule } from './module.ts';
import { parseQuery, requireUnbound } from './outbox-routes.ts';

// GET /api/reminders: the reminder ledger — which rule, period and target, when, late or not, and what
// became of the message that carried it.

/**
 * A ledger target as the ledger writes it: a person, group or organ by id, or a reception booking by its
 * code (the booker's reminder the working day before, `booking:JD-2026-0001`).
 */
const LEDGER_TARGET = new RegExp(`^(?:(?:person|group|organ):\\d+|booking:${codeOfPrefix('JD').source})$`);

const querySchema = z
  .object({
    rule: z
      .string()
      .trim()
      .regex(/^(S\d{1,2}a?|calendar)$/)
      .optional(),
    period: z.string().trim().min(1).max(100).optional(),
    target: z.string().trim().regex(LEDGER_TARGET).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const remindersRoutes: ApiModule = (router, deps) => {
  router.get('/reminders', requireRole('staff'), async (ctx) => {
    requireUnbound(principalOf(ctx));
    const q = parseQuery(querySchema, ctx.query);
    const r = await listLedger(deps.db, {
      ...(q.rule ? { rule: q.rule } : {}),
      ...(q.period ? { period: q.period } : {}),
      ...(q.target ? { target: q.target } : {}),
      limit: q.limit,
      offset: q.offset,
    });
    ctx.body = {
      total: r.total,
      items: r.rows.map((x) => ({
        id: x.id,
        rule: x.rule,
        period: x.period,
        target: x.target,
        job: x.job,
        dueOn: x.due_on,
        eventOn: x.event_on,
        late: x.late,
        queuedAt: x.created_at,
        outboxId: x.outbox_id,
        outboxStatus: x.outbox_status,
        sentAt: x.sent_at,
      })),
    };
  });
};
