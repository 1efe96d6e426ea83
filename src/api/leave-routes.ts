import { z } from 'zod';
import { findLeaveByCode, type LeaveDetail, listLeave } from '../../db/repositories/leave.ts';
import { findPersonIdsByAnyId } from '../../db/repositories/people.ts';
import type { LeaveStatus } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { readJson } from '../http/body.ts';
import { renderLeaveForm } from '../print/leave-form.ts';
import { declineActivity, seatByUserid } from '../services/activities/index.ts';
import { wholeCodeOf } from '../services/items/index.ts';
import { decideLeave, recordReturnedDecision, submitSessionLeave } from '../services/leave/index.ts';
import { isValidDate, todayIn } from '../statute/calendar-date.ts';
import { auditSourceOf } from './audit-trail.ts';
import { actorOf, principalOf, requireRole } from './auth.ts';
import type { ApiModule } from './module.ts';
import { parseBody } from './zod-body.ts';

// GET /api/leave-requests?status= · GET /api/leave-requests/{code} · GET /api/leave-requests/{code}/form
// (the printable 请假单) · POST /api/leave-requests/{code}/decision (approver) · POST /api/leave-requests
// (staff entering leave for a deputy, 代录) · POST /api/leave-requests/{code}/returned-decision (staff: the
// decision a forwarded request came back with, 山西 第八条).

const STATUSES = ['pending', 'approved', 'rejected', 'forwarded', 'withdrawn'] as const;
const CODE_RE = wholeCodeOf('QJ');

const decisionSchema = z
  .object({
    decision: z.enum(['approved', 'rejected']),
    reason: z.string().trim().min(1).max(500).optional(),
    decidedOn: z.string().refine(isValidDate, { message: '应为 YYYY-MM-DD 日期' }).optional(),
  })
  .strict();

const returnedSchema = z
  .object({
    decision: z.enum(['approved', 'rejected']),
    reason: z.string().trim().min(1).max(500).optional(),
    decidedOn: z.string().refine(isValidDate, { message: '应为 YYYY-MM-DD 日期' }),
  })
  .strict();

const proxySchema = z
  .object({
    userid: z.string().trim().min(1),
    session: z.string().trim().min(1).optional(),
    activity: z.string().trim().regex(wholeCodeOf('HD')).optional(),
    reason: z.string().trim().min(1).max(500),
  })
  .strict();

export const leaveJson = (r: LeaveDetail) => ({
  code: r.code,
  deputy: r.deputy_name,
  congress: r.congress_name,
  session: r.session_name,
  activity: r.activity_code,
  subject: r.session_name ?? r.activity_title,
  reason: r.reason,
  phase: r.phase,
  decidingBody: r.deciding_body,
  decidingBodyLabel: r.deciding_body_label,
  status: r.status,
  submittedOn: r.submitted_on,
  decidedOn: r.decided_on,
  decisionReason: r.decision_reason,
  enteredByStaff: r.entered_by_staff,
});

export const leaveRoutes: ApiModule = (router, deps) => {
  const visible = async (code: string, congressId: number | null) => {
    if (!CODE_RE.test(code))
      throw new AppError('bad_request', `“${code}”不是有效的请假编号（形如 QJ-2026-0001）`);
    const r = await findLeaveByCode(deps.db, code);
    if (!r || (congressId !== null && r.congress_id !== congressId))
      throw new AppError('not_found', `没有请假 ${code}`);
    return r;
  };

  router.get('/leave-requests', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const status =
      typeof ctx.query.status === 'string' && ctx.query.status !== '' ? ctx.query.status : undefined;
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
      throw new AppError('bad_request', `参数 status 应为 ${STATUSES.join(' / ')} 之一`);
    }
    const rows = await listLeave(deps.db, {
      status: status as LeaveStatus | undefined,
      congressId: p.congressId ?? undefined,
    });
    ctx.body = rows.map(leaveJson);
  });

  router.get('/leave-requests/:code', requireRole('staff'), async (ctx) => {
    ctx.body = leaveJson(await visible(ctx.params.code ?? '', principalOf(ctx).congressId));
  });

  router.get('/leave-requests/:code/form', requireRole('staff'), async (ctx) => {
    const r = await visible(ctx.params.code ?? '', principalOf(ctx).congressId);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = renderLeaveForm(r);
  });

  router.post('/leave-requests/:code/decision', requireRole('approver'), async (ctx) => {
    const p = principalOf(ctx);
    const code = ctx.params.code ?? '';
    const body = parseBody(decisionSchema, await readJson(ctx));
    await visible(code, p.congressId);
    const o = await decideLeave(deps, {
      code,
      decision: body.decision,
      reason: body.reason ?? null,
      decidedOn: body.decidedOn,
      today: todayIn(deps.clock, deps.config.timezone),
      by: { tokenCongressId: p.congressId },
      actor: actorOf(p),
      audit: auditSourceOf(ctx, 'api'),
    });
    if (!o.ok) throw new AppError('conflict', o.text);
    ctx.body = leaveJson((await findLeaveByCode(deps.db, code))!);
  });

  router.post('/leave-requests/:code/returned-decision', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const code = ctx.params.code ?? '';
    const body = parseBody(returnedSchema, await readJson(ctx));
    await visible(code, p.congressId);
    const o = await recordReturnedDecision(deps, {
      code,
      decision: body.decision,
      reason: body.reason ?? null,
      decidedOn: body.decidedOn,
      today: todayIn(deps.clock, deps.config.timezone),
      tokenCongressId: p.congressId,
      actor: actorOf(p),
      audit: auditSourceOf(ctx, 'api'),
    });
    if (!o.ok) throw new AppError('conflict', o.text);
    ctx.body = leaveJson((await findLeaveByCode(deps.db, code))!);
  });

  router.post('/leave-requests', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const body = parseBody(proxySchema, await readJson(ctx));
    if ((body.session === undefined) === (body.activity === undefined)) {
      throw new AppError(
        'invalid_body',
        '字段「session」（会议名称）和「activity」（活动编号）须填且只填一个',
      );
    }
    const [personId] = await findPersonIdsByAnyId(deps.db, {
      wecom: [body.userid],
      dingtalk: [body.userid],
      mobile: [],
    });
    // A person of another congress is answered as one who does not exist: a bound token learns nothing
    // of the ids of other congresses.
    if (
      personId === undefined ||
      (p.congressId !== null && !(await seatByUserid(deps.db, p.congressId, body.userid)))
    )
      throw new AppError('invalid_body', `字段「userid」：没有账号为「${body.userid}」的人员`);
    const today = todayIn(deps.clock, deps.config.timezone);
    const enteredBy = actorOf(p);
    const o =
      body.activity !== undefined
        ? await declineActivity(deps, {
            personId,
            code: body.activity,
            reason: body.reason,
            today,
            enteredBy,
            audit: auditSourceOf(ctx, 'api'),
          })
        : await submitSessionLeave(deps, {
            personId,
            meetingName: body.session!,
            reason: body.reason,
            today,
            enteredBy,
            audit: auditSourceOf(ctx, 'api'),
          });
    if (!o.ok || !o.code) throw new AppError('bad_request', o.text);
    ctx.status = 201;
    ctx.body = leaveJson((await findLeaveByCode(deps.db, o.code))!);
  });
};
