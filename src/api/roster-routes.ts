import { readRawBody } from '../http/body.ts';
import { importRoster } from '../services/roster/index.ts';
import { actorOf, principalOf, requireRole } from './auth.ts';
import type { ApiModule } from './module.ts';

// POST /api/roster: the roster CSV (CONTRACT §5) as the body. A 10,000-line roster is a couple of
// megabytes, so this route takes more than the usual 1 MiB.
export const ROSTER_MAX_BYTES = 16 * 1024 * 1024;

export const rosterRoutes: ApiModule = (router, deps) => {
  router.post('/roster', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const text = (await readRawBody(ctx, ROSTER_MAX_BYTES)).toString('utf8');
    const summary = await importRoster(deps, text, {
      actor: actorOf(p),
      requestId: ctx.state.requestId ?? null,
      congressId: p.congressId,
      timeZone: deps.config.timezone,
    });
    ctx.body = summary;
  });
};
