import type { Context, Next } from 'koa';
import { z } from 'zod';
import { rememberLastItem } from '../bot/dialog/state.ts';
import { AppError } from '../errors.ts';
import { readJson } from '../http/body.ts';
import { wholeCodeOf } from '../services/items/index.ts';
import { addOrganContact } from '../services/organs/index.ts';
import {
  type Actor,
  ANSWER_MAX_FILES,
  answerFile,
  answerViews,
  decideReturnRequest,
  itemForOrgan,
  itemsForOrgan,
  lockInScope,
  type OrganActor,
  photoForStaff,
  requestReturn,
  reviewOrganAnswer,
  type Scope,
  setItemPublication,
  signForItem,
  submitOrganAnswer,
  superviseItem,
} from '../services/suggestions/index.ts';
import { markAudited, organAuditOf } from './audit-trail.ts';
import { actorOf, hasRole, type Principal, principalOf, requireRole, requireShared } from './auth.ts';
import type { ApiModule } from './module.ts';
import { parseBody } from './zod-body.ts';

// The organs' side of the API: a token with role 'organ' (bound to one organ) lists and reads only its
// organ's items, signs for them (签收), asks to return them (退回申请) and answers (held for the office's
// review); staff review answers (CONTRACT: …/answers/{id}/review), decide return requests, 督办, and
// choose what the public pages show (…/publication). Mounted before the staff suggestion routes: for an
// organ's token the shared paths end here; for staff they fall through.

const CODE_RE = wholeCodeOf('JY');
const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '应为 YYYY-MM-DD');
const name = z.string().trim().min(1).max(100);
const text = (max: number) => z.string().trim().min(1).max(max);

const organAnswerSchema = z
  .object({
    done: text(5000).optional(),
    planned: text(5000).optional(),
    plannedBy: DATE.optional(),
    cannot: text(5000).optional(),
    cannotReason: text(2000).optional(),
    signedBy: name.optional(),
    contact: name.optional(),
    docNo: z.string().trim().min(1).max(60).optional(),
    resultClass: z.string().trim().min(1).max(4).optional(),
    attachments: z
      .array(
        z
          .object({
            name: z.string().min(1).max(100),
            contentType: z.string().min(3).max(100),
            contentBase64: z
              .string()
              .min(1)
              .regex(/^[A-Za-z0-9+/]*={0,2}$/, '应为 base64 编码的文件内容'),
          })
          .strict(),
      )
      .max(ANSWER_MAX_FILES)
      .optional(),
  })
  .strict();
/** An answer with its attachments (base64, a third larger than the files) may be this large. */
const ANSWER_BODY_MAX_BYTES = 16 * 1024 * 1024;
const reviewSchema = z
  .object({ decision: z.enum(['approve', 'return']), note: z.string().trim().max(1000).optional() })
  .strict();
const publicationSchema = z.object({ publish: z.boolean(), withholdName: z.boolean().optional() }).strict();
const returnRequestSchema = z.object({ reason: text(500) }).strict();
const decisionSchema = z
  .object({
    organ: name,
    decision: z.enum(['transfer', 'keep']),
    to: name.optional(),
    note: z.string().trim().max(500).optional(),
  })
  .strict();
const superviseSchema = z.object({ note: text(1000) }).strict();
const contactSchema = z
  .object({
    name,
    mobile: z
      .string()
      .trim()
      .regex(/^[0-9+\-\s]{5,20}$/, '应为电话号码')
      .optional(),
    wecomUserid: name.optional(),
    dingtalkUserid: name.optional(),
    leader: z.boolean().default(false),
  })
  .strict();

const isOrgan = (p: Principal): boolean => p.role === 'organ';
const scopeOf = (p: Principal): Scope => (p.congressId === null ? null : [p.congressId]);
const staffActor = (p: Principal): Actor => ({ id: actorOf(p), name: p.name });

function organActor(p: Principal): OrganActor {
  // A token with role 'organ' is always bound to one organ (POST /api/tokens refuses it otherwise).
  if (p.organId === undefined) throw new AppError('forbidden', '该令牌没有绑定承办单位');
  return { id: actorOf(p), name: p.name, organId: p.organId };
}

function codeParam(ctx: Context): string {
  const code = String(ctx.params.code ?? '');
  if (!CODE_RE.test(code))
    throw new AppError('bad_request', `“${code}”不是有效的建议编号（如 JY-2026-0012）`);
  return code;
}

/** Routes only an organ's contact may use. */
const organOnly = async (ctx: Context, next: Next) => {
  if (!isOrgan(principalOf(ctx))) throw new AppError('forbidden', '只有承办单位的联系人可以进行此操作');
  await next();
};

export const organSideRoutes: ApiModule = (router, deps) => {
  router.get('/suggestions', async (ctx, next) => {
    const p = principalOf(ctx);
    if (!isOrgan(p)) return next();
    ctx.body = await itemsForOrgan(deps, organActor(p).organId);
  });

  router.get('/suggestions/:code', async (ctx, next) => {
    const p = principalOf(ctx);
    const code = codeParam(ctx);
    if (isOrgan(p)) {
      ctx.body = await itemForOrgan(deps, code, organActor(p).organId);
      return;
    }
    await next();
    // Staff see every organ's answers with their review status (CONTRACT: GET /api/suggestions/{code}).
    if (ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      const item = await lockInScope(deps.db, code, scopeOf(p));
      ctx.body = { ...(ctx.body as object), answers: await answerViews(deps, item.id, item.congress_id) };
    }
  });

  // A kept photo or file of an item: staff within their congresses, an organ's contact for its own items.
  router.get('/suggestions/:code/photos/:n', async (ctx) => {
    const p = principalOf(ctx);
    const code = codeParam(ctx);
    const n = Number(ctx.params.n);
    if (!Number.isSafeInteger(n) || n < 1) throw new AppError('not_found', '没有这张照片');
    if (isOrgan(p)) await itemForOrgan(deps, code, organActor(p).organId);
    else if (!hasRole(p, 'staff')) throw new AppError('forbidden', '您的角色无权进行此操作');
    const photo = await photoForStaff(deps, code, n, isOrgan(p) ? null : scopeOf(p));
    if (!photo) throw new AppError('not_found', '没有这张照片，或它还没有保存下来');
    ctx.set('Content-Type', photo.contentType);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.body = Buffer.from(photo.content);
  });

  // An answer's attachment: staff within their congresses, an organ's contact for its own answers.
  router.get('/suggestions/:code/answers/:id/files/:n', async (ctx) => {
    const p = principalOf(ctx);
    const code = codeParam(ctx);
    const id = Number(ctx.params.id);
    const n = Number(ctx.params.n);
    if (!Number.isSafeInteger(id) || id < 1 || !Number.isSafeInteger(n) || n < 1)
      throw new AppError('not_found', '没有这个附件');
    let organId: number | undefined;
    if (isOrgan(p)) {
      organId = organActor(p).organId;
      await itemForOrgan(deps, code, organId);
    } else if (!hasRole(p, 'staff')) throw new AppError('forbidden', '您的角色无权进行此操作');
    const f = await answerFile(deps, {
      code,
      answerId: id,
      index: n,
      scope: isOrgan(p) ? null : scopeOf(p),
      organId,
    });
    if (!f) throw new AppError('not_found', '没有这个附件');
    ctx.set('Content-Type', f.contentType);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`);
    ctx.body = Buffer.from(f.content);
  });

  router.post('/suggestions/:code/answers', async (ctx, next) => {
    const p = principalOf(ctx);
    if (!isOrgan(p)) return next();
    const code = codeParam(ctx);
    const b = parseBody(organAnswerSchema, await readJson(ctx, ANSWER_BODY_MAX_BYTES));
    const r = await submitOrganAnswer(deps, {
      code,
      actor: organActor(p),
      audit: organAuditOf(ctx, 'api'),
      answer: {
        fields: {
          done: b.done ?? null,
          planned: b.planned ?? null,
          plannedBy: b.plannedBy ?? null,
          cannot: b.cannot ?? null,
          cannotReason: b.cannotReason ?? null,
          signedBy: b.signedBy ?? null,
        },
        resultClass: b.resultClass,
        docNo: b.docNo,
        contact: b.contact,
        uploads: (b.attachments ?? []).map((f) => ({
          name: f.name,
          contentType: f.contentType,
          content: Buffer.from(f.contentBase64, 'base64'),
        })),
      },
    });
    ctx.status = 202;
    ctx.body = r;
  });

  router.post('/suggestions/:code/sign', organOnly, async (ctx) => {
    ctx.body = await signForItem(deps, {
      code: codeParam(ctx),
      actor: organActor(principalOf(ctx)),
      audit: organAuditOf(ctx, 'api'),
    });
  });

  router.post('/suggestions/:code/return-request', organOnly, async (ctx) => {
    const b = parseBody(returnRequestSchema, await readJson(ctx));
    ctx.body = await requestReturn(deps, {
      code: codeParam(ctx),
      reason: b.reason,
      actor: organActor(principalOf(ctx)),
      audit: organAuditOf(ctx, 'api'),
    });
  });

  router.post('/suggestions/:code/return-request/decision', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const b = parseBody(decisionSchema, await readJson(ctx));
    ctx.body = await decideReturnRequest(deps, {
      code: codeParam(ctx),
      ...b,
      actor: staffActor(p),
      scope: scopeOf(p),
    });
  });

  router.post('/suggestions/:code/answers/:id/review', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const code = codeParam(ctx);
    const id = Number(ctx.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('bad_request', '答复编号应为正整数');
    const b = parseBody(reviewSchema, await readJson(ctx));
    const r = await reviewOrganAnswer(deps, {
      code,
      answerId: id,
      decision: b.decision,
      note: b.note,
      actor: staffActor(p),
      scope: scopeOf(p),
    });
    // 满意 / 不满意 without a code then means this item (CONTRACT §3).
    await rememberLastItem(deps.store, deps.clock, r.askedToRate, r.code);
    ctx.body = r;
  });

  router.post('/suggestions/:code/publication', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const b = parseBody(publicationSchema, await readJson(ctx));
    ctx.body = await setItemPublication(deps, {
      code: codeParam(ctx),
      publish: b.publish,
      withholdName: b.withholdName,
      actor: staffActor(p),
      scope: scopeOf(p),
    });
  });

  router.post('/suggestions/:code/supervision', requireRole('staff'), async (ctx) => {
    const p = principalOf(ctx);
    const b = parseBody(superviseSchema, await readJson(ctx));
    ctx.body = await superviseItem(deps, {
      code: codeParam(ctx),
      note: b.note,
      actor: staffActor(p),
      scope: scopeOf(p),
    });
  });

  router.post('/organs/:name/contacts', requireRole('staff'), requireShared(), async (ctx) => {
    const b = parseBody(contactSchema, await readJson(ctx));
    ctx.status = 201;
    ctx.body = await addOrganContact(
      deps,
      String(ctx.params.name ?? ''),
      {
        name: b.name,
        mobile: b.mobile ?? null,
        wecom: b.wecomUserid ?? null,
        dingtalk: b.dingtalkUserid ?? null,
        leader: b.leader,
      },
      { actor: actorOf(principalOf(ctx)), requestId: ctx.state.requestId ?? null },
    );
    markAudited(ctx);
  });
};
