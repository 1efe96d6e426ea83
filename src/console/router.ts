import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { auditAfter, auditBefore, auditRequest } from '../api/audit-trail.ts';
import { authenticate, hasRole } from '../api/auth.ts';
import type { Deps } from '../deps.ts';
import { AppError, isAppError } from '../errors.ts';
import { todayIn } from '../statute/calendar-date.ts';
import { answerReviewPages } from './answer-review-page.ts';
import { auditSubjectOf } from './audit-subjects.ts';
import { calendarImportPages } from './calendar-import-page.ts';
import { calendarPages } from './calendar-page.ts';
import {
  csrfValid,
  type Form,
  INVALID_TEXT_MESSAGE,
  INVALID_TEXT_REMOVED,
  readForm,
  readFormCleaned,
  refillForm,
  sameOrigin,
} from './csrf.ts';
import { deputyPages } from './deputies-page.ts';
import { html } from './html.ts';
import { CONSOLE_CSS, layout } from './layout.ts';
import { leavePages } from './leave-page.ts';
import { loginPage } from './login-page.ts';
import { organPages } from './organ-page.ts';
import { outboxPages } from './outbox-page.ts';
import { overviewPage } from './overview-page.ts';
import type { ConsoleModule, ConsoleRoutes, GetHandler } from './page-context.ts';
import { sendHtml } from './page-context.ts';
import { platformLoginRoutes, platformSignIns } from './platform-login.ts';
import { receptionPages } from './reception-page.ts';
import { reminderPages } from './reminders-page.ts';
import { createSession, dropSession, endSession, type Viewer, viewerOf } from './session.ts';
import { statisticsPages } from './statistics-page.ts';
import { suggestionPages } from './suggestions-page.ts';
import { isUpload, readUpload } from './upload.ts';
import { workbenchPages } from './workbench.ts';

// The staff web console at /console (CONTRACT §2): the same tokens as the API, then a session cookie.
// Server-rendered Chinese pages over the same services as the API; roles checked as the API checks them.

const MODULES: ConsoleModule[] = [
  deputyPages,
  suggestionPages,
  leavePages,
  receptionPages,
  outboxPages,
  reminderPages,
  calendarPages,
  calendarImportPages,
  statisticsPages,
  organPages,
  answerReviewPages,
  ...workbenchPages,
];

// Guessing tokens: ten failed sign-ins per client address, then one more a minute.
const LOGIN_BUDGET = { capacity: 10, refillPerSecond: 1 / 60 };

// No script, no inline style, no framing, forms only to ourselves.
const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function securityHeaders(ctx: Context): void {
  ctx.set('Content-Security-Policy', CSP);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'same-origin');
  ctx.set('Cache-Control', 'no-store');
}

function errorPage(
  ctx: Context,
  viewer: Viewer | null,
  status: number,
  title: string,
  message: string,
): void {
  sendHtml(
    ctx,
    status,
    layout(viewer, { title }, html`<p>${message}</p><p><a href="/console">返回概览</a></p>`),
  );
}

const TITLES: Record<number, string> = {
  400: '无法处理',
  401: '需要登录',
  403: '无权访问',
  404: '没有找到',
  409: '无法处理',
  413: '内容过大',
  422: '无法处理',
};

/** The parameters of a route path (`/deputies/:id`) matching a concrete path, or null. */
function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      if (g === '') return null;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) return null;
  }
  return params;
}

export function consoleRouter(deps: Deps): Middleware {
  const router = new Router({ prefix: '/console' });
  const today = () => todayIn(deps.clock, deps.config.timezone);

  const signedIn = async (ctx: Context): Promise<Viewer | null> => {
    const viewer = await viewerOf(deps, ctx);
    ctx.state.consoleViewer = viewer;
    return viewer;
  };
  const requireViewer = async (ctx: Context): Promise<Viewer | null> => {
    const viewer = await signedIn(ctx);
    if (viewer) return viewer;
    if (ctx.get('authorization') !== '') throw new AppError('unauthorized', '令牌无效或已撤销，请重新登录。');
    ctx.redirect('/console');
    ctx.status = 303;
    return null;
  };
  const needRole = (viewer: Viewer, role: Parameters<typeof hasRole>[1]) => {
    if (!hasRole(viewer.principal, role)) throw new AppError('forbidden', '您的角色无权进行此操作。');
  };

  // The pages, to show a form again when what was sent cannot be read as text (see formAgain).
  const pages: { path: string; role: Parameters<typeof hasRole>[1]; handler: GetHandler }[] = [];

  /**
   * A form sent with a code point no text may hold (NUL pasted from Word…): nothing is changed; the page
   * that shows the form (the referring page, else the form's own address or the one above it) is shown
   * again with the message and what was typed, those code points removed. Null when no page shows it.
   */
  const formAgain = async (ctx: Context, viewer: Viewer, form: Form): Promise<boolean> => {
    const action = ctx.path;
    const candidates: { path: string; search: string }[] = [];
    const referer = ctx.get('referer');
    try {
      const u = referer ? new URL(referer) : null;
      if (u && u.host === ctx.host) candidates.push({ path: u.pathname, search: u.search });
    } catch {
      // An unreadable Referer is no candidate.
    }
    for (let p = action; p.startsWith('/console/'); p = p.slice(0, p.lastIndexOf('/')))
      candidates.push({ path: p, search: '' });
    for (const cand of candidates) {
      const local = cand.path.slice('/console'.length) || '/';
      for (const page of pages) {
        const params = matchPath(page.path, local);
        if (params === null || !hasRole(viewer.principal, page.role)) continue;
        ctx.params = params;
        ctx.url = `${cand.path}${cand.search}`;
        ctx.body = undefined;
        ctx.remove('Location');
        ctx.status = 404;
        try {
          await page.handler({ deps, ctx, viewer, today: today() });
        } catch (err) {
          if (isAppError(err) && err.status < 500) continue;
          throw err;
        }
        const body = typeof ctx.body === 'string' ? ctx.body : null;
        const filled = body !== null && ctx.status < 400 ? refillForm(body, action, form) : null;
        if (filled === null) continue;
        // The message goes where every page shows its error: under the title.
        const withError = filled.replace(
          /<\/h1>\n/,
          `</h1>\n${html`<p class="error" role="alert">${INVALID_TEXT_REMOVED}</p>`.value}\n`,
        );
        ctx.status = 400;
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = withError;
        return true;
      }
    }
    return false;
  };

  const routes: ConsoleRoutes = {
    get(path, role, handler) {
      pages.push({ path, role, handler });
      router.get(path, async (ctx) => {
        const viewer = await requireViewer(ctx);
        if (!viewer) return;
        needRole(viewer, role);
        await handler({ deps, ctx, viewer, today: today() });
      });
    },
    post(path, role, handler) {
      router.post(path, async (ctx) => {
        const viewer = await requireViewer(ctx);
        if (!viewer) return;
        needRole(viewer, role);
        // A form with a file (the roster upload) is multipart; every other form is urlencoded.
        const { form, hadInvalid } = isUpload(ctx)
          ? { form: await readUpload(ctx), hadInvalid: false }
          : await readFormCleaned(ctx);
        if (!sameOrigin(ctx) || !csrfValid(viewer, form)) {
          throw new AppError('forbidden', '表单已过期或来源不明，请刷新页面后重新提交。');
        }
        if (hadInvalid) {
          if (await formAgain(ctx, viewer, form)) return;
          throw new AppError('invalid_text', INVALID_TEXT_MESSAGE);
        }
        // What the form changes, as the viewer sees it before and after (console/audit-subjects.ts).
        const subject = auditSubjectOf(path);
        const before = subject ? await subject(deps, ctx, viewer.principal).catch(() => null) : undefined;
        await handler({ deps, ctx, viewer, today: today() }, form);
        // Every change through the console is audited: by its service, else here.
        if (ctx.status < 400 && ctx.state.audited !== true) {
          if (subject) {
            auditBefore(ctx, before);
            auditAfter(ctx, await subject(deps, ctx, viewer.principal).catch(() => null));
          }
          await auditRequest(deps, ctx, viewer.principal, {
            channel: 'console',
            input: Object.fromEntries([...form.keys()].map((k) => [k, form.get(k)])),
          });
        }
      });
    },
  };

  router.get('/assets/console.css', (ctx) => {
    ctx.type = 'text/css; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = CONSOLE_CSS;
  });

  router.get('/', async (ctx) => {
    const viewer = await signedIn(ctx);
    if (!viewer) {
      // After 退出 the sign-in form says so, so staff on a shared computer know the session is over.
      const out = ctx.query.done === 'signedOut' ? '您已退出登录。' : null;
      sendHtml(ctx, 200, loginPage(null, platformSignIns(deps), out));
      return;
    }
    // An organ's contact has one page: its own items.
    if (viewer.principal.role === 'organ') {
      ctx.redirect('/console/organ');
      ctx.status = 303;
      return;
    }
    needRole(viewer, 'staff');
    await overviewPage({ deps, ctx, viewer, today: today() });
  });

  router.post('/login', async (ctx) => {
    if (!sameOrigin(ctx)) throw new AppError('forbidden', '请求来源不明，请从登录页面登录。');
    // The address the nearest proxy saw (the rightmost X-Forwarded-For entry): a client cannot choose it.
    const ip = ctx.ips.length > 0 ? ctx.ips[ctx.ips.length - 1]! : ctx.ip;
    const key = `console:login:${ip}`;
    const budget = await deps.store.take(key, LOGIN_BUDGET, 0);
    if (budget.remaining < 1) {
      const minutes = Math.max(1, Math.ceil(budget.retryAfterMs / 60000) || 1);
      sendHtml(ctx, 429, loginPage(`登录失败次数过多，请 ${minutes} 分钟后再试。`));
      return;
    }
    const form = await readForm(ctx);
    const token = (form.get('token') ?? '').trim();
    const principal = token === '' ? null : await authenticate(deps, token);
    if (!principal) {
      await deps.store.take(key, LOGIN_BUDGET, 1);
      ctx.state.log.info({ ip }, 'console sign-in refused');
      sendHtml(ctx, 401, loginPage('令牌不正确或已失效，请检查后重新输入。'));
      return;
    }
    await dropSession(deps, ctx);
    await createSession(deps, ctx, principal, token);
    ctx.state.log.info({ tokenId: principal.tokenId, role: principal.role }, 'console sign-in');
    ctx.redirect('/console');
    ctx.status = 303;
  });

  router.post('/logout', async (ctx) => {
    const viewer = await signedIn(ctx);
    if (viewer) {
      const form = await readForm(ctx);
      if (!sameOrigin(ctx) || !csrfValid(viewer, form)) {
        throw new AppError('forbidden', '表单已过期或来源不明，请刷新页面后重新提交。');
      }
    }
    await endSession(deps, ctx);
    ctx.redirect('/console?done=signedOut');
    ctx.status = 303;
  });

  platformLoginRoutes(router, deps);
  for (const m of MODULES) m(routes);

  const dispatch = router.routes();
  return async (ctx, next) => {
    if (ctx.path !== '/console' && !ctx.path.startsWith('/console/')) return next();
    securityHeaders(ctx);
    try {
      await dispatch(ctx as Parameters<typeof dispatch>[0], async () => {});
      if (ctx.body === undefined && ctx.status === 404) {
        errorPage(ctx, ctx.state.consoleViewer ?? null, 404, TITLES[404]!, '没有这个页面。');
      }
    } catch (err) {
      const viewer = (ctx.state.consoleViewer as Viewer | null | undefined) ?? null;
      if (isAppError(err) && err.status < 500) {
        errorPage(ctx, viewer, err.status, TITLES[err.status] ?? '无法处理', err.message);
        return;
      }
      ctx.state.log.error({ err }, 'console error');
      errorPage(ctx, viewer, 500, '出错了', '服务器内部错误，请稍后再试。');
    }
  };
}
