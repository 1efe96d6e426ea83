import { z } from 'zod';
import { listInspectionRequests } from '../../db/repositories/activities.ts';
import { AppError } from '../errors.ts';
import { readJson } from '../http/body.ts';
import { attendanceCertificate } from '../print/attendance-certificate.ts';
import {
  activityTime,
  createActivity,
  linkInspectionRequest,
  recordAttendance,
} from '../services/activities/index.ts';
import { wholeCodeOf } from '../services/items/index.ts';
import { auditBefore, markAudited } from './audit-trail.ts';
import { actorOf, principalOf, requireRole } from './auth.ts';
import type { ApiModule } from './module.ts';
import { parseBody } from './zod-body.ts';

// POST /api/activities · POST /api/activities/{code}/attendance · GET /api/inspection-requests ·
// POST /api/inspection-requests/{id} (link the activity or the S8a report) ·
// GET /api/deputies/{id}/attendance-certificate?from=&to= (大同 第十四条, S19).

const KINDS = [
  'small_group',
  'large_group',
  'station',
  'study',
  'campaign',
  'inspection',
  'sitting_in',
] as const;

const activitySchema = z
  .object({
    kind: z.enum(KINDS),
    title: z.string().trim().min(1).max(200),
    organiser: z.string().trim().min(1).max(200),
    congress: z.string().trim().min(1).optional(),
    group: z.string().trim().min(1).optional(),
    station: z.string().trim().min(1).optional(),
    startsAt: z.string().min(1),
    endsAt: z.string().min(1),
    place: z.string().trim().min(1).max(200).optional(),
    invitees: z.array(z.string().trim().min(1)).max(5000),
  })
  .strict();

const attendanceSchema = z.object({ userids: z.array(z.string().trim().min(1)).min(1).max(5000) }).strict();

const inspectionLinkSchema = z
  .object({
    activity: z.string().regex(wholeCodeOf('HD')).optional(),
    reportRef: z.string().trim().min(1).max(40).optional(),
  })
  .strict();

export const activitiesRoutes: ApiModule = (router, deps) => {
  router.post('/activities', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const body = parseBody(activitySchema, await readJson(ctx));
    const r = await createActivity(deps, body, { actor: actorOf(p), tokenCongressId: p.congressId });
    ctx.status = 201;
    ctx.body = {
      code: r.activity.code,
      kind: r.activity.kind,
      title: r.activity.title,
      organiser: r.activity.organiser,
      startsAt: r.activity.starts_at.toISOString(),
      endsAt: r.activity.ends_at.toISOString(),
      time: activityTime(r.activity.starts_at, r.activity.ends_at, deps.config.timezone),
      place: r.activity.place,
      invited: r.invited,
      invitationsSent: r.invitationsSent,
      reminderAt: r.reminderAt ? r.reminderAt.toISOString() : null,
    };
  });

  router.post('/activities/:code/attendance', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const body = parseBody(attendanceSchema, await readJson(ctx));
    const r = await recordAttendance(deps, {
      code: ctx.params.code ?? '',
      userids: body.userids,
      tokenCongressId: p.congressId,
    });
    // Before: how many of these were already recorded as attending.
    auditBefore(ctx, { code: r.code, attended: r.already });
    ctx.body = r;
  });

  router.get('/inspection-requests', requireRole('staff'), async (ctx) => {
    const rows = await listInspectionRequests(deps.db, principalOf(ctx).congressId);
    ctx.body = rows.map((r) => ({
      id: r.id,
      deputy: r.deputy_name,
      content: r.content,
      status: r.status,
      activity: r.activity_code,
      reportRef: r.report_ref,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  });

  router.post('/inspection-requests/:id', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const id = Number(ctx.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('bad_request', '视察申请编号应为正整数');
    const body = parseBody(inspectionLinkSchema, await readJson(ctx));
    ctx.body = await linkInspectionRequest(
      deps,
      { id, ...body },
      { actor: actorOf(p), tokenCongressId: p.congressId, requestId: ctx.state.requestId ?? null },
    );
    markAudited(ctx);
  });

  router.get('/deputies/:id/attendance-certificate', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const id = Number(ctx.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('bad_request', '代表编号应为正整数');
    const from = typeof ctx.query.from === 'string' ? ctx.query.from : '';
    const to = typeof ctx.query.to === 'string' ? ctx.query.to : '';
    const html = await attendanceCertificate(deps, {
      mandateId: id,
      from,
      to,
      tokenCongressId: p.congressId,
    });
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = html;
  });
};
