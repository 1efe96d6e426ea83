import type { Context } from 'koa';
import { z } from 'zod';
import { findActivityByCode } from '../../db/repositories/activities.ts';
import { findCongressByName } from '../../db/repositories/congresses.ts';
import type { SuggestionStatus } from '../../db/schema.ts';
import { rememberLastItem } from '../bot/dialog/state.ts';
import { AppError } from '../errors.ts';
import { readJson } from '../http/body.ts';
import { wholeCodeOf } from '../services/items/index.ts';
import { organRegister, registerOrgan } from '../services/organs/index.ts';
import {
  type Actor,
  type AnswerOutcome,
  answerSuggestion,
  assignSuggestion,
  extendSuggestion,
  fileReport,
  type HandlingOutcome,
  listForStaff,
  markSecret,
  oneForStaff,
  resolveDeputy,
  returnAssignment,
  type Scope,
  STATUS_LABEL,
  submitSuggestion,
  transferAssignment,
} from '../services/suggestions/index.ts';
import { todayIn } from '../statute/calendar-date.ts';
import {
  auditAfter,
  auditBefore,
  auditSourceOf,
  itemForAudit as forAudit,
  markAudited,
} from './audit-trail.ts';
import { actorOf, type Principal, principalOf, requireRole, requireShared } from './auth.ts';
import type { ApiModule } from './module.ts';
import { parseBody } from './zod-body.ts';

// Suggestions (S8), inspection and research reports (S8a) and the organs that handle them: a route for
// every staff chat command (代录, 交办, 延期, 答复, 退回, 改办, filing a report). A deputy's own view is
// only through chat.

const CODE_RE = wholeCodeOf('JY');
const STATUSES = Object.keys(STATUS_LABEL) as SuggestionStatus[];
const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '应为 YYYY-MM-DD');
const name = z.string().trim().min(1).max(100);
const text = (max: number) => z.string().trim().min(1).max(max);

const proxySchema = z
  .object({
    deputy: name,
    congress: name.optional(),
    kind: z.enum(['建议', '批评', '意见']).default('建议'),
    content: text(5000),
    secret: z.boolean().default(false),
    photos: z
      .array(
        z
          .object({ url: z.string().url().max(2000).optional(), mediaId: z.string().max(200).optional() })
          .strict(),
      )
      .max(20)
      .default([]),
  })
  .strict();

const assignSchema = z.object({ lead: name, assisting: z.array(name).max(20).default([]) }).strict();

const extendSchema = z
  .object({ date: DATE, reason: text(500), organ: name.optional(), approvedBy: name.optional() })
  .strict();

const answerSchema = z
  .object({
    organ: name.optional(),
    done: text(5000).optional(),
    planned: text(5000).optional(),
    plannedBy: DATE.optional(),
    cannot: text(5000).optional(),
    cannotReason: text(2000).optional(),
    signedBy: name.optional(),
    // The organ's own answer waiting for review is set aside for this one (otherwise 409).
    replacePending: z.boolean().optional(),
  })
  .strict();

const returnSchema = z.object({ organ: name, reason: text(500) }).strict();
const transferSchema = z.object({ from: name, to: name, reason: text(500) }).strict();
const patchSchema = z.object({ secret: z.boolean(), reason: text(500) }).strict();

const reportSchema = z
  .object({
    congress: name.optional(),
    activity: z.string().regex(wholeCodeOf('HD'), '应为活动编号 HD-YYYY-NNNN').optional(),
    kind: z.enum(['inspection', 'research']),
    title: text(200),
    content: text(5000),
    deputies: z.array(name).min(1).max(200),
    lead: name,
    assisting: z.array(name).max(20).default([]),
    secret: z.boolean().default(false),
  })
  .strict();

const organSchema = z
  .object({
    contactName: name.nullable().optional(),
    contactMobile: z
      .string()
      .trim()
      .regex(/^[0-9+\-\s]{5,20}$/, '应为电话号码')
      .nullable()
      .optional(),
    wecomUserid: name.nullable().optional(),
    dingtalkUserid: name.nullable().optional(),
  })
  .strict();

const scopeOf = (p: Principal): Scope => (p.congressId === null ? null : [p.congressId]);
const apiActor = (p: Principal): Actor => ({ id: actorOf(p), name: p.name });

const one = (v: string | string[] | undefined): string | undefined => {
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
};

function codeParam(ctx: Context): string {
  const code = String(ctx.params.code ?? '');
  if (!CODE_RE.test(code))
    throw new AppError('bad_request', `“${code}”不是有效的建议编号（如 JY-2026-0012）`);
  return code;
}

async function congressScope(
  deps: Parameters<ApiModule>[1],
  p: Principal,
  congress: string | undefined,
): Promise<Scope> {
  if (congress === undefined) return scopeOf(p);
  const c = await findCongressByName(deps.db, congress);
  if (!c) throw new AppError('not_found', `没有名为「${congress}」的人大`);
  if (p.congressId !== null && c.id !== p.congressId)
    throw new AppError('forbidden', '您的令牌只能操作所属人大');
  return [c.id];
}

export const suggestionsRoutes: ApiModule = (router, deps) => {
  const today = () => todayIn(deps.clock, deps.config.timezone);
  const show = async (ctx: Context, code: string, status = 200) => {
    const view = await oneForStaff(deps, code, scopeOf(principalOf(ctx)), today());
    if (!view) throw new AppError('not_found', `没有编号为 ${code} 的事项`);
    ctx.status = status;
    ctx.body = view;
    auditAfter(ctx, forAudit(view));
  };
  const handled = async (
    ctx: Context,
    out: Promise<HandlingOutcome | { item: { code: string } }>,
    status = 200,
  ) => {
    const r = await out;
    await show(ctx, r.item.code, status);
  };
  // The item as the caller sees it before a change: the audit row's `before` (audit-trail.ts).
  const before = async (ctx: Context, code: string) =>
    auditBefore(ctx, forAudit(await oneForStaff(deps, code, scopeOf(principalOf(ctx)), today())));
  // The deputies asked to rate an answer may reply 满意 / 不满意 in chat without its code (CONTRACT §3).
  const rememberedForRating = async (out: Promise<AnswerOutcome>) => {
    const r = await out;
    await rememberLastItem(deps.store, deps.clock, r.askedToRate, r.item.code);
    return r;
  };

  router.get('/suggestions', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const status = one(ctx.query.status);
    let statuses: SuggestionStatus[] | undefined;
    if (status !== undefined) {
      statuses = status.split(',').map((s) => s.trim()) as SuggestionStatus[];
      const bad = statuses.find((s) => !STATUSES.includes(s));
      if (bad !== undefined)
        throw new AppError('bad_request', `参数 status 应为 ${STATUSES.join(' / ')} 之一`);
    }
    const overdue = one(ctx.query.overdue);
    if (overdue !== undefined && overdue !== 'true' && overdue !== 'false') {
      throw new AppError('bad_request', '参数 overdue 应为 true 或 false');
    }
    const scope = await congressScope(deps, p, one(ctx.query.congress));
    ctx.body = await listForStaff(
      deps,
      { scope, ...(statuses ? { statuses } : {}), overdue: overdue === 'true' },
      today(),
    );
  });

  router.get('/suggestions/:code', requireRole('staff'), async (ctx) => {
    await show(ctx, codeParam(ctx));
  });

  // 代录: an item entered for a deputy.
  router.post('/suggestions', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const body = parseBody(proxySchema, await readJson(ctx));
    const scope = await congressScope(deps, p, body.congress);
    const deputy = await resolveDeputy(deps.db, body.deputy, scope);
    const actor = apiActor(p);
    const photos = body.photos.map((ph) => ({
      ...(ph.url ? { url: ph.url } : {}),
      ...(ph.mediaId ? { mediaId: ph.mediaId } : {}),
    }));
    await handled(
      ctx,
      submitSuggestion(deps, {
        deputy,
        kind: body.kind,
        content: body.content,
        photos,
        secret: body.secret,
        enteredBy: actor,
        actor,
        audit: auditSourceOf(ctx, 'api'),
      }),
      201,
    );
  });

  router.post('/suggestions/:code/assignments', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const code = codeParam(ctx);
    const body = parseBody(assignSchema, await readJson(ctx));
    await before(ctx, code);
    await handled(
      ctx,
      assignSuggestion(deps, {
        code,
        organs: { lead: body.lead, assisting: body.assisting },
        actor: apiActor(p),
        scope: scopeOf(p),
        audit: auditSourceOf(ctx, 'api'),
      }),
    );
  });

  router.post('/suggestions/:code/extensions', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const code = codeParam(ctx);
    const body = parseBody(extendSchema, await readJson(ctx));
    await before(ctx, code);
    await handled(
      ctx,
      extendSuggestion(deps, {
        code,
        date: body.date,
        reason: body.reason,
        organ: body.organ,
        approvedBy: body.approvedBy,
        actor: apiActor(p),
        scope: scopeOf(p),
        audit: auditSourceOf(ctx, 'api'),
      }),
    );
  });

  router.post('/suggestions/:code/answers', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const code = codeParam(ctx);
    const body = parseBody(answerSchema, await readJson(ctx));
    await before(ctx, code);
    await handled(
      ctx,
      rememberedForRating(
        answerSuggestion(deps, {
          code,
          organ: body.organ,
          fields: {
            done: body.done ?? null,
            planned: body.planned ?? null,
            plannedBy: body.plannedBy ?? null,
            cannot: body.cannot ?? null,
            cannotReason: body.cannotReason ?? null,
            signedBy: body.signedBy ?? null,
          },
          actor: apiActor(p),
          scope: scopeOf(p),
          replacePending: body.replacePending,
          audit: auditSourceOf(ctx, 'api'),
        }),
      ),
    );
  });

  router.post('/suggestions/:code/returns', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const code = codeParam(ctx);
    const body = parseBody(returnSchema, await readJson(ctx));
    await before(ctx, code);
    await handled(
      ctx,
      returnAssignment(deps, {
        code,
        organ: body.organ,
        reason: body.reason,
        actor: apiActor(p),
        scope: scopeOf(p),
      }),
    );
  });

  router.post('/suggestions/:code/transfers', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const code = codeParam(ctx);
    const body = parseBody(transferSchema, await readJson(ctx));
    await before(ctx, code);
    await handled(
      ctx,
      transferAssignment(deps, {
        code,
        from: body.from,
        to: body.to,
        reason: body.reason,
        actor: apiActor(p),
        scope: scopeOf(p),
      }),
    );
  });

  router.patch('/suggestions/:code', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const code = codeParam(ctx);
    const body = parseBody(patchSchema, await readJson(ctx));
    await before(ctx, code);
    await markSecret(deps, {
      code,
      secret: body.secret,
      reason: body.reason,
      actor: apiActor(p),
      scope: scopeOf(p),
    });
    await show(ctx, code);
  });

  // 山西 第二十七条 (S8a): a report filed after an inspection or research, transferred to the organs.
  router.post('/reports', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const body = parseBody(reportSchema, await readJson(ctx));
    const scope = await congressScope(deps, p, body.congress);
    let activityId: number | null = null;
    let congressId: number | null = scope?.length === 1 ? scope[0]! : null;
    if (body.activity) {
      const a = await findActivityByCode(deps.db, body.activity);
      if (!a || (scope !== null && !scope.includes(a.congress_id))) {
        throw new AppError('not_found', `没有编号为 ${body.activity} 的活动`);
      }
      activityId = a.id;
      congressId = a.congress_id;
    }
    const deputies = [];
    for (const d of body.deputies)
      deputies.push(await resolveDeputy(deps.db, d, congressId === null ? scope : [congressId]));
    congressId ??= deputies[0]!.congressId;
    if (deputies.some((d) => d.congressId !== congressId)) {
      throw new AppError('bad_request', '报告的代表应属于同一个人大，请用 congress 指明');
    }
    await handled(
      ctx,
      fileReport(deps, {
        congressId,
        kind: body.kind === 'inspection' ? '视察报告' : '调研报告',
        title: body.title,
        content: body.content,
        secret: body.secret,
        activityId,
        deputies,
        organs: { lead: body.lead, assisting: body.assisting },
        actor: apiActor(p),
      }),
      201,
    );
  });

  router.get('/organs', requireRole('staff'), async (ctx) => {
    ctx.body = (await organRegister(deps.db)).map(organView);
  });

  // The organ register is shared by every congress.
  router.put('/organs/:name', requireRole('staff'), requireShared(), async (ctx) => {
    const organName = String(ctx.params.name ?? '').trim();
    if (organName === '' || organName.length > 100)
      throw new AppError('bad_request', '单位名称应为 1 到 100 个字');
    const body = parseBody(organSchema, await readJson(ctx));
    const { organ, created } = await registerOrgan(
      deps,
      organName,
      {
        contactName: body.contactName ?? null,
        contactMobile: body.contactMobile ?? null,
        contactWecom: body.wecomUserid ?? null,
        contactDingtalk: body.dingtalkUserid ?? null,
      },
      { actor: actorOf(principalOf(ctx)), requestId: ctx.state.requestId ?? null },
    );
    markAudited(ctx);
    ctx.status = created ? 201 : 200;
    ctx.body = organView(organ);
  });
};

const organView = (o: {
  name: string;
  contact_name: string | null;
  contact_mobile: string | null;
  contact_wecom: string | null;
  contact_dingtalk: string | null;
}) => ({
  name: o.name,
  contactName: o.contact_name,
  contactMobile: o.contact_mobile,
  wecomUserid: o.contact_wecom,
  dingtalkUserid: o.contact_dingtalk,
});
