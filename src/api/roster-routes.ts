import { readRawBody } from '../http/body.ts';
import { importRosterFile } from '../services/roster/index.ts';
import { markAudited } from './audit-trail.ts';
import { actorOf, principalOf, requireRole } from './auth.ts';
import type { ApiModule } from './module.ts';

// POST /api/roster: the roster file's bytes (CONTRACT §5: CSV in UTF-8 or GB18030/GBK, or .xlsx) as the
// body. A 10,000-line roster is a couple of megabytes, so this route takes more than the usual 1 MiB.
// `?preview=true` answers the same summary and applies nothing.
export const ROSTER_MAX_BYTES = 16 * 1024 * 1024;

export const rosterRoutes: ApiModule = (router, deps) => {
  router.post('/roster', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const bytes = await readRawBody(ctx, ROSTER_MAX_BYTES);
    const summary = await importRosterFile(deps, bytes, {
      actor: actorOf(p),
      requestId: ctx.state.requestId ?? null,
      congressId: p.congressId,
      // People-level fields (name, ids, mobile) belong to no single congress.
      peopleWide: p.role === 'admin' || p.congressId === null,
      timeZone: deps.config.timezone,
      preview: ctx.query.preview === 'true' || ctx.query.preview === '1',
    });
    markAudited(ctx);
    ctx.body = summary;
  });
};
