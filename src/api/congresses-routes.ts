import { readJson } from '../http/body.ts';
import { congressPutSchema, listCongressViews, putCongress } from '../services/congresses/index.ts';
import { markAudited } from './audit-trail.ts';
import { actorOf, principalOf, requireRole } from './auth.ts';
import type { ApiModule } from './module.ts';
import { parseBody } from './zod-body.ts';

// Congresses and their settings. Reading is for any staff token; changing them is for admins.

export const congressesRoutes: ApiModule = (router, deps) => {
  router.get('/congresses', requireRole('staff'), async (ctx) => {
    ctx.body = await listCongressViews(deps.db, principalOf(ctx));
  });

  router.put('/congresses/:name', requireRole('admin'), async (ctx) => {
    const p = principalOf(ctx);
    const body = parseBody(congressPutSchema, await readJson(ctx));
    const r = await putCongress(
      deps,
      { principal: p, actor: actorOf(p), requestId: ctx.state.requestId ?? null },
      ctx.params.name ?? '',
      body,
    );
    markAudited(ctx);
    ctx.status = r.created ? 201 : 200;
    ctx.body = r.congress;
  });
};
