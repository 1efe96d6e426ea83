import { createHash, randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { dingtalkSignInUrl, dingtalkUserOfAuthCode } from '../channels/dingtalk/web-login.ts';
import { createWecomClient } from '../channels/wecom/client.ts';
import { insideWecom, wecomSignInUrl, wecomUserOfCode } from '../channels/wecom/web-login.ts';
import type { Deps } from '../deps.ts';
import { platformSignIn } from '../services/congresses/index.ts';
import { readCookie } from './cookies.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';
import { loginPage, type PlatformSignIns } from './login-page.ts';
import { sendHtml } from './page-context.ts';
import { createSession, dropSession } from './session.ts';

// Sign-in with WeCom and DingTalk for staff on the roster (tokens stay as the fallback):
//   GET /console/login/wecom             → WeCom OAuth2 inside the WeCom client, the WeCom QR login elsewhere
//   GET /console/login/wecom/callback    ← code, state → /cgi-bin/auth/getuserinfo → the roster → a session
//   GET /console/login/dingtalk          → DingTalk OAuth2 (免登 inside the DingTalk client, QR elsewhere)
//   GET /console/login/dingtalk/callback ← authCode, state → userAccessToken → users/me → the roster
// The state is random, single use, ten minutes, and tied to the browser by a cookie (no one can sign a
// victim in as someone else). The session is the person's seat: it ends when their role or mandate does.

const STATE_COOKIE = 'console_login';
const STATE_TTL_MS = 10 * 60 * 1000;
const STATE_RE = /^[A-Za-z0-9_-]{43}$/;
const CODE_RE = /^[A-Za-z0-9_\-.~]{1,512}$/;

const stateKey = (state: string) => `console:login-state:${createHash('sha256').update(state).digest('hex')}`;

export const platformSignIns = (deps: Pick<Deps, 'config'>): PlatformSignIns => ({
  wecom: deps.config.wecom !== undefined,
  dingtalk: deps.config.dingtalk !== undefined,
});

/** Tied to the browser: Lax, because the platform brings the browser back by a top-level GET. */
function setStateCookie(ctx: Context, value: string, maxAgeSeconds: number): void {
  ctx.append(
    'Set-Cookie',
    [
      `${STATE_COOKIE}=${value}`,
      'Path=/console/login',
      'HttpOnly',
      'SameSite=Lax',
      `Max-Age=${maxAgeSeconds}`,
      ...(ctx.secure ? ['Secure'] : []),
    ].join('; '),
  );
}

async function newState(deps: Deps, ctx: Context, channel: 'wecom' | 'dingtalk'): Promise<string> {
  const state = randomBytes(32).toString('base64url');
  await deps.store.set(stateKey(state), channel, STATE_TTL_MS);
  setStateCookie(ctx, state, STATE_TTL_MS / 1000);
  return state;
}

/** The state came back to the browser it was given to, within its time, once. */
async function stateValid(deps: Deps, ctx: Context, channel: 'wecom' | 'dingtalk'): Promise<boolean> {
  const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
  const cookie = readCookie(ctx, STATE_COOKIE);
  setStateCookie(ctx, '', 0);
  if (!STATE_RE.test(state) || cookie !== state) return false;
  const stored = await deps.store.get(stateKey(state));
  await deps.store.del(stateKey(state));
  return stored === channel;
}

const refuse = (deps: Deps, ctx: Context, status: number, reason: string): void =>
  sendHtml(ctx, status, loginPage(reason, platformSignIns(deps)));

async function signIn(
  deps: Deps,
  ctx: Context,
  channel: 'wecom' | 'dingtalk',
  userid: string,
): Promise<void> {
  const outcome = await platformSignIn(deps.db, channel, userid);
  if (!outcome.ok) {
    ctx.state.log.info({ channel }, 'console platform sign-in refused: no staff seat');
    refuse(deps, ctx, 403, outcome.reason);
    return;
  }
  await dropSession(deps, ctx);
  await createSession(deps, ctx, outcome.principal, { seat: outcome.seat });
  ctx.state.log.info(
    { channel, personId: outcome.seat.personId, role: outcome.seat.role },
    'console sign-in through platform',
  );
  // The session cookie is SameSite=Strict and this request came from the platform's site: a redirect now
  // would arrive without it. A page of our own moves on, and its navigation is same-site.
  ctx.set('Refresh', '0; url=/console');
  sendHtml(
    ctx,
    200,
    layout(
      null,
      { title: '登录成功' },
      html`<p>${outcome.principal.name}，您已登录。</p><p><a href="/console">进入工作台</a></p>`,
    ),
  );
}

// The platforms redirect only to the domain registered with the app (可信域名), whatever the Host says.
const callbackUrl = (ctx: Context, channel: 'wecom' | 'dingtalk') =>
  `${ctx.protocol}://${ctx.host}/console/login/${channel}/callback`;

export function platformLoginRoutes(router: Router, deps: Deps): void {
  router.get('/login/wecom', async (ctx) => {
    const cfg = deps.config.wecom;
    if (!cfg) return refuse(deps, ctx, 404, '本系统没有启用企业微信登录，请用登录令牌登录。');
    const state = await newState(deps, ctx, 'wecom');
    ctx.redirect(
      wecomSignInUrl(cfg, {
        redirectUri: callbackUrl(ctx, 'wecom'),
        state,
        insideClient: insideWecom(ctx.get('user-agent')),
      }),
    );
  });

  router.get('/login/wecom/callback', async (ctx) => {
    const cfg = deps.config.wecom;
    if (!cfg) return refuse(deps, ctx, 404, '本系统没有启用企业微信登录，请用登录令牌登录。');
    const code = typeof ctx.query.code === 'string' ? ctx.query.code : '';
    if (!(await stateValid(deps, ctx, 'wecom')) || !CODE_RE.test(code)) {
      return refuse(deps, ctx, 400, '登录链接已过期或不完整，请重新点击“企业微信登录”。');
    }
    const client = createWecomClient(deps)!;
    const who = await wecomUserOfCode(client, code);
    if (!who.ok) return refuse(deps, ctx, 403, who.reason);
    await signIn(deps, ctx, 'wecom', who.userid);
  });

  router.get('/login/dingtalk', async (ctx) => {
    const cfg = deps.config.dingtalk;
    if (!cfg) return refuse(deps, ctx, 404, '本系统没有启用钉钉登录，请用登录令牌登录。');
    const state = await newState(deps, ctx, 'dingtalk');
    ctx.redirect(dingtalkSignInUrl(cfg, { redirectUri: callbackUrl(ctx, 'dingtalk'), state }));
  });

  router.get('/login/dingtalk/callback', async (ctx) => {
    const cfg = deps.config.dingtalk;
    if (!cfg) return refuse(deps, ctx, 404, '本系统没有启用钉钉登录，请用登录令牌登录。');
    const raw = ctx.query.authCode ?? ctx.query.code;
    const code = typeof raw === 'string' ? raw : '';
    if (!(await stateValid(deps, ctx, 'dingtalk')) || !CODE_RE.test(code)) {
      return refuse(deps, ctx, 400, '登录链接已过期或不完整，请重新点击“钉钉登录”。');
    }
    const who = await dingtalkUserOfAuthCode(cfg, code);
    if (!who.ok) return refuse(deps, ctx, 403, who.reason);
    await signIn(deps, ctx, 'dingtalk', who.userid);
  });
}
