import { readJson } from '../http/body.ts';
import { groupPutSchema, listGroupViews, putGroup } from '../services/congresses/index.ts';
import { markAudited } from './audit-trail.ts';
import { actorOf, principalOf, requireRole } from './auth.ts';
import type { ApiModule } from './module.ts';
import { parseBody } from './zod-body.ts';

// Deputy groups: their chat bindings (write-only secrets) and leader.

export const groupsRoutes: ApiModule = (router, deps) => {
  router.get('/groups', requireRole('staff'), async (ctx) => {
    ctx.body = await listGroupViews(deps.db, principalOf(ctx));
  });

  router.put('/groups/:name', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const body = parseBody(groupPutSchema, await readJson(ctx));
    const r = await putGroup(
      deps,
      { principal: p, actor: actorOf(p), requestId: ctx.state.requestId ?? null },
      ctx.params.name ?? '',
      body,
    );
    markAudited(ctx);
    ctx.status = r.created ? 201 : 200;
    ctx.body = r.group;
  });
};
