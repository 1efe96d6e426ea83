import { z } from 'zod';
import { AppError } from '../errors.ts';
import { readJson } from '../http/body.ts';
import { createToken, listTokenViews, revokeTokenById } from '../services/congresses/index.ts';
import { markAudited } from './audit-trail.ts';
import { principalOf, requireRole } from './auth.ts';
import type { ApiModule } from './module.ts';
import { parseBody } from './zod-body.ts';

// Personal staff tokens (admin only). The token is in the 201 answer and nowhere else.

const createSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: z.enum(['admin', 'staff', 'approver', 'organ']),
    congress: z.string().trim().min(1).nullable().optional(),
    // Role 'organ': the handling organ the contact acts for (CONTRACT: POST /api/tokens).
    organ: z.string().trim().min(1).max(100).optional(),
  })
  .strict();

export const tokensRoutes: ApiModule = (router, deps) => {
  router.post('/tokens', requireRole('admin'), async (ctx) => {
    const body = parseBody(createSchema, await readJson(ctx));
    const p = principalOf(ctx);
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await createToken(deps, p, body, ctx.state.requestId ?? null);
    markAudited(ctx);
  });

  router.get('/tokens', requireRole('admin'), async (ctx) => {
    ctx.body = await listTokenViews(deps, principalOf(ctx));
  });

  router.delete('/tokens/:id', requireRole('admin'), async (ctx) => {
    const id = Number(ctx.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('bad_request', '令牌编号应为正整数');
    const p = principalOf(ctx);
    ctx.body = await revokeTokenById(deps, p, id, ctx.state.requestId ?? null);
    markAudited(ctx);
  });
};
