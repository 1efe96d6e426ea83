import type { WecomConfig } from '../../config.ts';
import type { WecomClient } from './client.ts';

// Signing in to the console with WeCom: inside the WeCom client, OAuth2 web authorisation
// (open.weixin.qq.com/connect/oauth2/authorize, silent snsapi_base); on a desktop browser, the WeCom web
// login (login.work.weixin.qq.com, a QR code scanned with the WeCom app). Both come back to our callback
// with a one-time code that /cgi-bin/auth/getuserinfo turns into the member's userid. The redirect's domain
// must be registered with the app as trusted (可信域名), see docs/OPERATIONS.md.

const OAUTH_AUTHORIZE = 'https://open.weixin.qq.com/connect/oauth2/authorize';
const WEB_LOGIN = 'https://login.work.weixin.qq.com/wwlogin/sso/login';

/** Whether a request comes from inside the WeCom client (its webview names itself "wxwork"). */
export const insideWecom = (userAgent: string): boolean => /\bwxwork\//i.test(userAgent);

/** Where to send the browser: OAuth2 inside the client, the QR login page on a desktop browser. */
export function wecomSignInUrl(
  cfg: WecomConfig,
  o: { redirectUri: string; state: string; insideClient: boolean },
): string {
  if (o.insideClient) {
    const q = new URLSearchParams({
      appid: cfg.corpId,
      redirect_uri: o.redirectUri,
      response_type: 'code',
      scope: 'snsapi_base',
      state: o.state,
      agentid: String(cfg.agentId),
    });
    return `${OAUTH_AUTHORIZE}?${q.toString()}#wechat_redirect`;
  }
  const q = new URLSearchParams({
    login_type: 'CorpApp',
    appid: cfg.corpId,
    agentid: String(cfg.agentId),
    redirect_uri: o.redirectUri,
    state: o.state,
  });
  return `${WEB_LOGIN}?${q.toString()}`;
}

export type WecomIdentity = { ok: true; userid: string } | { ok: false; reason: string };

/** The member behind a sign-in code (single use, five minutes). Someone outside the corp has no userid. */
export async function wecomUserOfCode(client: WecomClient, code: string): Promise<WecomIdentity> {
  const answer = await client.callWithToken('/cgi-bin/auth/getuserinfo', { code }, undefined);
  if (!answer.ok) {
    return {
      ok: false,
      reason: answer.retryable ? '暂时无法连接企业微信，请稍后再试。' : '企业微信登录已失效，请重新登录。',
    };
  }
  const userid = answer.body.userid ?? answer.body.UserId;
  if (typeof userid !== 'string' || userid === '') {
    return { ok: false, reason: '您不是本单位企业微信的成员，不能登录工作台。' };
  }
  return { ok: true, userid };
}
