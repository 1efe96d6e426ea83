import type { DingtalkConfig } from '../../config.ts';

// Signing in to the console with DingTalk: login.dingtalk.com/oauth2/auth, which inside the DingTalk client
// signs the member in without a prompt (免登) and on a desktop browser shows a QR code. It comes back to our
// callback with a one-time authCode: /v1.0/oauth2/userAccessToken turns it into the member's token,
// /v1.0/contact/users/me gives their unionId, and topapi/user/getbyunionid (with the app's token) the userid
// the roster knows. The callback's domain must be registered with the app, see docs/OPERATIONS.md.

const AUTHORIZE = 'https://login.dingtalk.com/oauth2/auth';
const TIMEOUT_MS = 5000;

export const insideDingtalk = (userAgent: string): boolean => /\bDingTalk\//i.test(userAgent);

export function dingtalkSignInUrl(cfg: DingtalkConfig, o: { redirectUri: string; state: string }): string {
  const q = new URLSearchParams({
    redirect_uri: o.redirectUri,
    response_type: 'code',
    client_id: cfg.appKey,
    scope: 'openid',
    state: o.state,
    prompt: 'consent',
  });
  return `${AUTHORIZE}?${q.toString()}`;
}

export type DingtalkIdentity = { ok: true; userid: string } | { ok: false; reason: string };

const UNREACHABLE = '暂时无法连接钉钉，请稍后再试。';
const EXPIRED = '钉钉登录已失效，请重新登录。';

async function call(
  url: string,
  init: { method: 'GET' | 'POST'; body?: unknown; token?: string },
): Promise<{ status: number; body: Record<string, unknown> } | null> {
  try {
    const res = await fetch(url, {
      method: init.method,
      headers: {
        ...(init.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
        ...(init.token ? { 'x-acs-dingtalk-access-token': init.token } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const parsed: unknown = JSON.parse(await res.text());
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    return { status: res.status, body: parsed as Record<string, unknown> };
  } catch {
    // The error of a failed fetch can carry the URL (and a token in it): nothing of it is passed on.
    return null;
  }
}

/** The member behind an authCode from the OAuth2 redirect. */
export async function dingtalkUserOfAuthCode(
  cfg: DingtalkConfig,
  authCode: string,
): Promise<DingtalkIdentity> {
  const user = await call(`${cfg.apiBase}/v1.0/oauth2/userAccessToken`, {
    method: 'POST',
    body: {
      clientId: cfg.appKey,
      clientSecret: cfg.appSecret,
      code: authCode,
      grantType: 'authorization_code',
    },
  });
  if (!user) return { ok: false, reason: UNREACHABLE };
  const userToken = user.body.accessToken;
  if (user.status >= 400 || typeof userToken !== 'string') return { ok: false, reason: EXPIRED };
  const me = await call(`${cfg.apiBase}/v1.0/contact/users/me`, { method: 'GET', token: userToken });
  if (!me) return { ok: false, reason: UNREACHABLE };
  const unionId = me.body.unionId;
  if (me.status >= 400 || typeof unionId !== 'string' || unionId === '')
    return { ok: false, reason: EXPIRED };
  const app = await call(`${cfg.apiBase}/v1.0/oauth2/accessToken`, {
    method: 'POST',
    body: { appKey: cfg.appKey, appSecret: cfg.appSecret },
  });
  const appToken = app?.body.accessToken;
  if (!app || typeof appToken !== 'string') return { ok: false, reason: UNREACHABLE };
  const q = new URLSearchParams({ access_token: appToken });
  const byUnion = await call(`${cfg.oapiBase}/topapi/user/getbyunionid?${q.toString()}`, {
    method: 'POST',
    body: { unionid: unionId },
  });
  if (!byUnion) return { ok: false, reason: UNREACHABLE };
  const result = byUnion.body.result as { userid?: unknown; contact_type?: unknown } | undefined;
  // contact_type 1 is an external contact: not a member of the organisation.
  if (byUnion.body.errcode !== 0 || typeof result?.userid !== 'string' || result.contact_type === 1) {
    return { ok: false, reason: '您不是本单位钉钉组织的成员，不能登录工作台。' };
  }
  return { ok: true, userid: result.userid };
}
