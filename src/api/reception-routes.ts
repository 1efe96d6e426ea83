import { findCongressByName, listLiveCongresses } from '../../db/repositories/congresses.ts';
import { AppError } from '../errors.ts';
import { receptionCalendar } from '../services/reception/index.ts';
import { principalOf, requireRole } from './auth.ts';
import type { ApiModule } from './module.ts';

// GET /api/reception-days?year=YYYY[&congress=] (大同 第七条(九), S2).

export const receptionRoutes: ApiModule = (router, deps) => {
  router.get('/reception-days', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const yearText = typeof ctx.query.year === 'string' ? ctx.query.year : '';
    if (!/^\d{4}$/.test(yearText)) throw new AppError('bad_request', '参数 year 应为四位年份，如 2026');
    const name =
      typeof ctx.query.congress === 'string' && ctx.query.congress !== '' ? ctx.query.congress : undefined;
    let congressId: number;
    if (name !== undefined) {
      const c = await findCongressByName(deps.db, name);
      if (!c) throw new AppError('not_found', `没有名为「${name}」的人大`);
      if (p.congressId !== null && p.congressId !== c.id)
        throw new AppError('forbidden', '您的令牌只能查看所属人大');
      congressId = c.id;
    } else if (p.congressId !== null) {
      congressId = p.congressId;
    } else {
      const live = await listLiveCongresses(deps.db);
      if (live.length !== 1) throw new AppError('bad_request', '有多个人大，请用参数 congress 指明');
      congressId = live[0]!.id;
    }
    ctx.body = await receptionCalendar(deps, congressId, Number(yearText));
  });
};
