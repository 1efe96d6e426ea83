import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { findCongressByName } from '../../db/repositories/congresses.ts';
import { findGroupsByName } from '../../db/repositories/groups.ts';
import { type DeputyRow, listDeputies } from '../../db/repositories/people.ts';
import { AppError } from '../errors.ts';
import { readJson } from '../http/body.ts';
import { changeMandateStatus } from '../services/roster/index.ts';
import { markAudited } from './audit-trail.ts';
import { actorOf, type Principal, principalOf, requireRole } from './auth.ts';
import type { ApiModule } from './module.ts';
import { parseBody } from './zod-body.ts';

// The roster (one row per mandate) and 山西 第四十五至四十八条 (S16) status changes.

const STATUSES = ['active', 'suspended', 'terminated'] as const;

const patchSchema = z
  .object({
    status: z.enum(STATUSES),
    reason: z.string().trim().min(1).max(500),
  })
  .strict();

export interface DeputyView {
  id: number;
  personId: number;
  name: string;
  congress: string;
  level: string;
  electoralUnit: string | null;
  wecomUserid: string | null;
  dingtalkUserid: string | null;
  mobile: string | null;
  largeGroup: string | null;
  smallGroup: string | null;
  groups: string[];
  station: string | null;
  role: string;
  status: string;
  statusReason: string | null;
  statusChangedAt: string | null;
}

const view = (r: DeputyRow): DeputyView => ({
  id: r.id,
  personId: r.person_id,
  name: r.name,
  congress: r.congress,
  level: r.level,
  electoralUnit: r.electoral_unit,
  wecomUserid: r.wecom,
  dingtalkUserid: r.dingtalk,
  mobile: r.mobile,
  largeGroup: r.large_group,
  smallGroup: r.small_group,
  groups: [r.large_group, r.small_group].filter((g): g is string => g !== null),
  station: r.station,
  role: r.role,
  status: r.status,
  statusReason: r.status_reason,
  statusChangedAt: r.status_changed_at ? new Date(r.status_changed_at).toISOString() : null,
});

const one = (v: string | string[] | undefined): string | undefined => {
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
};

async function congressFilter(db: Db, p: Principal, name: string | undefined): Promise<number | undefined> {
  if (name === undefined) return p.congressId ?? undefined;
  const c = await findCongressByName(db, name);
  if (!c) throw new AppError('not_found', `没有名为「${name}」的人大`);
  if (p.congressId !== null && c.id !== p.congressId)
    throw new AppError('forbidden', '您的令牌只能查看所属人大');
  return c.id;
}

export const deputiesRoutes: ApiModule = (router, deps) => {
  router.get('/deputies', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const q = ctx.query;
    const congressId = await congressFilter(deps.db, p, one(q.congress));
    const status = one(q.status);
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
      throw new AppError('bad_request', '参数 status 应为 active / suspended / terminated 之一');
    }
    let groupId: number | undefined;
    const groupName = one(q.group);
    if (groupName !== undefined) {
      const groups = await findGroupsByName(deps.db, groupName, congressId ?? null);
      if (groups.length === 0) throw new AppError('not_found', `没有名为「${groupName}」的小组`);
      if (groups.length > 1)
        throw new AppError('bad_request', `多个人大都有小组「${groupName}」，请同时用 congress 参数指明`);
      groupId = groups[0]!.id;
    }
    const limit = one(q.limit) === undefined ? 1000 : Number(one(q.limit));
    const offset = one(q.offset) === undefined ? 0 : Number(one(q.offset));
    if (!Number.isInteger(limit) || limit < 1 || limit > 10000)
      throw new AppError('bad_request', '参数 limit 应为 1 到 10000 之间的整数');
    if (!Number.isInteger(offset) || offset < 0)
      throw new AppError('bad_request', '参数 offset 应为非负整数');
    const { rows, total } = await listDeputies(deps.db, {
      congressId,
      status: status as DeputyRow['status'] | undefined,
      groupId,
      q: one(q.q),
      limit,
      offset,
    });
    ctx.set('X-Total-Count', String(total));
    ctx.body = rows.map(view);
  });

  router.patch('/deputies/:id', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const id = Number(ctx.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('bad_request', '代表编号应为正整数');
    const body = parseBody(patchSchema, await readJson(ctx));
    const visible = await listDeputies(deps.db, {
      mandateId: id,
      congressId: p.congressId ?? undefined,
      limit: 1,
      offset: 0,
    });
    if (visible.rows.length === 0) throw new AppError('not_found', `没有编号为 ${id} 的代表`);
    const change = await deps.db.transaction().execute((trx) =>
      changeMandateStatus(trx, deps.clock, {
        mandateId: id,
        to: body.status,
        reason: body.reason,
        actor: actorOf(p),
        requestId: ctx.state.requestId ?? null,
        source: 'api',
        timeZone: deps.config.timezone,
      }),
    );
    markAudited(ctx);
    const after = await listDeputies(deps.db, { mandateId: id, limit: 1, offset: 0 });
    ctx.body = {
      ...view(after.rows[0]!),
      change: { from: change.from, to: change.to, messagesQueued: change.messagesQueued },
    };
  });
};
