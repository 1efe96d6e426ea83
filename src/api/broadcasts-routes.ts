import { z } from 'zod';
import { AppError } from '../errors.ts';
import { readJson } from '../http/body.ts';
import {
  broadcastProgress,
  MAX_BROADCAST_CHARS,
  planBroadcast,
  startBroadcast,
  withdrawBroadcast,
} from '../services/notices/index.ts';
import { markAudited } from './audit-trail.ts';
import { actorOf, principalOf, requireRole } from './auth.ts';
import type { ApiModule } from './module.ts';
import { parseBody } from './zod-body.ts';

// 大同 第八条 (S18): POST /api/broadcasts {"targets":[group names | "all"],"text"} → queued (202);
// GET /api/broadcasts/{id} → progress per group while it runs, and the outcome;
// POST /api/broadcasts/{id}/withdraw → what has not gone out yet is withdrawn (what was sent stays sent).

const bodySchema = z
  .object({
    targets: z.array(z.string().trim().min(1).max(64)).min(1).max(1000),
    text: z.string().trim().min(1).max(MAX_BROADCAST_CHARS),
  })
  .strict();

export const broadcastsRoutes: ApiModule = (router, deps) => {
  router.post('/broadcasts', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const body = parseBody(bodySchema, await readJson(ctx));
    const all = body.targets.includes('all') || body.targets.includes('全体');
    if (all && body.targets.length > 1) {
      throw new AppError('invalid_body', '字段「targets」中 "all" 已包括所有群，不能再同时写群名');
    }
    const groups = [...new Set(body.targets)];
    const plan = await planBroadcast(
      deps.db,
      p.congressId === null ? null : [p.congressId],
      all ? { all: true } : { all: false, groups },
      deps.config,
    );
    const r = await startBroadcast(deps, {
      plan,
      targets: all ? ['all'] : groups,
      text: body.text,
      actor: actorOf(p),
      senderPersonId: null,
      requestId: ctx.state.requestId ?? null,
      via: 'api',
    });
    markAudited(ctx);
    ctx.status = 202;
    ctx.body = {
      id: r.id,
      status: 'running',
      groups: r.groups,
      unreachable: r.unreachable,
      progress: `/api/broadcasts/${r.id}`,
    };
  });

  router.get('/broadcasts/:id', requireRole('staff'), async (ctx) => {
    ctx.body = await broadcastProgress(deps.db, broadcastId(ctx.params.id), principalOf(ctx).congressId);
  });

  // As sending: staff, within the token's congress; another congress's broadcast is "not found".
  router.post('/broadcasts/:id/withdraw', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const r = await withdrawBroadcast(deps, {
      id: broadcastId(ctx.params.id),
      congressId: p.congressId,
      actor: actorOf(p),
      requestId: ctx.state.requestId ?? null,
    });
    // The service audited a withdrawal; a repeat withdrew nothing and leaves no row.
    markAudited(ctx);
    ctx.body = {
      id: r.progress.id,
      withdrawn: r.withdrawn,
      ...(r.withdrawn === 0 ? { already: true } : {}),
      message: r.text,
      progress: r.progress,
    };
  });
};

function broadcastId(text: string | undefined): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id <= 0) throw new AppError('not_found', `没有编号为 ${text} 的通知`);
  return id;
}
