import { z } from 'zod';
import { findCongressByName, listCongresses } from '../../db/repositories/congresses.ts';
import { listSessions } from '../../db/repositories/sessions.ts';
import { AppError } from '../errors.ts';
import { readJson } from '../http/body.ts';
import { createSession, recordAbsences, sessionView } from '../services/leave/index.ts';
import { isValidDate } from '../statute/calendar-date.ts';
import { auditBefore, markAudited } from './audit-trail.ts';
import { actorOf, principalOf, requireRole } from './auth.ts';
import type { ApiModule } from './module.ts';
import { parseBody } from './zod-body.ts';

// POST /api/sessions (山西 第八条, S5: leave is routed by them) · GET /api/sessions ·
// POST /api/sessions/{id}/absences (山西 第四十六条(三), S6).

const date = z.string().refine(isValidDate, { message: '应为 YYYY-MM-DD 日期' });

const sessionSchema = z
  .object({
    congress: z.string().trim().min(1),
    name: z.string().trim().min(1).max(200),
    startsOn: date,
    endsOn: date,
  })
  .strict();

const absencesSchema = z.object({ userids: z.array(z.string().trim().min(1)).min(1).max(5000) }).strict();

export const sessionsRoutes: ApiModule = (router, deps) => {
  router.post('/sessions', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const body = parseBody(sessionSchema, await readJson(ctx));
    const view = await createSession(deps, body, {
      actor: actorOf(p),
      tokenCongressId: p.congressId,
      requestId: ctx.state.requestId ?? null,
    });
    markAudited(ctx);
    ctx.status = 201;
    ctx.body = view;
  });

  router.get('/sessions', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const name = typeof ctx.query.congress === 'string' ? ctx.query.congress : undefined;
    let congressId = p.congressId;
    if (name !== undefined) {
      const c = await findCongressByName(deps.db, name);
      if (!c) throw new AppError('not_found', `没有名为「${name}」的人大`);
      if (p.congressId !== null && p.congressId !== c.id)
        throw new AppError('forbidden', '您的令牌只能查看所属人大');
      congressId = c.id;
    }
    const rows = await listSessions(deps.db, congressId);
    const names = new Map((await listCongresses(deps.db)).map((c) => [c.id, c.name]));
    ctx.body = rows.map((s) => sessionView(s, names.get(s.congress_id) ?? ''));
  });

  router.post('/sessions/:id/absences', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const id = Number(ctx.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('bad_request', '会议编号应为正整数');
    const body = parseBody(absencesSchema, await readJson(ctx));
    const results = await recordAbsences(deps, {
      sessionId: id,
      userids: body.userids,
      actor: actorOf(p),
      tokenCongressId: p.congressId,
    });
    // Before: which of these were already recorded absent from this session.
    auditBefore(ctx, { absent: results.filter((r) => r.alreadyRecorded).map((r) => r.userid) });
    ctx.body = { sessionId: id, absences: results };
  });
};
