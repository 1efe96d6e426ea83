import { z } from 'zod';
import { writeAudit } from '../../db/repositories/audit.ts';
import { findCongressByName, listCongresses } from '../../db/repositories/congresses.ts';
import { insertSession, listSessions } from '../../db/repositories/sessions.ts';
import { AppError } from '../errors.ts';
import { readJson } from '../http/body.ts';
import { recordAbsences } from '../services/leave/index.ts';
import { isValidDate } from '../statute/calendar-date.ts';
import { markAudited } from './audit-trail.ts';
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

const sessionJson = (
  s: { id: number; congress_id: number; name: string; starts_on: string; ends_on: string },
  congress: string,
) => ({
  id: s.id,
  congress,
  name: s.name,
  startsOn: s.starts_on,
  endsOn: s.ends_on,
});

export const sessionsRoutes: ApiModule = (router, deps) => {
  router.post('/sessions', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const body = parseBody(sessionSchema, await readJson(ctx));
    if (body.endsOn < body.startsOn) throw new AppError('invalid_body', '字段「endsOn」不能早于「startsOn」');
    const c = await findCongressByName(deps.db, body.congress);
    if (!c) throw new AppError('invalid_body', `字段「congress」：没有名为「${body.congress}」的人大`);
    if (p.congressId !== null && p.congressId !== c.id)
      throw new AppError('forbidden', '您的令牌只能管理所属人大');
    const s = await deps.db.transaction().execute(async (trx) => {
      const s = await insertSession(trx, {
        congressId: c.id,
        name: body.name,
        startsOn: body.startsOn,
        endsOn: body.endsOn,
        at: deps.clock.now(),
      });
      await writeAudit(trx, {
        actor: actorOf(p),
        action: 'session.create',
        subjectType: 'session',
        subjectId: s.id,
        requestId: ctx.state.requestId ?? null,
        before: null,
        after: sessionJson(s, c.name),
      });
      return s;
    });
    markAudited(ctx);
    ctx.status = 201;
    ctx.body = sessionJson(s, c.name);
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
    ctx.body = rows.map((s) => sessionJson(s, names.get(s.congress_id) ?? ''));
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
    ctx.body = { sessionId: id, absences: results };
  });
};
