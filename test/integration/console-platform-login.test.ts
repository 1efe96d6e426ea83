import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.ts';
import { backends, type TestDeps } from '../helpers/backends.ts';
import type { FakeDingtalkApi } from '../helpers/fake-dingtalk-api.ts';
import type { FakeWecom } from '../helpers/fake-wecom.ts';
import { seedCongress, seedPerson } from '../helpers/seed.ts';
import type { RunningServer } from '../helpers/server.ts';
import { serveWithSignInPlatforms } from '../helpers/sign-in-platforms.ts';
import { TEST_WECOM } from '../helpers/wecom-envelope.ts';

// Staff sign in to the console with WeCom (OAuth2 inside the client, the QR login on a desktop) and with
// DingTalk, against the fake platforms; the session is the person's staff seat and ends at their next
// request once the mandate or the role changes. A deputy, an outsider, a reused code or a foreign state
// are refused and sign no one in.

const WXWORK_UA = 'Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile wxwork/4.1.20 MicroMessenger/7.0.1';
const DESKTOP_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36';

for (const backend of backends()) {
  describe.skipIf(!backend.available)(`console sign-in with WeCom and DingTalk on ${backend.name}`, () => {
    const clock = new FixedClock('2026-03-02T02:00:00Z');
    let wecom: FakeWecom;
    let ding: FakeDingtalkApi;
    let deps: TestDeps;
    let server: RunningServer;
    let staffMandate = 0;
    let dingStaffMandate = 0;

    beforeAll(async () => {
      ({ wecom, ding, deps, server } = await serveWithSignInPlatforms(backend.name, clock));
      const congressId = await seedCongress(deps.db);
      staffMandate = (await seedPerson(deps.db, { name: '李四', wecom: 'LiSi', congressId, role: 'staff' }))
        .mandateId;
      dingStaffMandate = (
        await seedPerson(deps.db, { name: '钱七', dingtalk: 'qianqi01', congressId, role: 'approver' })
      ).mandateId;
      await seedPerson(deps.db, { name: '张三', wecom: 'ZhangSan', congressId });
    }, 180_000);
    afterAll(async () => {
      await server?.close();
      await deps?.cleanup();
      await wecom?.close();
      await ding?.close();
    });

    const get = (path: string, o: { cookie?: string; ua?: string } = {}) =>
      fetch(`${server.url}${path}`, {
        redirect: 'manual',
        headers: { ...(o.cookie ? { cookie: o.cookie } : {}), 'user-agent': o.ua ?? DESKTOP_UA },
      });
    const cookieOf = (res: Response, name: string): string | null => {
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        if (pair!.startsWith(`${name}=`) && pair!.length > name.length + 1) return pair!;
      }
      return null;
    };
    /** Starts a sign-in: the platform's address and the state cookie. */
    const start = async (channel: 'wecom' | 'dingtalk', ua = DESKTOP_UA) => {
      const res = await get(`/console/login/${channel}`, { ua });
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location')!);
      return {
        location,
        state: location.searchParams.get('state')!,
        cookie: cookieOf(res, 'console_login')!,
      };
    };
    const signedIn = async (session: string) => {
      const res = await get('/console', { cookie: session });
      return { status: res.status, text: await res.text() };
    };

    it('sends the WeCom client to OAuth2 and a desktop browser to the QR login, back to our callback', async () => {
      const inside = await start('wecom', WXWORK_UA);
      expect(`${inside.location.origin}${inside.location.pathname}`).toBe(
        'https://open.weixin.qq.com/connect/oauth2/authorize',
      );
      expect(inside.location.hash).toBe('#wechat_redirect');
      expect(Object.fromEntries(inside.location.searchParams)).toMatchObject({
        appid: TEST_WECOM.corpId,
        scope: 'snsapi_base',
        response_type: 'code',
        agentid: String(TEST_WECOM.agentId),
        redirect_uri: `${server.url}/console/login/wecom/callback`,
      });
      const desk = await start('wecom');
      expect(`${desk.location.origin}${desk.location.pathname}`).toBe(
        'https://login.work.weixin.qq.com/wwlogin/sso/login',
      );
      expect(desk.location.searchParams.get('login_type')).toBe('CorpApp');
      expect(desk.cookie).toBe(`console_login=${desk.state}`);
      const page = await (await get('/console')).text();
      expect(page).toContain('企业微信登录');
      expect(page).toContain('钉钉登录');
    });

    it('signs a staff member in through WeCom and ends the session when the mandate ends', async () => {
      const s = await start('wecom', WXWORK_UA);
      const code = wecom.issueLoginCode('lisi'); // WeCom ids compare case-insensitively
      const res = await get(`/console/login/wecom/callback?code=${code}&state=${s.state}`, {
        cookie: s.cookie,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('refresh')).toBe('0; url=/console');
      const session = cookieOf(res, 'console_sid')!;
      expect(session).toBeTruthy();
      const home = await signedIn(session);
      expect(home.status).toBe(200);
      expect(home.text).toContain('李四');
      expect(home.text).not.toContain('登录令牌');
      expect(wecom.count('/cgi-bin/auth/getuserinfo')).toBe(1);

      // The code was used once; the same code again signs no one in.
      const again = await start('wecom');
      const reuse = await get(`/console/login/wecom/callback?code=${code}&state=${again.state}`, {
        cookie: again.cookie,
      });
      expect(reuse.status).toBe(403);
      expect(cookieOf(reuse, 'console_sid')).toBeNull();

      await deps.db
        .updateTable('mandates')
        .set({ status: 'terminated', status_reason: '调离', status_changed_at: clock.now() })
        .where('id', '=', staffMandate)
        .execute();
      const after = await signedIn(session);
      expect(after.text).toContain('登录令牌');
      expect(after.text).not.toContain('李四');
      // And a new sign-in is refused in words.
      const s2 = await start('wecom');
      const refused = await get(
        `/console/login/wecom/callback?code=${wecom.issueLoginCode('LiSi')}&state=${s2.state}`,
        { cookie: s2.cookie },
      );
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('没有在任的工作人员身份');
    });

    it('refuses a deputy, someone outside the corp, and a state that is not this browser’s', async () => {
      const s = await start('wecom');
      const deputy = await get(
        `/console/login/wecom/callback?code=${wecom.issueLoginCode('ZhangSan')}&state=${s.state}`,
        { cookie: s.cookie },
      );
      expect(deputy.status).toBe(403);
      expect(await deputy.text()).toContain('工作台只供工作人员使用');

      const o = await start('wecom');
      const outsider = await get(
        `/console/login/wecom/callback?code=${wecom.issueLoginCode(null)}&state=${o.state}`,
        { cookie: o.cookie },
      );
      expect(outsider.status).toBe(403);
      expect(await outsider.text()).toContain('不是本单位企业微信的成员');

      // A state started in another browser (no cookie, or another cookie) is not accepted.
      const mine = await start('wecom');
      const theirs = await start('wecom');
      const calls = wecom.count('/cgi-bin/auth/getuserinfo');
      const foreign = await get(
        `/console/login/wecom/callback?code=${wecom.issueLoginCode('LiSi')}&state=${theirs.state}`,
        { cookie: mine.cookie },
      );
      expect(foreign.status).toBe(400);
      expect(await foreign.text()).toContain('登录链接已过期');
      expect(wecom.count('/cgi-bin/auth/getuserinfo')).toBe(calls);
      expect(cookieOf(foreign, 'console_sid')).toBeNull();
    });

    it('signs a staff member in through DingTalk and ends the session when the role changes', async () => {
      const s = await start('dingtalk', 'Mozilla/5.0 (iPhone) AliApp(DingTalk/7.6.0)');
      expect(`${s.location.origin}${s.location.pathname}`).toBe('https://login.dingtalk.com/oauth2/auth');
      expect(s.location.searchParams.get('client_id')).toBe('ding-test-app-key');
      const code = ding.issueAuthCode('qianqi01');
      const res = await get(`/console/login/dingtalk/callback?authCode=${code}&state=${s.state}`, {
        cookie: s.cookie,
      });
      expect(res.status).toBe(200);
      const session = cookieOf(res, 'console_sid')!;
      const home = await signedIn(session);
      expect(home.text).toContain('钱七');
      // The approver may open what an approver may open.
      expect((await get('/console/leave', { cookie: session })).status).toBe(200);

      await deps.db
        .updateTable('mandates')
        .set({ role: 'staff' })
        .where('id', '=', dingStaffMandate)
        .execute();
      const after = await signedIn(session);
      expect(after.text).toContain('登录令牌');
      expect(after.text).not.toContain('钱七');
    });
  });
}
